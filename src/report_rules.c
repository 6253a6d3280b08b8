#include "report_rules.h"

#include <string.h>

#include "explain.h"

enum { WRAP_COLUMNS = 76 };

int report_rules(FILE *out, bool markdown)
{
	if (markdown) {
		fputs("| code | name | severity | what it finds |\n|---|---|---|---|\n", out);
	}
	for (size_t i = 0; i < DIAG_CODE_COUNT; i++) {
		const struct diag_info *d = diag_info((enum diag_code)i);
		const char *sev = diag_severity_name(d->severity);
		if (markdown)
			fprintf(out, "| %s | `%s` | %s | %s |\n", d->code, d->name, sev, d->title);
		else
			fprintf(out, "%s  %-7s  %-30s  %s\n", d->code, sev, d->name, d->title);
	}
	return ferror(out) ? -1 : 0;
}

/* Fill lines up to WRAP_COLUMNS, breaking at spaces; a word longer than a
 * line stands on its own line. */
static void write_wrapped(FILE *out, const char *text)
{
	size_t column = 0;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		if (column && column + 1 + len > WRAP_COLUMNS) {
			fputc('\n', out);
			column = 0;
		}
		if (column) {
			fputc(' ', out);
			column++;
		}
		fwrite(p, 1, len, out);
		column += len;
		p += len;
	}
	fputc('\n', out);
}

static void write_indented(FILE *out, const char *text)
{
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, "\n");
		fputs("    ", out);
		fwrite(p, 1, len, out);
		fputc('\n', out);
		p += len;
		if (*p == '\n')
			p++;
	}
}

int report_explain(FILE *out, enum diag_code code)
{
	const struct diag_info *d = diag_info(code);
	const struct diag_example *ex = explain_example(code);
	fprintf(out, "%s %s (%s by default)\n%s\n\n", d->code, d->name,
		diag_severity_name(d->severity), d->title);
	write_wrapped(out, d->help);
	if (ex && ex->before && ex->after) {
		fputs("\nbefore:\n", out);
		write_indented(out, ex->before);
		fputs("\nafter:\n", out);
		write_indented(out, ex->after);
	}
	fprintf(out,
		"\nSilence it on one line with '# dkfpolicy: ignore[%s]' (on that line or\n"
		"the line above), or everywhere with 'rules: {off: [%s]}' in\n"
		".dkfpolicy.yaml.\n",
		d->code, d->name);
	return ferror(out) ? -1 : 0;
}

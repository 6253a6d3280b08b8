#include "report.h"

/* file:line:col: severity: message [CODE], the shape compilers, shellcheck
 * -f gcc and yamllint's parsable format use, so editors can jump to it. */
static void write_position(FILE *out, struct mark at)
{
	if (!at.file)
		fputs("dkfpolicy: ", out);
	else if (!at.line)
		fprintf(out, "%s: ", at.file);
	else
		fprintf(out, "%s:%u:%u: ", at.file, at.line, at.col);
}

int report_text(FILE *out, const struct diag_list *diags)
{
	for (size_t i = 0; i < diags->count; i++) {
		const struct diag *d = &diags->items[i];
		write_position(out, d->at);
		fprintf(out, "%s: %s [%s]\n", diag_severity_name(d->severity), d->message,
			diag_info(d->code)->code);
		if (d->note) {
			write_position(out, d->note_at);
			fprintf(out, "note: %s\n", d->note);
		}
	}
	return ferror(out) ? -1 : 0;
}

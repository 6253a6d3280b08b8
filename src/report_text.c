#include "report.h"

#include <string.h>

#include "excerpt.h"
#include "report_color.h"

static bool use_color;

void report_text_use_color(bool on)
{
	use_color = on;
}

/* SGR sequences as gcc uses them: errors red, warnings magenta, infos and
 * notes cyan, the caret green; all bold. */
static const char *severity_color(enum diag_severity s)
{
	switch (s) {
	case DIAG_ERROR: return "\033[1;31m";
	case DIAG_WARNING: return "\033[1;35m";
	case DIAG_INFO: return "\033[1;36m";
	}
	return "";
}

static const char color_caret[] = "\033[1;32m";
static const char color_reset[] = "\033[0m";

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

/* Bytes of the token starting at p: a quoted scalar to its closing quote,
 * anything else up to a space or YAML punctuation. At least 1. */
static size_t token_length(const char *p)
{
	size_t n = 1;
	if (*p == '"' || *p == '\'') {
		while (p[n] && p[n] != *p)
			n++;
		return p[n] ? n + 1 : n;
	}
	while (p[n] && !strchr(" \t,:]}#", p[n]))
		n++;
	return n;
}

/*
 * The source line under a finding, with a caret under the column, as a
 * good C compiler shows it. Only for findings about the path or the block,
 * and only when excerpt.h says nothing else is on that line: values files
 * hold passwords.
 */
static void write_excerpt(FILE *out, const struct diag_list *diags, const struct diag *d)
{
	if (!d->may_quote || !d->at.file || !d->at.line)
		return;
	const char *line = excerpt_public_line(diags->book, d->at.file, d->at.line);
	if (!line)
		return;
	fprintf(out, "%5u | %s\n      | ", d->at.line, line);
	/* columns count characters: skip UTF-8 continuation bytes */
	const char *p = line;
	for (unsigned col = 1; *p && col < d->at.col; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		fputc(*p == '\t' ? '\t' : ' ', out);
		col++;
	}
	while (((unsigned char)*p & 0xc0) == 0x80)
		p++;
	if (use_color)
		fputs(color_caret, out);
	fputc('^', out);
	if (*p) {
		size_t len = token_length(p);
		for (size_t i = 1; i < len; i++)
			if (((unsigned char)p[i] & 0xc0) != 0x80)
				fputc('~', out);
	}
	if (use_color)
		fputs(color_reset, out);
	fputc('\n', out);
}

int report_text(FILE *out, const struct diag_list *diags)
{
	for (size_t i = 0; i < diags->count; i++) {
		const struct diag *d = &diags->items[i];
		write_position(out, d->at);
		if (use_color)
			fprintf(out, "%s%s:%s %s [%s]\n", severity_color(d->severity),
				diag_severity_name(d->severity), color_reset, d->message,
				diag_info(d->code)->code);
		else
			fprintf(out, "%s: %s [%s]\n", diag_severity_name(d->severity), d->message,
				diag_info(d->code)->code);
		write_excerpt(out, diags, d);
		if (d->note) {
			write_position(out, d->note_at);
			fprintf(out, "note: %s\n", d->note);
		}
	}
	return ferror(out) ? -1 : 0;
}

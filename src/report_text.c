#include "report.h"

#include <string.h>

/*
 * The text format: `file:line:col: severity: message [CODE]`, the shape
 * compilers, shellcheck -f gcc and yamllint's parsable format use, so editors
 * can jump to it; then the public source line with a caret, as a good C
 * compiler shows it, and a `note:` line for a related position.
 */

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

/* Text from the inputs, escaped (strbuf.h): a file name or a message may
 * hold a newline, an ESC or a line separator. */
static void add_shown(struct strbuf *out, const char *s)
{
	strbuf_add_display(out, s, strlen(s), false);
}

static void add_position(struct strbuf *out, struct mark at)
{
	if (!at.file) {
		strbuf_adds(out, "dkfpolicy: ");
		return;
	}
	add_shown(out, at.file);
	if (at.line)
		strbuf_addf(out, ":%u:%u", at.line, (unsigned)at.col);
	strbuf_adds(out, ": ");
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

/* The source line under a finding, with a caret under the column. Only for
 * findings about the path or the block, and only for a line that holds
 * nothing else (excerpt.h): values files hold passwords. */
static void add_excerpt(struct strbuf *out, const struct report_context *ctx, const struct diag *d,
			const char *line)
{
	/* the gutter grows with the line number; tabs stay, so the caret lines up */
	int width = snprintf(NULL, 0, "%u", d->at.line);
	width = width < 5 ? 5 : width;
	strbuf_addf(out, "%*u | ", width, d->at.line);
	strbuf_add_display(out, line, strlen(line), true);
	strbuf_addf(out, "\n%*s | ", width, "");
	/* columns count characters: skip UTF-8 continuation bytes */
	const char *p = line;
	for (unsigned col = 1; *p && col < d->at.col; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		strbuf_addch(out, *p == '\t' ? '\t' : ' ');
		col++;
	}
	while (((unsigned char)*p & 0xc0) == 0x80)
		p++;
	if (ctx->color)
		strbuf_adds(out, color_caret);
	strbuf_addch(out, '^');
	if (*p) {
		size_t len = token_length(p);
		for (size_t i = 1; i < len; i++)
			if (((unsigned char)p[i] & 0xc0) != 0x80)
				strbuf_addch(out, '~');
	}
	if (ctx->color)
		strbuf_adds(out, color_reset);
	strbuf_addch(out, '\n');
}

static void text_diag(struct strbuf *out, const struct report_context *ctx, const struct diag *d,
		      size_t index, const char *excerpt)
{
	(void)index;
	add_position(out, d->at);
	if (ctx->color)
		strbuf_addf(out, "%s%s:%s ", severity_color(d->severity),
			    diag_severity_name(d->severity), color_reset);
	else
		strbuf_addf(out, "%s: ", diag_severity_name(d->severity));
	add_shown(out, d->message);
	strbuf_addf(out, " [%s]\n", diag_info(d->code)->code);
	if (excerpt)
		add_excerpt(out, ctx, d, excerpt);
	if (d->note) {
		add_position(out, d->note_at);
		strbuf_adds(out, "note: ");
		add_shown(out, d->note);
		strbuf_addch(out, '\n');
	}
	if (d->context) {
		add_position(out, d->context_at);
		strbuf_adds(out, "note: ");
		add_shown(out, d->context);
		strbuf_addch(out, '\n');
	}
}

const struct report_format report_text_format = {
	.name = "text",
	.diag = text_diag,
	.quotes_lines = true,
};

#include "report.h"

#include <string.h>

/*
 * GitHub Actions workflow commands, one per diagnostic:
 *   ::error file=values.yaml,line=3,col=3,title=DKF105 duplicate-key::message
 * GitHub turns them into annotations on the pull request. Its runner decodes
 * %25, %0D and %0A in the message and additionally %3A and %2C in property
 * values (actions/toolkit, command.ts escapeData/escapeProperty), so a ':' or
 * ',' in a file name cannot end a property early.
 */

/* Append s escaped for a workflow command: '%', CR and LF always; ':' and ','
 * too in a property (file=, title=). */
static void escape(struct strbuf *out, const char *text, bool is_property)
{
	/* controls and line separators first, as in every format (strbuf.h):
	 * the runner decodes %0A back into a newline, but passes an ESC on */
	struct strbuf shown;
	strbuf_init(&shown);
	strbuf_add_display(&shown, text, strlen(text), false);
	for (const char *s = shown.buf; *s; s++) {
		switch (*s) {
		case '%': strbuf_adds(out, "%25"); break;
		case '\r': strbuf_adds(out, "%0D"); break;
		case '\n': strbuf_adds(out, "%0A"); break;
		case ':':
			if (is_property)
				strbuf_adds(out, "%3A");
			else
				strbuf_addch(out, ':');
			break;
		case ',':
			if (is_property)
				strbuf_adds(out, "%2C");
			else
				strbuf_addch(out, ',');
			break;
		default: strbuf_addch(out, *s);
		}
	}
	strbuf_release(&shown);
}

static const char *command_of(enum diag_severity s)
{
	switch (s) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	case DIAG_INFO: return "notice";
	}
	return "notice";
}

static void github_diag(struct strbuf *sb, const struct report_context *ctx, const struct diag *d,
			size_t index, const char *excerpt)
{
	(void)ctx;
	(void)index;
	(void)excerpt;
	const struct diag_info *info = diag_info(d->code);
	strbuf_addf(sb, "::%s ", command_of(d->severity));
	if (d->at.file) {
		strbuf_adds(sb, "file=");
		escape(sb, d->at.file, true);
		if (d->at.line)
			strbuf_addf(sb, ",line=%u,col=%u", d->at.line,
				    d->at.col ? (unsigned)d->at.col : 1u);
		strbuf_addch(sb, ',');
	}
	strbuf_adds(sb, "title=");
	struct strbuf title;
	strbuf_init(&title);
	strbuf_addf(&title, "%s %s", info->code, info->name);
	escape(sb, title.buf, true);
	strbuf_release(&title);
	strbuf_adds(sb, "::");
	escape(sb, d->message, false);
	if (d->note) {
		/* the related position rides along on a second line of the annotation */
		strbuf_adds(sb, "%0A");
		if (d->note_at.file) {
			escape(sb, d->note_at.file, false);
			if (d->note_at.line)
				strbuf_addf(sb, ":%u:%u", d->note_at.line,
					    (unsigned)d->note_at.col);
			strbuf_adds(sb, ": ");
		}
		strbuf_adds(sb, "note: ");
		escape(sb, d->note, false);
	}
	if (d->context) {
		strbuf_adds(sb, "%0A");
		if (d->context_at.file) {
			escape(sb, d->context_at.file, false);
			if (d->context_at.line)
				strbuf_addf(sb, ":%u:%u", d->context_at.line,
					    (unsigned)d->context_at.col);
			strbuf_adds(sb, ": ");
		}
		strbuf_adds(sb, "note: ");
		escape(sb, d->context, false);
	}
	strbuf_addch(sb, '\n');
}

const struct report_format report_github_format = {
	.name = "github",
	.diag = github_diag,
};

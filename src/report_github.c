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
static void escape(struct strbuf *out, const char *s, bool is_property)
{
	for (; *s; s++) {
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

static void github_diag(struct strbuf *sb, const struct report_context *ctx,
			const struct diag *d, size_t index, const char *excerpt)
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
			strbuf_addf(sb, ",line=%u,col=%u", d->at.line, d->at.col ? d->at.col : 1);
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
		struct strbuf note;
		strbuf_init(&note);
		if (d->note_at.file && d->note_at.line)
			strbuf_addf(&note, "\n%s:%u:%u: note: %s", d->note_at.file, d->note_at.line,
				    d->note_at.col, d->note);
		else if (d->note_at.file)
			strbuf_addf(&note, "\n%s: note: %s", d->note_at.file, d->note);
		else
			strbuf_addf(&note, "\nnote: %s", d->note);
		escape(sb, note.buf, false);
		strbuf_release(&note);
	}
	strbuf_addch(sb, '\n');
}

const struct report_format report_github_format = {
	.name = "github",
	.diag = github_diag,
};

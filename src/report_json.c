#include "report.h"

#include <string.h>

/*
 * The JSON format: one document, shape version REPORT_JSON_VERSION (README.md,
 * "Output formats"). Keys are always present and always in this order, so a
 * consumer can rely on the shape and a diff of two runs stays small; a value
 * that is not known is null. Bump the version on any incompatible change.
 */

static void add_string_or_null(struct strbuf *sb, const char *s)
{
	if (s)
		strbuf_add_json_display(sb, s, strlen(s));
	else
		strbuf_adds(sb, "null");
}

static void add_count_or_null(struct strbuf *sb, unsigned n)
{
	if (n)
		strbuf_addf(sb, "%u", n);
	else
		strbuf_adds(sb, "null");
}

/* "file", "line", "column" of a mark; a mark without a line has null ones */
static void add_position(struct strbuf *sb, struct mark at, const char *indent)
{
	strbuf_addf(sb, "%s\"file\": ", indent);
	add_string_or_null(sb, at.file);
	strbuf_addf(sb, ",\n%s\"line\": ", indent);
	add_count_or_null(sb, at.line);
	strbuf_addf(sb, ",\n%s\"column\": ", indent);
	add_count_or_null(sb, at.line ? at.col : 0);
	strbuf_adds(sb, ",\n");
}

static void json_diag(struct strbuf *sb, const struct report_context *ctx, const struct diag *d,
		      size_t index, const char *excerpt)
{
	(void)ctx;
	(void)excerpt;
	strbuf_adds(sb, index ? ",\n" : "\n");
	const struct diag_info *info = diag_info(d->code);
	strbuf_adds(sb, "    {\n");
	add_position(sb, d->at, "      ");
	/* diagnostics mark a point today; the keys are there for spans later */
	strbuf_adds(sb, "      \"endLine\": null,\n      \"endColumn\": null,\n");
	strbuf_addf(sb, "      \"severity\": \"%s\",\n", diag_severity_name(d->severity));
	strbuf_addf(sb, "      \"code\": \"%s\",\n", info->code);
	strbuf_adds(sb, "      \"name\": ");
	add_string_or_null(sb, info->name);
	strbuf_adds(sb, ",\n      \"message\": ");
	add_string_or_null(sb, d->message);
	strbuf_adds(sb, ",\n      \"hint\": ");
	add_string_or_null(sb, info->help);
	strbuf_adds(sb, ",\n      \"related\": [");
	/* the note (the other key, the line overridden), then the stack */
	const struct mark *at[2] = { &d->note_at, &d->context_at };
	const char *text[2] = { d->note, d->context };
	size_t n = 0;
	for (size_t i = 0; i < 2; i++) {
		if (!text[i])
			continue;
		strbuf_adds(sb, n++ ? ",\n        {\n" : "\n        {\n");
		add_position(sb, *at[i], "          ");
		strbuf_adds(sb, "          \"message\": ");
		add_string_or_null(sb, text[i]);
		strbuf_adds(sb, "\n        }");
	}
	strbuf_adds(sb, n ? "\n      ]\n    }" : "]\n    }");
}

static void json_header(struct strbuf *sb, const struct report_context *ctx,
			const struct diag_list *diags)
{
	size_t errors = diag_count_at_least(diags, DIAG_ERROR);
	size_t warnings = diag_count_at_least(diags, DIAG_WARNING) - errors;
	size_t infos = diags->count - errors - warnings;
	strbuf_addf(sb, "{\n  \"version\": %d,\n  \"tool\": {\n    \"name\": \"dkfpolicy\",\n",
		    REPORT_JSON_VERSION);
	strbuf_adds(sb, "    \"version\": ");
	add_string_or_null(sb, ctx->tool_version);
	strbuf_addf(sb,
		    "\n  },\n  \"summary\": {\n    \"errors\": %zu,\n    \"warnings\": %zu,\n"
		    "    \"infos\": %zu\n  },\n  \"diagnostics\": [",
		    errors, warnings, infos);
}

static void json_footer(struct strbuf *sb, const struct report_context *ctx,
			const struct diag_list *diags)
{
	(void)ctx;
	strbuf_adds(sb, diags->count ? "\n  ]\n}\n" : "]\n}\n");
}

const struct report_format report_json_format = {
	.name = "json",
	.header = json_header,
	.diag = json_diag,
	.footer = json_footer,
	.is_document = true,
};

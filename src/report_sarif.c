#include "report.h"

#include <string.h>

/*
 * SARIF 2.1.0 as GitHub code scanning reads it: one run whose driver lists
 * every rule of diag_codes.def (so code scanning can show the help of a rule
 * with no result yet), and one result per diagnostic with ruleIndex, level
 * and a physical location relative to the checkout. Columns count code
 * points, as libyaml's marks do (run.columnKind).
 */

static const char *level_of(enum diag_severity s)
{
	switch (s) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	case DIAG_INFO: return "note";
	}
	return "none";
}

static void add_json(struct strbuf *sb, const char *s)
{
	strbuf_add_json_display(sb, s ? s : "", s ? strlen(s) : 0);
}

/*
 * path as a SARIF artifact URI: a relative path stays relative (GitHub
 * resolves it against the checkout), an absolute one becomes file:///...;
 * bytes outside RFC 3986's unreserved set and '/' are percent-encoded.
 */
static void add_uri(struct strbuf *out, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	if (path[0] == '/') {
		strbuf_adds(out, "file://");
	} else {
		/* "./values.yaml" is "values.yaml" to code scanning */
		while (path[0] == '.' && path[1] == '/') {
			path += 2;
			while (*path == '/')
				path++;
		}
	}
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			strbuf_addch(out, (char)c);
		} else {
			strbuf_addch(out, '%');
			strbuf_addch(out, hex[c >> 4]);
			strbuf_addch(out, hex[c & 15]);
		}
	}
}

/* A physicalLocation object for a mark that has a file. */
static void add_physical_location(struct strbuf *sb, struct mark at, const char *indent)
{
	struct strbuf uri;
	strbuf_init(&uri);
	add_uri(&uri, at.file);
	strbuf_addf(sb, "%s\"physicalLocation\": {\n%s  \"artifactLocation\": {\n%s    \"uri\": ",
		    indent, indent, indent);
	strbuf_add_json_string(sb, uri.buf, uri.len);
	if (at.file[0] != '/')
		strbuf_addf(sb, ",\n%s    \"uriBaseId\": \"%%SRCROOT%%\"", indent);
	strbuf_addf(sb, "\n%s  }", indent);
	if (at.line)
		strbuf_addf(sb,
			    ",\n%s  \"region\": {\n%s    \"startLine\": %u,\n"
			    "%s    \"startColumn\": %u\n%s  }",
			    indent, indent, at.line, indent, at.col ? at.col : 1, indent);
	strbuf_addf(sb, "\n%s}", indent);
	strbuf_release(&uri);
}

static void add_rules(struct strbuf *sb)
{
	for (size_t i = 0; i < DIAG_CODE_COUNT; i++) {
		const struct diag_info *info = diag_info((enum diag_code)i);
		strbuf_adds(sb, i ? ",\n" : "\n");
		strbuf_addf(sb, "            {\n              \"id\": \"%s\",\n", info->code);
		strbuf_adds(sb, "              \"name\": ");
		add_json(sb, info->name);
		strbuf_adds(sb,
			    ",\n              \"shortDescription\": {\n                \"text\": ");
		add_json(sb, info->title);
		strbuf_adds(sb, "\n              },\n              \"fullDescription\": {\n"
				"                \"text\": ");
		add_json(sb, info->help);
		strbuf_adds(sb, "\n              },\n              \"help\": {\n"
				"                \"text\": ");
		add_json(sb, info->help);
		strbuf_addf(sb,
			    "\n              },\n              \"defaultConfiguration\": {\n"
			    "                \"level\": \"%s\"\n              }\n            }",
			    level_of(info->severity));
	}
}

static void sarif_diag(struct strbuf *sb, const struct report_context *ctx, const struct diag *d,
		       size_t index, const char *excerpt)
{
	(void)ctx;
	(void)excerpt;
	strbuf_adds(sb, index ? ",\n" : "\n");
	const struct diag_info *info = diag_info(d->code);
	strbuf_addf(sb,
		    "        {\n          \"ruleId\": \"%s\",\n          \"ruleIndex\": %d,\n"
		    "          \"level\": \"%s\",\n          \"message\": {\n            \"text\": ",
		    info->code, (int)d->code, level_of(d->severity));
	add_json(sb, d->message);
	strbuf_adds(sb, "\n          }");
	if (d->at.file) {
		strbuf_adds(sb, ",\n          \"locations\": [\n            {\n");
		add_physical_location(sb, d->at, "              ");
		strbuf_adds(sb, "\n            }\n          ]");
	}
	/* the note, then the stack the finding belongs to, where they have a file */
	const struct mark *at[2] = { &d->note_at, &d->context_at };
	const char *text[2] = { d->note, d->context };
	int id = 0;
	for (size_t i = 0; i < 2; i++) {
		if (!text[i] || !at[i]->file)
			continue;
		strbuf_adds(sb, id ? ",\n            {\n"
				   : ",\n          \"relatedLocations\": [\n            {\n");
		strbuf_addf(sb, "              \"id\": %d,\n", ++id);
		add_physical_location(sb, *at[i], "              ");
		strbuf_adds(sb, ",\n              \"message\": {\n                \"text\": ");
		add_json(sb, text[i]);
		strbuf_adds(sb, "\n              }\n            }");
	}
	if (id)
		strbuf_adds(sb, "\n          ]");
	strbuf_adds(sb, "\n        }");
}

static void sarif_header(struct strbuf *sb, const struct report_context *ctx,
			 const struct diag_list *diags)
{
	(void)diags;
	strbuf_adds(sb, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
			"  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n"
			"        \"driver\": {\n          \"name\": \"dkfpolicy\",\n"
			"          \"version\": ");
	add_json(sb, ctx->tool_version);
	strbuf_adds(sb, ",\n          \"semanticVersion\": ");
	add_json(sb, ctx->tool_version);
	strbuf_adds(sb, ",\n          \"rules\": [");
	add_rules(sb);
	strbuf_adds(sb, "\n          ]\n        }\n      },\n"
			"      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [");
}

static void sarif_footer(struct strbuf *sb, const struct report_context *ctx,
			 const struct diag_list *diags)
{
	(void)ctx;
	strbuf_adds(sb, diags->count ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n");
}

const struct report_format report_sarif_format = {
	.name = "sarif",
	.header = sarif_header,
	.diag = sarif_diag,
	.footer = sarif_footer,
	.is_document = true,
};

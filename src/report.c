#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "excerpt.h"
#include "xalloc.h"

const struct report_format *const report_formats[] = {
	&report_text_format, &report_json_format, &report_sarif_format, &report_github_format, NULL,
};

/* Write the (sorted) diagnostics of diags in format into out; excerpts[i]
 * is the public line of diagnostic i or NULL (excerpts may be NULL). */
static void report_write(const struct report_format *format, const struct report_context *ctx,
			 const struct diag_list *diags, const char *const *excerpts,
			 struct strbuf *out)
{
	if (format->header)
		format->header(out, ctx, diags);
	for (size_t i = 0; i < diags->count; i++)
		format->diag(out, ctx, &diags->items[i], i, excerpts ? excerpts[i] : NULL);
	if (format->footer)
		format->footer(out, ctx, diags);
}

void report_init(struct report *r, struct diag_list *diags, const struct dkf_config *config)
{
	memset(r, 0, sizeof(*r));
	r->diags = diags;
	r->config = config;
	suppress_init(&r->markers);
}

void report_release(struct report *r)
{
	suppress_release(&r->markers);
	free(r->inputs);
	memset(r, 0, sizeof(*r));
}

void report_input(struct report *r, const char *name)
{
	if (r->input_count == r->input_alloc) {
		r->input_alloc = r->input_alloc ? r->input_alloc * 2 : 16;
		r->inputs = xrealloc(r->inputs, r->input_alloc * sizeof(*r->inputs));
	}
	r->inputs[r->input_count++] = strcmp(name, "-") == 0 ? "<stdin>" : name;
}

/*
 * Settle the diagnostics added since the last call: a suppressed one goes,
 * then the configuration's severity applies (off: it goes too). Markers are
 * read once per file, the first time they may be needed.
 */
static void settle(struct report *r)
{
	struct diag_list *diags = r->diags;
	suppress_read(&r->markers, diags->book, diags);
	size_t kept = r->settled;
	for (size_t i = r->settled; i < diags->count; i++) {
		struct diag d = diags->items[i];
		if (d.severity >= DIAG_ERROR)
			r->error_seen[d.code] = true;
		if (suppress_silences(&r->markers, &d))
			continue;
		enum config_severity s = r->config ? r->config->severity[d.code] : CONFIG_DEFAULT;
		switch (s) {
		case CONFIG_DEFAULT: break;
		case CONFIG_INFO: d.severity = DIAG_INFO; break;
		case CONFIG_WARNING: d.severity = DIAG_WARNING; break;
		case CONFIG_ERROR: d.severity = DIAG_ERROR; break;
		case CONFIG_OFF: continue;
		}
		diags->items[kept++] = d;
	}
	diags->count = kept;
	r->settled = kept;
}

size_t report_errors(struct report *r)
{
	settle(r);
	return diag_count_at_least(r->diags, DIAG_ERROR);
}

/* The public source line of every diagnostic that may quote one. */
static const char **fetch_excerpts(const struct diag_list *diags)
{
	if (!diags->book || !diags->count)
		return NULL;
	struct excerpt_request *requests = xcalloc(diags->count, sizeof(*requests));
	for (size_t i = 0; i < diags->count; i++) {
		const struct diag *d = &diags->items[i];
		if (d->at.is_public && d->at.file && d->at.line) {
			requests[i].file = d->at.file;
			requests[i].line = d->at.line;
		}
	}
	excerpt_fetch(diags->book, requests, diags->count);
	const char **texts = xcalloc(diags->count, sizeof(*texts));
	for (size_t i = 0; i < diags->count; i++)
		texts[i] = requests[i].text;
	free(requests);
	return texts;
}

/* Settle everything, the unused suppressions (DKF121) once. */
static void settle_all(struct report *r)
{
	settle(r);
	if (r->unused_reported)
		return;
	r->unused_reported = true;
	size_t before = r->diags->count;
	suppress_report_unused(&r->markers, r->diags);
	if (r->diags->count > before)
		settle(r); /* the configuration may turn DKF121 off too */
}

static int status_of(const struct diag_list *diags, bool strict)
{
	if (diag_count_at_least(diags, DIAG_ERROR))
		return DKF_EXIT_FINDINGS;
	if (strict && diag_count_at_least(diags, DIAG_WARNING))
		return DKF_EXIT_FINDINGS;
	return DKF_EXIT_OK;
}

int report_outcome(struct report *r, bool strict)
{
	settle_all(r);
	return status_of(r->diags, strict);
}

int report_finish(struct report *r, const struct report_output *o)
{
	settle_all(r);
	diag_sort(r->diags, r->inputs, r->input_count);
	r->settled = r->diags->count;

	const char **excerpts = o->format->quotes_lines ? fetch_excerpts(r->diags) : NULL;
	struct strbuf text;
	strbuf_init(&text);
	report_write(o->format, &o->ctx, r->diags, excerpts, &text);
	free(excerpts);
	size_t written = fwrite(text.buf, 1, text.len, o->out);
	bool failed = written != text.len || fflush(o->out) != 0 || ferror(o->out);
	strbuf_release(&text);
	if (failed) {
		if (o->out == stdout)
			fprintf(stderr, "dkfpolicy: cannot write to standard output: %s\n",
				strerror(errno));
		return DKF_EXIT_TROUBLE;
	}
	return status_of(r->diags, o->strict);
}

/* "DKF101, DKF204": the codes of the errors seen before settling, each once. */
static void error_codes(const struct report *r, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int code = 0; code < DIAG_CODE_COUNT && used < size; code++) {
		if (!r->error_seen[code])
			continue;
		int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
				 diag_info((enum diag_code)code)->code);
		used += n > 0 ? (size_t)n : 0;
	}
}

int report_result(struct report *r, const struct report_output *o, bool built, const char *what)
{
	settle(r);
	int status = report_finish(r, o);
	if (built || status != DKF_EXIT_OK)
		return status;
	/* nothing may follow a JSON document on stderr: the exit status says it */
	if (!report_output_takes_messages(o))
		return DKF_EXIT_FINDINGS;
	/* silenced errors still name what went wrong */
	char codes[256];
	error_codes(r, codes, sizeof(codes));
	if (!*codes)
		snprintf(codes, sizeof(codes), "%s", "a file that did not load");
	bool one = strchr(codes, ',') == NULL && strncmp(codes, "DKF", 3) == 0;
	fprintf(stderr,
		"dkfpolicy: no %s: errors that silencing does not fix stop it (%s, silenced); "
		"fix the input ('dkfpolicy explain %s' says how)\n",
		what, codes, one ? codes : "CODE");
	return DKF_EXIT_FINDINGS;
}

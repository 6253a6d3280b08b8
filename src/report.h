#ifndef DKF_REPORT_H
#define DKF_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "diag.h"
#include "strbuf.h"
#include "suppress.h"

/*
 * The report: every diagnostic goes from the stages to the user through
 * here, in one order.
 *
 *  1. Settle, once per diagnostic: inline suppressions (from the markers the
 *     front end kept) and the configuration's severities. A command that
 *     prints a result asks report_errors() how many errors are left before it
 *     decides to print; diagnostics added after that are settled later. No
 *     diagnostic is settled twice and no file is read again for it.
 *  2. At the end (report_finish): unused suppressions (DKF121), sort by
 *     input order, line, column and code, drop exact repeats.
 *  3. Fetch the lines the text format may quote, each file read at most once
 *     and only near those lines (excerpt.h).
 *  4. Hand each diagnostic to the format: a record of three functions
 *     (ShellCheck's formatters are records of the same kind), writing into
 *     one buffer that is written out at once.
 *
 * Only this module and the commands' results write to streams.
 */

/* What a format needs besides the diagnostics. */
struct report_context {
	bool color;               /* SGR colours (text only) */
	const char *tool_version; /* dkfpolicy's, for JSON and SARIF */
};

struct report_format {
	const char *name; /* as --format spells it */
	/* before the first diagnostic (diags: all of them, for counts) */
	void (*header)(struct strbuf *out, const struct report_context *ctx,
		       const struct diag_list *diags);
	/* one diagnostic; index counts from 0; excerpt is its public source
	 * line, or NULL */
	void (*diag)(struct strbuf *out, const struct report_context *ctx, const struct diag *d,
		     size_t index, const char *excerpt);
	void (*footer)(struct strbuf *out, const struct report_context *ctx,
		       const struct diag_list *diags);
	bool quotes_lines; /* shows excerpts: the report fetches them */
	/* one JSON document: nothing else may be written on its stream, or a
	 * reader of the stream cannot parse it */
	bool is_document;
};

extern const struct report_format report_text_format;
extern const struct report_format report_json_format; /* shape REPORT_JSON_VERSION */
extern const struct report_format report_sarif_format;
extern const struct report_format report_github_format;

/* JSON, shape version REPORT_JSON_VERSION, documented in README.md. */
enum { REPORT_JSON_VERSION = 1 };

/* The formats in --format order; NULL-terminated. */
extern const struct report_format *const report_formats[];

/* The report of one run. */
struct report {
	struct diag_list *diags;
	const struct dkf_config *config;
	struct suppress_set markers;
	size_t settled;                   /* diags->items[0..settled) are settled */
	bool unused_reported;             /* DKF121 added: suppress_report_unused ran */
	bool error_seen[DIAG_CODE_COUNT]; /* codes of errors before settling (report_result) */
	const char **inputs;              /* heap: input names in command-line order */
	size_t input_count, input_alloc;
};

void report_init(struct report *r, struct diag_list *diags, const struct dkf_config *config);
void report_release(struct report *r);

/* An input named on the command line, in order: diagnostics are sorted by
 * it ("-" is shown as "<stdin>"). */
void report_input(struct report *r, const char *name);

/* Settle what is new; the errors that count now. */
size_t report_errors(struct report *r);

/* The exit status the report will call for (strict: warnings fail too),
 * without writing it: the last findings of the run (unused suppressions)
 * are added now. A command that writes a JSON document on stderr asks this
 * first, so what it does next can still go into the document. */
int report_outcome(struct report *r, bool strict);

/* Where and how the report goes. */
struct report_output {
	const struct report_format *format;
	FILE *out;
	struct report_context ctx;
	bool strict; /* warnings fail too */
};

/* Whether a message may follow the report on its stream: not after a JSON
 * document on stderr (render, namespaces and preview write the report there,
 * so `2>report.sarif` must stay one document). */
static inline bool report_output_takes_messages(const struct report_output *o)
{
	return !(o->format->is_document && o->out == stderr);
}

/* Settle, sort and write the report; the exit status it calls for
 * (DKF_EXIT_TROUBLE when the report could not be written). */
int report_finish(struct report *r, const struct report_output *o);

/*
 * report_finish, for a command that prints a result (render, namespaces,
 * preview). built: it could build its result. When it could not because of
 * errors that silencing does not lift, and every one of them was silenced,
 * there is nothing to fail on; yet success with no output would hand a sync
 * job an empty policy: fail, naming the codes (what: "policy", "preview").
 */
int report_result(struct report *r, const struct report_output *o, bool built, const char *what);

#endif

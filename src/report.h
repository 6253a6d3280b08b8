#ifndef DKF_REPORT_H
#define DKF_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "strbuf.h"

/*
 * Writers of a sorted diagnostic list, one per output format. Only these and
 * main.c write to streams. They return 0, or -1 when the stream failed.
 */
int report_text(FILE *out, const struct diag_list *diags);

/*
 * Machine-readable formats (--format). Each writes one complete document (or
 * one workflow command per line for github), also when the list is empty.
 * tool_version names the dkfpolicy release in the document.
 */

/* JSON, shape version REPORT_JSON_VERSION, documented in README.md. */
enum { REPORT_JSON_VERSION = 1 };
int report_json(FILE *out, const struct diag_list *diags, const char *tool_version);
/* SARIF 2.1.0 for GitHub code scanning: every rule of diag_codes.def, and
 * results with relative URIs. */
int report_sarif(FILE *out, const struct diag_list *diags, const char *tool_version);
/* GitHub Actions workflow commands: ::error file=F,line=L,col=C,title=T::message */
int report_github(FILE *out, const struct diag_list *diags);

/* Append s escaped for a workflow command: '%', CR and LF always; ':' and ','
 * too when is_property (file=, title=). Exposed for the unit tests. */
void report_github_escape(struct strbuf *out, const char *s, bool is_property);
/* Append path as a SARIF artifact URI: a relative path stays relative (GitHub
 * resolves it against the checkout), an absolute one becomes file:///...;
 * bytes outside RFC 3986's unreserved set and '/' are percent-encoded. */
void report_sarif_uri(struct strbuf *out, const char *path);

#endif

#ifndef DKF_RENDER_H
#define DKF_RENDER_H

#include "policy.h"
#include "strbuf.h"

/*
 * Render the ClusterPolicy YAML for a policy with at least one credential,
 * from the embedded template of the policy's version shape, appending to out.
 * Every inserted value is a double-quoted JSON/YAML string, so no value can
 * change the document's structure. Returns 0, or -1 if the embedded template
 * is missing or malformed (a build bug; out is then unchanged).
 */
int render_policy(const struct policy *policy, struct strbuf *out);

/*
 * The same, numbering the credentials from first_index instead of 0 (the
 * cloned Secrets and rule names carry the index). Only for measuring: the
 * size model of check_size.c learns what a longer index costs from one
 * credential numbered 10, not from eleven credentials.
 */
int render_policy_numbered(const struct policy *policy, size_t first_index, struct strbuf *out);
/*
 * The same, handing the text to write(ctx, data, len) in pieces of about
 * RENDER_CHUNK bytes as it is produced: a policy of thousands of credentials
 * is megabytes, and held whole it costs a page fault per 4 KB. Returns 0,
 * or -1 for a broken template (before write is first called).
 */
enum { RENDER_CHUNK = 64 * 1024 };
int render_policy_stream(const struct policy *policy,
			 void (*write)(void *ctx, const char *data, size_t len), void *ctx);

#endif

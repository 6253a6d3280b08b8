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

#endif

#ifndef DKF_RSIZE_H
#define DKF_RSIZE_H

#include <stddef.h>

#include "arena.h"
#include "block.h"
#include "diag.h"
#include "policy.h"
#include "version.h"

/*
 * Size of the rendered policy against the Kubernetes limits it must fit:
 * the API server stores objects as JSON in etcd, whose default request limit
 * (--max-request-bytes) is 1.5 MiB, and `kubectl apply` (client-side) copies
 * the whole object into the last-applied-configuration annotation, and all
 * annotations together may hold at most 256 KiB. Every credential adds its
 * rules, so a long registryCredentials list is what makes a policy too big.
 */
enum {
	RSIZE_APPLY_ANNOTATION_LIMIT = 262144,  /* metadata.annotations total, bytes */
	RSIZE_ETCD_REQUEST_LIMIT = 1572864,     /* etcd --max-request-bytes default */
};

/*
 * The size of yaml (one rendered document) written as compact JSON, the way
 * the API server stores and kubectl annotates it. Returns 0 if yaml does not
 * parse (a build bug: the renderer's output always parses).
 */
size_t rsize_json_size(const char *yaml, size_t len);

/*
 * Check a rendered policy of config (a block without errors that renders):
 * adds DKF411 (error) when the object cannot be stored, DKF410 (warning) when
 * client-side `kubectl apply` would fail; both point at registryCredentials
 * and name the credential count. Returns the JSON size.
 */
size_t rsize_check(const char *yaml, size_t len, const struct ips_config *config,
		   struct diag_list *diags);

/*
 * The JSON size of what render_policy writes for policy, or 0 if it renders
 * nothing. Exact; for many credentials computed from a few small probe
 * renderings instead of parsing the whole document.
 */
size_t rsize_policy_json_size(const struct policy *policy);

/* Free what rsize_policy_json_size keeps between calls (at exit). */
void rsize_release(void);

/*
 * An upper bound of rsize_policy_json_size, cheap to compute: a policy under
 * every limit by this bound needs no exact size.
 */
size_t rsize_upper_bound(const struct policy *policy);

/* rsize_check for the rendering of policy (which need not exist as text).
 * Returns the JSON size, or the upper bound when that is below every limit. */
size_t rsize_check_policy(const struct policy *policy, const struct ips_config *config,
			  struct diag_list *diags);

/* rsize_check for the policy config renders for version (for lint). */
void rsize_check_config(const struct ips_config *config, enum dkf_version version,
			struct arena *arena, struct diag_list *diags);

#endif

#ifndef DKF_CHECK_SIZE_H
#define DKF_CHECK_SIZE_H

#include <stddef.h>

#include "arena.h"
#include "check_block.h"
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
	CHECK_SIZE_APPLY_ANNOTATION_LIMIT = 262144, /* metadata.annotations total, bytes */
	CHECK_SIZE_ETCD_REQUEST_LIMIT = 1572864,    /* etcd --max-request-bytes default */
};

/* Free what the size model keeps between calls (at exit). */
void check_size_release(void);

/*
 * Check the rendering of policy (a block without errors that renders; the
 * text need not exist): adds DKF411 (error) when the object cannot be stored,
 * DKF410 (warning) when client-side `kubectl apply` would fail; both point at
 * registryCredentials and name the credential count. Returns the JSON size,
 * or a cheap upper bound of it when that is below every limit.
 */
size_t check_size_policy(const struct policy *policy, const struct ips_config *config,
			 struct diag_list *diags);

/* check_size_policy for the policy config renders for version (for lint). */
void check_size_config(const struct ips_config *config, enum dkf_version version,
		       struct arena *arena, struct diag_list *diags);

#endif

#ifndef DKF_POLICY_H
#define DKF_POLICY_H

#include <stddef.h>

#include "version.h"

/*
 * The policy deployKF renders, as plain data: the validated values with
 * deployKF's defaults applied (exclude list = excludeNamespaces then the
 * kyverno namespace, first occurrence kept; an empty or missing source
 * namespace falls back to the kyverno namespace). Strings are borrowed;
 * the policy owns only its arrays.
 */
struct policy_credential {
	const char *secret_name;      /* clone.name */
	const char *source_namespace; /* clone.namespace */
};

struct policy {
	enum dkf_version version;
	const char *kyverno_namespace;
	const char **excluded; /* exclude list, deduplicated, in deployKF's order */
	size_t excluded_count;
	struct policy_credential *credentials;
	size_t credential_count;
};

#endif

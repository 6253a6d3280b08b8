#ifndef DKF_CHECK_REACH_H
#define DKF_CHECK_REACH_H

#include <stddef.h>

#include "check_block.h"
#include "diag.h"
#include "node.h"

/*
 * Which namespaces the policy really reaches, with Kyverno's wildcard
 * semantics: patterns that exclude everything (DKF215), that also exclude
 * namespaces deployKF itself creates (DKF216), a `?` read as "at least one"
 * (DKF217); Argo CD moved to a namespace the literal `argocd` exclude misses
 * (DKF308); a policy enabled while Kyverno is not deployed (DKF309).
 */
struct check_reach_options {
	const char *const *known_namespaces; /* more namespaces to protect (config) */
	size_t known_namespace_count;
	const char *const *expected_excludes; /* excluded on purpose: never "swallowed" */
	size_t expected_exclude_count;
	const char *defaults_name; /* the defaults layer's file name */
};

/* The namespaces deployKF v0.1.x creates for its own workloads (the
 * `namespace:` settings of its default_values.yaml, plus Kubeflow's). */
extern const char *const reach_deploykf_namespaces[];
extern const size_t reach_deploykf_namespace_count;

/* root is the merged values (NULL: empty). Adds diagnostics only. */
void check_reach(const struct ips_config *config, const struct node *root,
		 const struct check_reach_options *options, struct arena *arena,
		 struct diag_list *diags);

#endif

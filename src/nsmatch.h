#ifndef DKF_NSMATCH_H
#define DKF_NSMATCH_H

#include <stddef.h>

#include "policy.h"

/*
 * Does the policy exclude a namespace? The same test Kyverno makes for every
 * rule of the policy: the clone rules exclude Namespaces by `names`, the Pod
 * rule excludes Pods by `namespaces`, and both lists are the policy's exclude
 * list, matched with Kyverno's wildcards (names.h). Used by the namespaces
 * and preview commands, which must agree.
 */
enum nsmatch_reason {
	NSMATCH_INCLUDED,          /* no pattern matches: the namespace gets the clones */
	NSMATCH_KYVERNO_NAMESPACE, /* deployKF always appends the kyverno namespace */
	NSMATCH_PATTERN,           /* an excludeNamespaces pattern matches */
};

struct nsmatch {
	const struct policy *policy; /* borrowed */
	struct wildcard **compiled;  /* heap; one per policy->excluded entry */
};

/* Compile the policy's exclude list; release with nsmatch_release. */
void nsmatch_init(struct nsmatch *m, const struct policy *policy);
void nsmatch_release(struct nsmatch *m);

/*
 * Classify namespace ns. For NSMATCH_PATTERN, *pattern is the first pattern
 * in the exclude list that matches (borrowed from the policy); otherwise
 * NULL. The kyverno namespace is reported as such even when a user pattern
 * matches it too, because deployKF excludes it whatever the values say.
 */
enum nsmatch_reason nsmatch_classify(const struct nsmatch *m, const char *ns, size_t len,
				     const char **pattern);

/* The name of credential i's copy in every namespace: "cloned--image-pull-secret-<i>",
 * as deployKF names it. Writes into buf (at least NSMATCH_CLONE_NAME_MAX bytes). */
enum { NSMATCH_CLONE_NAME_MAX = 64 };
void nsmatch_clone_name(size_t index, char *buf, size_t buflen);

#endif

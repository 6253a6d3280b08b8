#include "nsmatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "xalloc.h"

void nsmatch_init(struct nsmatch *m, const struct policy *policy)
{
	m->policy = policy;
	m->compiled = xcalloc(policy->excluded_count + 1, sizeof(*m->compiled));
	for (size_t i = 0; i < policy->excluded_count; i++)
		m->compiled[i] = wildcard_compile(policy->excluded[i], strlen(policy->excluded[i]));
}

void nsmatch_release(struct nsmatch *m)
{
	if (m->policy)
		for (size_t i = 0; i < m->policy->excluded_count; i++)
			wildcard_free(m->compiled[i]);
	free(m->compiled);
	memset(m, 0, sizeof(*m));
}

enum nsmatch_reason nsmatch_classify(const struct nsmatch *m, const char *ns, size_t len,
				     const char **pattern)
{
	*pattern = NULL;
	const char *kyverno = m->policy->kyverno_namespace;
	if (kyverno && strlen(kyverno) == len && memcmp(kyverno, ns, len) == 0)
		return NSMATCH_KYVERNO_NAMESPACE;
	for (size_t i = 0; i < m->policy->excluded_count; i++) {
		if (wildcard_match(m->compiled[i], ns, len)) {
			*pattern = m->policy->excluded[i];
			return NSMATCH_PATTERN;
		}
	}
	return NSMATCH_INCLUDED;
}

void nsmatch_clone_name(size_t index, char *buf, size_t buflen)
{
	/* templates/clusterpolicy-*.yaml: generate.name of clone rule <i> */
	snprintf(buf, buflen, "cloned--image-pull-secret-%zu", index);
}

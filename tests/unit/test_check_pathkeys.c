#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "check_pathkeys.h"
/* the module itself, for its static functions (the Makefile links the test without its object) */
#include "../../src/check_pathkeys.c"

struct near_row {
	const char *word;
	const char *target;
	bool want;
};

/* The spellings the issue names, and keys that merely share a prefix. */
static const struct near_row rows[] = {
	{ "deploykf_dependecies", "deploykf_dependencies", true },
	{ "deployKF_dependencies", "deploykf_dependencies", true },
	{ "deploykf-dependencies", "deploykf_dependencies", true },
	{ "deploykfdependencies", "deploykf_dependencies", true },
	{ "clusterPolicy", "clusterPolicies", true },
	{ "cluster_policies", "clusterPolicies", true },
	{ "imagePullSecret", "imagePullSecrets", true },
	{ "image_pull_secrets", "imagePullSecrets", true },
	{ "ImagePullSecrets", "imagePullSecrets", true },
	{ "Kyverno", "kyverno", true },
	{ "kyvrno", "kyverno", true },
	{ "deploykf_core", "deploykf_dependencies", false },
	{ "kubeflow_dependencies", "deploykf_dependencies", false },
	{ "istio", "kyverno", false },
	{ "namespace", "kyverno", false },
	{ "enabled", "clusterPolicies", false },
	{ "imagePullPolicy", "imagePullSecrets", false },
};

static void test_near(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool got = is_near(rows[i].word, strlen(rows[i].word), rows[i].target);
		if (got != rows[i].want)
			fail_msg("'%s' near '%s': got %d, want %d", rows[i].word, rows[i].target,
				 got, rows[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_near),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "suggest.h"
/* the module itself, for its static functions (the Makefile links the test without its object) */
#include "../../src/suggest.c"

struct distance_row {
	const char *a;
	const char *b;
	size_t want;
};

static const struct distance_row distance_rows[] = {
	{ "", "", 0 },
	{ "a", "", 1 },
	{ "", "abc", 3 },
	{ "enabled", "enabled", 0 },
	{ "enable", "enabled", 1 },
	{ "enabeld", "enabled", 1 }, /* one swap, not two substitutions */
	{ "abc", "acb", 1 },
	{ "ca", "abc", 3 }, /* OSA edits each substring once */
	{ "kitten", "sitting", 3 },
	{ "existingSecretNamespce", "existingSecretNamespace", 1 },
	{ "deploykf_dependecies", "deploykf_dependencies", 1 },
	/* Case and '_' versus '-' are folded away. */
	{ "deployKF_dependencies", "deploykf_dependencies", 0 },
	{ "image-pull-secrets", "image_pull_secrets", 0 },
	{ "ENABLED", "enabled", 0 },
	{ "image_pull_secrets", "imagePullSecrets", 2 },
	{ "foo", "enabled", 7 },
};

static void test_distance(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof distance_rows / sizeof distance_rows[0]; i++) {
		const struct distance_row *r = &distance_rows[i];
		size_t ab = suggest_distance(r->a, strlen(r->a), r->b, strlen(r->b));
		size_t ba = suggest_distance(r->b, strlen(r->b), r->a, strlen(r->a));

		if (ab != r->want || ba != r->want)
			print_error("distance row %zu '%s' '%s': got %zu/%zu, want %zu\n", i, r->a,
				    r->b, ab, ba, r->want);
		assert_int_equal(ab, r->want);
		assert_int_equal(ba, r->want);
	}
}

static void test_distance_length_cap(void **state)
{
	char a[200], b[200];

	(void)state;
	memset(a, 'a', sizeof a);
	memset(b, 'a', sizeof b);
	b[0] = 'b';
	assert_int_equal(suggest_distance(a, 128, a, 128), 0);
	assert_int_equal(suggest_distance(a, 128, b, 128), 1);
	assert_int_equal(suggest_distance(a, 128, b, 127), 2);
	/* Over the cap: "far", whatever the texts. */
	assert_int_equal(suggest_distance(a, 129, a, 129), SIZE_MAX);
	assert_int_equal(suggest_distance(a, 129, a, 1), SIZE_MAX);
	assert_int_equal(suggest_distance(a, 1, a, 200), SIZE_MAX);
}

static const char *const block_keys[] = { "enabled", "excludeNamespaces", "registryCredentials" };
static const char *const top_keys[] = { "deploykf_core", "deploykf_dependencies", "deploykf_opt",
					"kubeflow_tools" };
static const char *const credential_keys[] = { "existingSecret", "existingSecretNamespace",
					       "imagePullSecrets" };

struct closest_row {
	const char *word;
	const char *const *candidates;
	size_t count;
	const char *want; /* NULL: no suggestion */
};

#define KEYS(k) k, sizeof k / sizeof k[0]

static const struct closest_row closest_rows[] = {
	{ "existingSecretNamespce", KEYS(credential_keys), "existingSecretNamespace" },
	{ "existingsecret", KEYS(credential_keys), "existingSecret" },
	{ "image_pull_secrets", KEYS(credential_keys), "imagePullSecrets" },
	{ "enable", KEYS(block_keys), "enabled" },
	{ "Enabled", KEYS(block_keys), "enabled" },
	{ "exclude_namespaces", KEYS(block_keys), "excludeNamespaces" },
	{ "excludeNamespace", KEYS(block_keys), "excludeNamespaces" },
	{ "registryCredential", KEYS(block_keys), "registryCredentials" },
	{ "deploykf_dependecies", KEYS(top_keys), "deploykf_dependencies" },
	{ "deployKF_dependencies", KEYS(top_keys), "deploykf_dependencies" },
	{ "deploykf-dependencies", KEYS(top_keys), "deploykf_dependencies" },
	{ "kubeflow-tools", KEYS(top_keys), "kubeflow_tools" },
	{ "foo", KEYS(block_keys), NULL },
	{ "e", KEYS(block_keys), NULL },
	{ "namespaces", KEYS(block_keys), NULL },
	{ "credentials", KEYS(block_keys), NULL },
	{ "enabled", NULL, 0, NULL },
};

static void test_closest(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof closest_rows / sizeof closest_rows[0]; i++) {
		const struct closest_row *r = &closest_rows[i];
		const char *got =
			suggest_closest(r->word, strlen(r->word), r->candidates, r->count);

		if (r->want == NULL && got != NULL)
			print_error("closest row %zu '%s': got '%s', want none\n", i, r->word, got);
		if (r->want == NULL) {
			assert_null(got);
			continue;
		}
		if (got == NULL)
			print_error("closest row %zu '%s': got none\n", i, r->word);
		assert_non_null(got);
		assert_string_equal(got, r->want);
	}
}

static void test_closest_returns_candidate_pointer(void **state)
{
	const char *got;

	(void)state;
	got = suggest_closest("enable", 6, block_keys, 3);
	assert_ptr_equal(got, block_keys[0]);
}

static void test_closest_tie_goes_to_earlier(void **state)
{
	static const char *const candidates[] = { "namespace", "namespaces" };
	static const char *const swapped[] = { "namespaces", "namespace" };

	(void)state;
	/* "namespacex" is one edit from either. */
	assert_ptr_equal(suggest_closest("namespacex", 10, candidates, 2), candidates[0]);
	assert_ptr_equal(suggest_closest("namespacex", 10, swapped, 2), swapped[0]);
	/* An exact match beats an earlier near miss. */
	assert_ptr_equal(suggest_closest("namespaces", 10, candidates, 2), candidates[1]);
}

static void test_closest_long_word(void **state)
{
	static const char *const candidates[] = { "enabled" };
	char word[400];

	(void)state;
	memset(word, 'e', sizeof word);
	assert_null(suggest_closest(word, sizeof word, candidates, 1));
	/* The word's length, not its NUL, counts. */
	memcpy(word, "enabled", 7);
	assert_ptr_equal(suggest_closest(word, 6, candidates, 1), candidates[0]);
}

/* The path-key check asks "within k edits?" for every key of a large file;
 * the quick answer must be exactly the distance's, for near and far words. */
static void test_within_agrees_with_distance(void **state)
{
	(void)state;
	static const char *const words[] = {
		"deploykf_dependencies",
		"deployKF-dependencies",
		"deploykf_dependecies",
		"kyverno",
		"kyvreno",
		"Kyverno",
		"kyverno_x",
		"clusterPolicies",
		"clusterpolicy",
		"imagePullSecrets",
		"image_pull_secrets",
		"imagePullSecret",
		"imgPullSecrets",
		"app_00001",
		"tool_00042",
		"",
		"a",
		"ab",
		"ba",
		"abc",
		"cab",
		"enabled",
		"enabeld",
		"registryCredentials",
		"registryCredential",
		"excludeNamespaces",
	};
	size_t n = sizeof words / sizeof words[0];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			for (size_t k = 0; k <= 4; k++) {
				size_t d = suggest_distance(words[i], strlen(words[i]), words[j],
							    strlen(words[j]));
				assert_int_equal(suggest_within(words[i], strlen(words[i]),
								words[j], strlen(words[j]), k),
						 d <= k);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_distance_length_cap),
		cmocka_unit_test(test_closest),
		cmocka_unit_test(test_closest_returns_candidate_pointer),
		cmocka_unit_test(test_closest_tie_goes_to_earlier),
		cmocka_unit_test(test_closest_long_word),
		cmocka_unit_test(test_within_agrees_with_distance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

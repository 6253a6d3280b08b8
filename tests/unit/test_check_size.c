/*
 * Unit tests for check_size.c: the JSON size of a rendered document decides
 * whether the API server (etcd) and client-side kubectl apply accept the
 * policy, so it must match what encoding/json would write.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "check_size.h"
/* the module itself, for its static functions (the Makefile links the test without its object) */
#include "../../src/check_size.c"
#include "strbuf.h"

static size_t size_of(const char *yaml)
{
	return size_json_size(yaml, strlen(yaml));
}

static void test_map_of_strings(void **state)
{
	(void)state;
	/* {"a":"x"} */
	assert_int_equal(size_of("a: \"x\"\n"), 9);
	/* {"a":"x","bb":"yy"} */
	assert_int_equal(size_of("a: \"x\"\nbb: \"yy\"\n"), 19);
}

static void test_plain_values_are_written_as_is(void **state)
{
	(void)state;
	/* {"generateExisting":true,"n":10} */
	assert_int_equal(size_of("generateExisting: true\nn: 10\n"), 32);
}

static void test_lists_and_nesting(void **state)
{
	(void)state;
	/* {"a":["b","c"],"d":{"e":[]}} */
	assert_int_equal(size_of("a: [\"b\",\"c\"]\nd:\n  e: []\n"), 28);
}

static void test_escapes_count(void **state)
{
	(void)state;
	/* a block scalar "x\ny": {"p":"x\ny"} with \n written as two bytes */
	assert_int_equal(size_of("p: |-\n  x\n  y\n"), 12);
	/* a quote and a backslash are escaped: {"q":"a\"b\\c"} */
	assert_int_equal(size_of("q: 'a\"b\\c'\n"), 15);
}

static void test_comments_and_indentation_cost_nothing(void **state)
{
	(void)state;
	assert_int_equal(size_of("# a long comment that JSON does not keep\nmetadata:\n"
				 "    name: \"x\"   # another\n"),
			 size_of("metadata: {name: \"x\"}\n"));
}

static void test_broken_yaml_is_zero(void **state)
{
	(void)state;
	assert_int_equal(size_of("a: [\n"), 0);
}

/* What DKF410/DKF411 say must not depend on how the size is computed: the
 * size of a policy equals the parse of its rendering, for long lists of
 * every shape (index widths, name lengths, default namespaces). */
static size_t parsed_size(const struct policy *p)
{
	struct strbuf text;
	strbuf_init(&text);
	size_t size = render_policy(p, &text) == 0 ? size_json_size(text.buf, text.len) : 0;
	strbuf_release(&text);
	return size;
}

static void check_policy_sizes(const char *odd_name)
{
	static const size_t counts[] = { 1, 2, 1, 3, 10, 11, 12, 16, 17, 18, 101, 1003 };
	static const char *excluded[] = { "argocd", "kube-*", "kyverno" };
	static const enum dkf_version versions[] = { DKF_V0_1_3, DKF_V0_1_5 };
	char(*names)[48] = calloc(1003, sizeof(*names));
	struct policy_credential *creds = calloc(1003, sizeof(*creds));
	assert_non_null(names);
	assert_non_null(creds);
	for (size_t i = 0; i < 1003; i++) {
		snprintf(names[i], sizeof names[i], "registry-%zu-%.*s", i, (int)(i % 13),
			 "abcdefghijklmnop");
		creds[i].secret_name = names[i];
		creds[i].source_namespace = i % 3 == 0 ? NULL : i % 3 == 1 ? "" : names[i] + 9;
	}
	if (odd_name)
		creds[500].secret_name = odd_name;
	for (size_t v = 0; v < 2; v++) {
		for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
			struct policy p = { versions[v], "kyverno", excluded, 3, creds, counts[c] };
			size_t expected = parsed_size(&p);
			assert_true(expected > 0);
			assert_int_equal(size_policy_json_size(&p), expected);
			/* the cheap bound that lets small policies skip sizing holds */
			assert_true(size_upper_bound(&p) >= expected);
		}
	}
	free(names);
	free(creds);
}

/* The bound also holds when the exclude list, repeated in every rule, is
 * long; and a policy over a limit is never let through by it. */
static void test_upper_bound_with_long_excludes(void **state)
{
	(void)state;
	static char names[60][64];
	const char *excluded[60];
	for (size_t i = 0; i < 60; i++) {
		snprintf(names[i], sizeof names[i], "team-%02zu-%s", i,
			 "a-rather-long-namespace-pattern-for-the-bound-*");
		excluded[i] = names[i];
	}
	struct policy_credential creds[40];
	for (size_t i = 0; i < 40; i++) {
		creds[i].secret_name = "registry.example.com";
		creds[i].source_namespace = i % 2 ? "argocd" : NULL;
	}
	for (size_t n = 1; n <= 40; n += 13) {
		struct policy p = { DKF_V0_1_5, "kyverno", excluded, 60, creds, n };
		size_t exact = parsed_size(&p);
		assert_true(exact > 0);
		assert_true(size_upper_bound(&p) >= exact);
	}
}

static void test_policy_size_matches_the_rendering(void **state)
{
	(void)state;
	check_policy_sizes(NULL);
}

static void test_policy_size_with_a_name_that_needs_escapes(void **state)
{
	(void)state;
	check_policy_sizes("odd \"name\" <&> #: x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_of_strings),
		cmocka_unit_test(test_plain_values_are_written_as_is),
		cmocka_unit_test(test_lists_and_nesting),
		cmocka_unit_test(test_escapes_count),
		cmocka_unit_test(test_comments_and_indentation_cost_nothing),
		cmocka_unit_test(test_broken_yaml_is_zero),
		cmocka_unit_test(test_upper_bound_with_long_excludes),
		cmocka_unit_test(test_policy_size_matches_the_rendering),
		cmocka_unit_test(test_policy_size_with_a_name_that_needs_escapes),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	check_size_release();
	return failed;
}

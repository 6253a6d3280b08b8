/*
 * Unit tests for rsize.c: the JSON size of a rendered document decides
 * whether the API server (etcd) and client-side kubectl apply accept the
 * policy, so it must match what encoding/json would write.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "rsize.h"

static size_t size_of(const char *yaml)
{
	return rsize_json_size(yaml, strlen(yaml));
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_of_strings),
		cmocka_unit_test(test_plain_values_are_written_as_is),
		cmocka_unit_test(test_lists_and_nesting),
		cmocka_unit_test(test_escapes_count),
		cmocka_unit_test(test_comments_and_indentation_cost_nothing),
		cmocka_unit_test(test_broken_yaml_is_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_strset.c - the set behind duplicate excludes and credentials: a repeat is
 * found and names the index where the string was first seen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "strset.h"

static void test_insert_and_repeat(void **state)
{
	(void)state;
	size_t found;
	struct strset set;
	size_t first = 99;
	strset_init(&set);
	assert_false(strset_find(&set, "argocd", 6, &found)); /* an empty set has nothing */
	assert_true(strset_insert(&set, "argocd", 6, 0, &first));
	assert_true(strset_insert(&set, "kube-system", 11, 1, &first));
	assert_int_equal(first, 99); /* untouched on a new string */
	assert_false(strset_insert(&set, "argocd", 6, 2, &first));
	assert_int_equal(first, 0);                              /* the value stored first */
	assert_false(strset_insert(&set, "argocd", 6, 3, NULL)); /* existing may be NULL */
	assert_true(strset_find(&set, "kube-system", 11, &found));
	assert_false(strset_find(&set, "kube", 4, &found));
	strset_release(&set);
	assert_false(strset_find(&set, "argocd", 6, &found));
}

static void test_length_is_the_truth(void **state)
{
	(void)state;
	size_t found;
	struct strset set;
	strset_init(&set);
	/* prefixes, an empty string and embedded NUL bytes are all different strings */
	assert_true(strset_insert(&set, "team", 4, 0, NULL));
	assert_true(strset_insert(&set, "team-a", 6, 1, NULL));
	assert_true(strset_insert(&set, "team-a", 0, 2, NULL));
	assert_true(strset_insert(&set, "a\0b", 3, 3, NULL));
	assert_true(strset_insert(&set, "a\0c", 3, 4, NULL));
	assert_false(strset_insert(&set, "team-abc", 4, 5, NULL)); /* == "team" */
	assert_true(strset_find(&set, "", 0, &found));
	strset_release(&set);
}

static void test_many_strings_grow(void **state)
{
	(void)state;
	struct strset set;
	static char names[2000][16];
	strset_init(&set);
	for (size_t i = 0; i < 2000; i++) {
		snprintf(names[i], sizeof names[i], "ns-%zu", i);
		assert_true(strset_insert(&set, names[i], strlen(names[i]), i, NULL));
	}
	for (size_t i = 0; i < 2000; i++) {
		size_t first;
		assert_false(strset_insert(&set, names[i], strlen(names[i]), 0, &first));
		assert_int_equal(first, i);
	}
	assert_int_equal(set.used, 2000);
	strset_release(&set);
}

/* A reserved set takes its strings without growing, and still finds them. */
static void test_reserve_holds_without_growing(void **state)
{
	(void)state;
	static char names[2000][16];
	struct strset set;
	strset_init(&set);
	strset_reserve(&set, 2000);
	size_t alloc = set.alloc;
	assert_true(alloc * 3 >= 2000 * 4);
	for (size_t i = 0; i < 2000; i++) {
		snprintf(names[i], sizeof names[i], "secret-%zu", i);
		assert_true(strset_insert(&set, names[i], strlen(names[i]), i, NULL));
	}
	assert_int_equal(set.alloc, alloc);
	size_t first = 0;
	assert_false(strset_insert(&set, "secret-1999", 11, 0, &first));
	assert_int_equal(first, 1999);
	strset_release(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_and_repeat),
		cmocka_unit_test(test_length_is_the_truth),
		cmocka_unit_test(test_many_strings_grow),
		cmocka_unit_test(test_reserve_holds_without_growing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

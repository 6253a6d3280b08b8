/*
 * test_keyset.c - the duplicate-key set: a key repeated in the same map is
 * found with the position it was first written at, by yaml.v3's identity
 * (kind + text), while equal keys in other maps, in nested maps, or in a map
 * that has ended do not collide.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "keyset.h"

static enum keyset_result insert(struct keyset *set, size_t depth, char kind, const char *text,
				 unsigned line, unsigned *first_line, unsigned *first_col)
{
	return keyset_insert(set, depth, kind, text, strlen(text), line, 3, first_line, first_col);
}

static void test_repeat_in_one_map(void **state)
{
	(void)state;
	struct keyset set;
	unsigned fl = 0, fc = 0;
	keyset_init(&set);
	keyset_open(&set, 0);
	assert_int_equal(insert(&set, 0, 's', "enabled", 1, &fl, &fc), KEYSET_NEW);
	assert_int_equal(insert(&set, 0, 's', "excludeNamespaces", 2, &fl, &fc), KEYSET_NEW);
	assert_int_equal(fl, 0); /* untouched on a new key */
	assert_int_equal(insert(&set, 0, 's', "enabled", 7, &fl, &fc), KEYSET_DUPLICATE);
	assert_int_equal(fl, 1);
	assert_int_equal(fc, 3);
	keyset_close(&set, 0);
	keyset_release(&set);
}

static void test_identity_is_kind_and_text(void **state)
{
	(void)state;
	struct keyset set;
	unsigned fl = 0, fc = 0;
	keyset_init(&set);
	keyset_open(&set, 0);
	/* an alias key *a and a scalar key a are different keys to yaml.v3 */
	assert_int_equal(insert(&set, 0, 's', "a", 1, &fl, &fc), KEYSET_NEW);
	assert_int_equal(insert(&set, 0, 'a', "a", 2, &fl, &fc), KEYSET_NEW);
	/* "1" and 01 are different texts */
	assert_int_equal(insert(&set, 0, 's', "1", 3, &fl, &fc), KEYSET_NEW);
	assert_int_equal(insert(&set, 0, 's', "01", 4, &fl, &fc), KEYSET_NEW);
	/* the empty key and a key with a NUL byte are keys too */
	assert_int_equal(keyset_insert(&set, 0, 's', "", 0, 5, 1, &fl, &fc), KEYSET_NEW);
	assert_int_equal(keyset_insert(&set, 0, 's', "x\0y", 3, 6, 1, &fl, &fc), KEYSET_NEW);
	assert_int_equal(keyset_insert(&set, 0, 's', "x\0z", 3, 7, 1, &fl, &fc), KEYSET_NEW);
	assert_int_equal(keyset_insert(&set, 0, 's', "x\0y", 3, 8, 1, &fl, &fc), KEYSET_DUPLICATE);
	assert_int_equal(fl, 6);
	assert_int_equal(keyset_insert(&set, 0, 's', "", 0, 9, 1, &fl, &fc), KEYSET_DUPLICATE);
	assert_int_equal(fl, 5);
	keyset_release(&set);
}

static void test_nested_and_sibling_maps(void **state)
{
	(void)state;
	struct keyset set;
	unsigned fl = 0, fc = 0;
	keyset_init(&set);
	keyset_open(&set, 0);
	assert_int_equal(insert(&set, 0, 's', "name", 1, &fl, &fc), KEYSET_NEW);
	/* a map nested in it may use the same key */
	keyset_open(&set, 1);
	assert_int_equal(insert(&set, 1, 's', "name", 2, &fl, &fc), KEYSET_NEW);
	keyset_close(&set, 1);
	/* so may the next map at that depth: the table starts empty */
	keyset_open(&set, 1);
	assert_int_equal(insert(&set, 1, 's', "name", 3, &fl, &fc), KEYSET_NEW);
	assert_int_equal(insert(&set, 1, 's', "name", 4, &fl, &fc), KEYSET_DUPLICATE);
	assert_int_equal(fl, 3);
	keyset_close(&set, 1);
	/* the outer map still knows its own key */
	assert_int_equal(insert(&set, 0, 's', "name", 5, &fl, &fc), KEYSET_DUPLICATE);
	assert_int_equal(fl, 1);
	keyset_close(&set, 0);
	keyset_release(&set);
}

/* A map of ten thousand keys grows its table in place; a deep stack of maps
 * each keeps its own; the next map at depth 0 starts empty again. */
static void test_large_map_grows(void **state)
{
	(void)state;
	struct keyset set;
	unsigned fl = 0, fc = 0;
	char key[32];
	keyset_init(&set);
	keyset_open(&set, 0);
	for (unsigned i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "key-%u", i);
		assert_int_equal(insert(&set, 0, 's', key, i + 1, &fl, &fc), KEYSET_NEW);
	}
	for (unsigned i = 0; i < 10000; i += 999) {
		snprintf(key, sizeof(key), "key-%u", i);
		assert_int_equal(insert(&set, 0, 's', key, 20000, &fl, &fc), KEYSET_DUPLICATE);
		assert_int_equal(fl, i + 1);
	}
	for (size_t depth = 1; depth < 300; depth++) {
		keyset_open(&set, depth);
		assert_int_equal(insert(&set, depth, 's', "key-5", 1, &fl, &fc), KEYSET_NEW);
	}
	for (size_t depth = 299; depth >= 1; depth--)
		keyset_close(&set, depth);
	keyset_close(&set, 0);
	keyset_open(&set, 0);
	assert_int_equal(insert(&set, 0, 's', "key-5", 1, &fl, &fc), KEYSET_NEW);
	keyset_close(&set, 0);
	keyset_release(&set);
}

static void test_hash_uses_every_byte(void **state)
{
	(void)state;
	/* the lengths take every path of the hash: short, halves, words, tails */
	const char *a[] = {
		"a", "abc", "abcd", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnopq"
	};
	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		size_t len = strlen(a[i]);
		char b[32];
		for (size_t at = 0; at < len; at++) {
			memcpy(b, a[i], len);
			b[at] ^= 1;
			assert_int_not_equal(keyset_hash(a[i], len), keyset_hash(b, len));
		}
	}
	assert_int_not_equal(keyset_hash("ab", 2), keyset_hash("ab\0", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repeat_in_one_map),
		cmocka_unit_test(test_identity_is_kind_and_text),
		cmocka_unit_test(test_nested_and_sibling_maps),
		cmocka_unit_test(test_large_map_grows),
		cmocka_unit_test(test_hash_uses_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

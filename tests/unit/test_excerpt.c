/*
 * test_excerpt.c - the book of what may be quoted: private line ranges stay
 * exact in any order they are marked, and an excerpt stops before a comment
 * (one beside a setting may hold a token), never inside a quoted value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "excerpt.h"
/* the module itself, for its static functions (the Makefile links the test without its object) */
#include "../../src/excerpt.c"

/* Random ranges in random order: the table covers exactly the lines marked,
 * sorted, disjoint and merged. */
static void test_private_ranges_any_order(void **state)
{
	(void)state;
	srand(7);
	for (int round = 0; round < 3000; round++) {
		struct excerpt_file f;
		memset(&f, 0, sizeof(f));
		char marked[200] = { 0 };
		int n = rand() % 14;
		for (int i = 0; i < n; i++) {
			unsigned a = 1 + (unsigned)(rand() % 150), b = a + (unsigned)(rand() % 12);
			excerpt_mark_private_range(&f, a, b);
			for (unsigned l = a; l <= b; l++)
				marked[l] = 1;
		}
		for (size_t i = 0; i < f.count; i++) {
			assert_true(f.private_lines[i].first <= f.private_lines[i].last);
			if (i)
				assert_true(f.private_lines[i].first >
					    f.private_lines[i - 1].last + 1);
		}
		for (unsigned l = 1; l < 200; l++)
			assert_int_equal(!is_public_line(&f, l) && marked[l], marked[l]);
		for (unsigned l = 1; l < 200; l++)
			if (!marked[l])
				assert_true(is_public_line(&f, l));
		free(f.private_lines);
	}
}

static void test_cut_comment(void **state)
{
	(void)state;
	static const struct {
		const char *line, *want;
	} rows[] = {
		{ "        enabled: true  # token: abc", "        enabled: true" },
		{ "        enabled: true # x", "        enabled: true" },
		{ "# a comment line", "" },
		{ "  - \"a # not a comment\"  # comment", "  - \"a # not a comment\"" },
		{ "  - 'it''s # fine' # comment", "  - 'it''s # fine'" },
		{ "  - \"esc \\\" # still inside\" # comment", "  - \"esc \\\" # still inside\"" },
		{ "  name: a#b", "  name: a#b" }, /* no blank before '#': part of the value */
		{ "  name: don't # comment", "  name: don't" }, /* an apostrophe inside a word */
		{ "  key:\t# tab before", "  key:" },
		{ "  key: \"open # never closed", "  key: \"open # never closed" },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t len = cut_comment(rows[i].line, strlen(rows[i].line));
		if (len != strlen(rows[i].want) || memcmp(rows[i].line, rows[i].want, len) != 0)
			fail_msg("'%s' cut to '%.*s', want '%s'", rows[i].line, (int)len,
				 rows[i].line, rows[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_private_ranges_any_order),
		cmocka_unit_test(test_cut_comment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_suppress.c - the watch that lets a file without a suppression marker
 * go unread at report time: it must see the marker word wherever the
 * loader's read blocks cut it, and must not see one that is not there (a
 * missed marker would leave a finding the user silenced).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "suppress.h"

/* Feed text in blocks of the given size; whether the watch saw the word. */
static bool seen_in_blocks(const char *text, size_t block)
{
	struct suppress_watch w;
	size_t len = strlen(text);
	memset(&w, 0, sizeof(w));
	for (size_t at = 0; at < len; at += block)
		suppress_watch_feed(&w, text + at, len - at < block ? len - at : block);
	suppress_watch_feed(&w, "", 0); /* the end of the file */
	return w.seen;
}

static void test_word_cut_anywhere_is_seen(void **state)
{
	(void)state;
	char text[128];
	/* every position of the word, every block size from one byte up */
	for (size_t pad = 0; pad < 24; pad++) {
		snprintf(text, sizeof(text), "%.*s# dkfpolicy: ignore[DKF301]\nx: 1\n", (int)pad,
			 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
		for (size_t block = 1; block <= 40; block++) {
			if (!seen_in_blocks(text, block))
				print_error("missed with %zu bytes before it, blocks of %zu\n", pad,
					    block);
			assert_true(seen_in_blocks(text, block));
		}
	}
}

static void test_near_misses_are_not_seen(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"# dkfpolicy ignore[DKF301]\n",       /* no colon */
		"# dkfpolic: y:\n",
		"dkfpolicy\n:\n",                     /* the colon on the next line */
		"# DKFPOLICY: ignore[DKF301]\n",       /* case matters, as in the scanner */
		"",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		for (size_t block = 1; block <= 12; block++)
			assert_false(seen_in_blocks(texts[i], block));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_cut_anywhere_is_seen),
		cmocka_unit_test(test_near_misses_are_not_seen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

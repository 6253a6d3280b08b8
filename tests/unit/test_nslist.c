/*
 * test_nslist.c - the namespace list of `namespaces --from`: every name once, in the
 * order first read, whatever the size, and nslist_contains agreeing with the list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "nslist.h"

static const struct yparse_limits limits = { YPARSE_DEFAULT_MAX_DEPTH,
					     YPARSE_DEFAULT_MAX_ALIAS_NODES, 0 };

/* The list read from text, written to a temporary file first. */
static void read_list(const char *text, struct arena *arena, struct diag_list *diags,
		      struct nslist *list)
{
	char path[] = "/tmp/dkf-test-nslist-XXXXXX";
	int fd = mkstemp(path);
	char err[512] = "";

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
	assert_int_equal(nslist_read(path, 64 * 1024 * 1024, &limits, arena, diags, list, err,
				     sizeof err),
			 0);
	unlink(path);
}

/* 60,000 names, each listed twice and a third of them three times: the
 * list keeps each once, in first-read order, across many index growths. */
static void test_many_names_once_each(void **state)
{
	enum { N = 60000 };
	struct arena arena;
	struct diag_list diags;
	struct nslist list = { NULL, 0, 0 };
	char *text = malloc((size_t)N * 3 * 16);
	size_t len = 0;

	(void)state;
	assert_non_null(text);
	arena_init(&arena);
	diag_list_init(&diags, &arena);
	for (int round = 0; round < 3; round++)
		for (unsigned i = 0; i < N; i++)
			if (round < 2 || i % 3 == 0)
				len += (size_t)sprintf(text + len, "ns-%u\n",
						       round == 1 ? N - 1 - i : i);
	read_list(text, &arena, &diags, &list);
	assert_int_equal(diags.count, 0);
	assert_int_equal(list.count, N);
	for (unsigned i = 0; i < N; i++) {
		char want[16];
		snprintf(want, sizeof want, "ns-%u", i);
		assert_string_equal(list.items[i].name, want);
		assert_int_equal(list.items[i].at.line, i + 1);
		assert_true(nslist_contains(&list, want));
	}
	assert_false(nslist_contains(&list, "ns-60000"));
	assert_false(nslist_contains(&list, "ns-"));
	assert_false(nslist_contains(&list, ""));
	nslist_release(&list);
	assert_false(nslist_contains(&list, "ns-1"));
	free(text);
	diag_list_release(&diags);
	arena_free(&arena);
}

/* The forms share the one list: "namespace/x" and x are the same name. */
static void test_prefix_and_repeats(void **state)
{
	struct arena arena;
	struct diag_list diags;
	struct nslist list = { NULL, 0, 0 };

	(void)state;
	arena_init(&arena);
	diag_list_init(&diags, &arena);
	read_list("namespace/team-1\nteam-1\n# a comment\n\nteam-2\nnamespace/team-2\n", &arena,
		  &diags, &list);
	assert_int_equal(diags.count, 0);
	assert_int_equal(list.count, 2);
	assert_string_equal(list.items[0].name, "team-1");
	assert_string_equal(list.items[1].name, "team-2");
	assert_true(nslist_contains(&list, "team-2"));
	assert_false(nslist_contains(&list, "namespace/team-2"));
	nslist_release(&list);
	diag_list_release(&diags);
	arena_free(&arena);
}

/* An empty list holds nothing, before and after it is read. */
static void test_empty(void **state)
{
	struct arena arena;
	struct diag_list diags;
	struct nslist list = { NULL, 0, 0 };

	(void)state;
	assert_false(nslist_contains(&list, "default"));
	arena_init(&arena);
	diag_list_init(&diags, &arena);
	read_list("# nothing\n", &arena, &diags, &list);
	assert_int_equal(list.count, 0);
	assert_false(nslist_contains(&list, "default"));
	nslist_release(&list);
	diag_list_release(&diags);
	arena_free(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_names_once_each),
		cmocka_unit_test(test_prefix_and_repeats),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

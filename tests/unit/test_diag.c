/*
 * test_diag.c - the diagnostic list a user reads: sorted in stack order, then by line,
 * column and code; exact repeats shown once; codes found by number or name; the code
 * table itself well-formed (codes are stable forever, so a typo there is forever too).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"

static struct mark at(const char *file, unsigned line, unsigned col)
{
	struct mark m = mark_at(file, line, col);
	return m;
}

static void test_sort_by_file_order_line_col_code(void **state)
{
	(void)state;
	struct arena arena;
	struct diag_list list;
	arena_init(&arena);
	diag_list_init(&list, &arena);
	/* "b.yaml" is given first on the command line, so it is reported first */
	diag_add(&list, DKF301, at("a.yaml", 2, 1), "a2");
	diag_add(&list, DKF206, at("b.yaml", 9, 5), "b9-206");
	diag_add(&list, DKF201, at("b.yaml", 9, 5), "b9-201");
	diag_add(&list, DKF201, at("b.yaml", 9, 2), "b9c2");
	diag_add(&list, DKF101, at("zz-other", 1, 1), "other");
	diag_add(&list, DKF101, at("a.yaml", 10, 1), "a10");
	diag_add(&list, DKF111, at("b.yaml", 0, 0), "b-no-position");
	diag_add(&list, DKF101, at("aa-other", 5, 1), "other-aa");
	char b_copy[] = "b.yaml"; /* same name, another pointer: still the same file */
	diag_add(&list, DKF202, at(b_copy, 1, 1), "b1");
	static const char *const files[] = { "b.yaml", "a.yaml" };
	diag_sort(&list, files, 2);
	static const char *const want[] = {
		"b-no-position", "b1",       "b9c2",  "b9-201", "b9-206", "a2",
		"a10",           "other-aa", "other", /* files not on the command line: after, by name */
	};
	assert_int_equal(list.count, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < list.count; i++)
		assert_string_equal(list.items[i].message, want[i]);
	diag_list_release(&list);
	arena_free(&arena);
}

static void test_exact_repeats_are_dropped(void **state)
{
	(void)state;
	struct arena arena;
	struct diag_list list;
	arena_init(&arena);
	diag_list_init(&list, &arena);
	/* a shared layer checked under two files reports the same finding twice */
	diag_add(&list, DKF301, at("v.yaml", 3, 9), "dropped '%s'", "argocd");
	diag_add(&list, DKF301, at("v.yaml", 3, 9), "dropped '%s'", "kube-system");
	diag_add(&list, DKF301, at("v.yaml", 3, 9), "dropped '%s'", "argocd");
	diag_add(&list, DKF306, at("v.yaml", 3, 9), "dropped '%s'", "argocd");  /* other code */
	diag_add(&list, DKF301, at("v.yaml", 3, 10), "dropped '%s'", "argocd"); /* other col */
	static const char *const files[] = { "v.yaml" };
	diag_sort(&list, files, 1);
	assert_int_equal(list.count, 4);
	/* the sort is stable: same position and code keep their order */
	assert_string_equal(list.items[0].message, "dropped 'argocd'");
	assert_string_equal(list.items[1].message, "dropped 'kube-system'");
	assert_int_equal(list.items[2].code, DKF306);
	assert_int_equal(list.items[3].at.col, 10);
	diag_list_release(&list);
	arena_free(&arena);
}

/* Many repeats at one place: the first of each message is kept, in the
 * order it was added, also past the point where kept messages are looked up
 * in a table rather than compared one by one. N aliases of one bad name
 * give N distinct messages at one position; comparing each with every kept
 * one was quadratic (100,000 took minutes). */
static void test_many_repeats_at_one_place(void **state)
{
	enum { N = 100000 };
	struct arena arena;
	struct diag_list list;

	(void)state;
	arena_init(&arena);
	diag_list_init(&list, &arena);
	for (int round = 0; round < 2; round++)
		for (unsigned i = 0; i < N; i++)
			diag_add(&list, DKF208, at("v.yaml", 1, 4),
				 "registryCredentials[%u] is bad", i);
	diag_add(&list, DKF208, at("v.yaml", 1, 5), "registryCredentials[%u] is bad", 0u);
	diag_add(&list, DKF209, at("v.yaml", 1, 4), "registryCredentials[%u] is bad", 0u);
	static const char *const files[] = { "v.yaml" };
	diag_sort(&list, files, 1);
	assert_int_equal(list.count, N + 2);
	for (unsigned i = 0; i < N; i++) {
		char want[64];
		snprintf(want, sizeof want, "registryCredentials[%u] is bad", i);
		assert_string_equal(list.items[i].message, want);
		assert_int_equal(list.items[i].code, DKF208);
	}
	assert_int_equal(list.items[N].code, DKF209);
	assert_int_equal(list.items[N + 1].at.col, 5);
	diag_list_release(&list);
	arena_free(&arena);
}

/* A repeat found by the table must also be a repeat of its own place only:
 * the same message at the next place is kept. */
static void test_repeats_past_the_table_threshold(void **state)
{
	struct arena arena;
	struct diag_list list;

	(void)state;
	arena_init(&arena);
	diag_list_init(&list, &arena);
	for (int line = 1; line <= 2; line++)
		for (int round = 0; round < 3; round++)
			for (unsigned i = 0; i < 40; i++)
				diag_add(&list, DKF301, at("v.yaml", (unsigned)line, 1), "m%u", i);
	static const char *const files[] = { "v.yaml" };
	diag_sort(&list, files, 1);
	assert_int_equal(list.count, 80);
	for (size_t i = 0; i < 80; i++) {
		char want[24];
		snprintf(want, sizeof want, "m%zu", i % 40);
		assert_string_equal(list.items[i].message, want);
		assert_int_equal(list.items[i].at.line, i < 40 ? 1 : 2);
	}
	diag_list_release(&list);
	arena_free(&arena);
}

/* Many files on one command line (a pre-commit hook over a large change):
 * each finding is ranked by its file's place in the list, looked up rather
 * than searched for (40,000 files took minutes to sort). The names are
 * equal copies, never the same pointers. */
static void test_sort_many_files(void **state)
{
	enum { N = 40000 };
	struct arena arena;
	struct diag_list list;
	char **files = malloc(N * sizeof(*files));

	(void)state;
	assert_non_null(files);
	arena_init(&arena);
	diag_list_init(&list, &arena);
	for (unsigned i = 0; i < N; i++) {
		files[i] = malloc(24);
		assert_non_null(files[i]);
		snprintf(files[i], 24, "f%05u.yaml", i);
	}
	diag_add(&list, DKF101, at(NULL, 0, 0), "the whole run");
	diag_add(&list, DKF101, at("other-b.yaml", 1, 1), "other-b");
	for (unsigned i = N; i-- > 0;) {
		char name[24];
		snprintf(name, sizeof name, "f%05u.yaml", i);
		diag_add(&list, DKF105, at(arena_strdup(&arena, name), 2, 1), "%s", name);
	}
	diag_add(&list, DKF101, at("other-a.yaml", 1, 1), "other-a");
	diag_add(&list, DKF101, at("f00007.yaml", 1, 1), "f00007.yaml line 1");
	diag_sort(&list, (const char *const *)files, N);
	assert_int_equal(list.count, N + 4);
	for (unsigned i = 0, k = 0; i < N; i++, k++) {
		if (i == 7)
			assert_string_equal(list.items[k++].message, "f00007.yaml line 1");
		assert_string_equal(list.items[k].message, files[i]);
	}
	assert_string_equal(list.items[N + 1].message, "other-a");
	assert_string_equal(list.items[N + 2].message, "other-b");
	assert_string_equal(list.items[N + 3].message, "the whole run");
	for (unsigned i = 0; i < N; i++)
		free(files[i]);
	free(files);
	diag_list_release(&list);
	arena_free(&arena);
}

static void test_severity_and_counts(void **state)
{
	(void)state;
	struct arena arena;
	struct diag_list list;
	arena_init(&arena);
	diag_list_init(&list, &arena);
	struct diag *d = diag_add(&list, DKF211, at("v", 1, 1), "info");
	assert_int_equal(d->severity, DIAG_INFO);
	diag_set_note(&list, d, at("v", 2, 3), "note %d", 7);
	assert_string_equal(list.items[0].note, "note 7");
	assert_int_equal(list.items[0].note_at.line, 2);
	diag_add(&list, DKF301, at("v", 1, 1), "warning");
	diag_add(&list, DKF201, at("v", 1, 1), "error");
	assert_int_equal(list.items[1].severity, DIAG_WARNING);
	assert_int_equal(list.items[2].severity, DIAG_ERROR);
	assert_null(list.items[2].note);
	assert_int_equal(diag_count_at_least(&list, DIAG_INFO), 3);
	assert_int_equal(diag_count_at_least(&list, DIAG_WARNING), 2);
	assert_int_equal(diag_count_at_least(&list, DIAG_ERROR), 1);
	assert_string_equal(diag_severity_name(DIAG_WARNING), "warning");
	diag_list_release(&list);
	arena_free(&arena);
}

struct lookup_row {
	const char *text;
	bool found;
	enum diag_code code;
};

static const struct lookup_row lookup_rows[] = {
	{ "DKF201", true, DKF201 },
	{ "dkf201", true, DKF201 },
	{ "Dkf201", true, DKF201 },
	{ "201", true, DKF201 },
	{ "missing-existing-secret", true, DKF201 },
	{ "Missing-Existing-Secret", true, DKF201 },
	{ "duplicate-key", true, DKF105 },
	{ "DKF401", true, DKF401 },
	{ "DKF999", false, DKF101 },
	{ "999", false, DKF101 },
	{ "DKF20", false, DKF101 },
	{ "DKF2011", false, DKF101 },
	{ "DKF", false, DKF101 },
	{ "", false, DKF101 },
	{ "missing", false, DKF101 },
};

static void test_lookup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof lookup_rows / sizeof lookup_rows[0]; i++) {
		enum diag_code code = DIAG_CODE_COUNT;
		bool found = diag_lookup(lookup_rows[i].text, &code);
		if (found != lookup_rows[i].found)
			fail_msg("'%s': found %d", lookup_rows[i].text, found);
		if (found)
			assert_int_equal(code, lookup_rows[i].code);
	}
}

static void test_code_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < DIAG_CODE_COUNT; i++) {
		const struct diag_info *info = diag_info((enum diag_code)i);
		/* DKF + three digits, ascending, in a known band */
		assert_int_equal(strlen(info->code), 6);
		assert_memory_equal(info->code, "DKF", 3);
		for (size_t k = 3; k < 6; k++)
			assert_true(isdigit((unsigned char)info->code[k]));
		assert_true(strchr("1234", info->code[3]) != NULL);
		if (i)
			assert_true(strcmp(diag_info((enum diag_code)(i - 1))->code, info->code) <
				    0);
		/* names are kebab-case and unique; a name finds its own code */
		for (const char *p = info->name; *p; p++)
			assert_true(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
				    *p == '-');
		enum diag_code back;
		assert_true(diag_lookup(info->name, &back));
		assert_int_equal(back, i);
		assert_true(diag_lookup(info->code, &back));
		assert_int_equal(back, i);
		/* titles start lower case, no full stop (git's message guidelines) */
		assert_true(islower((unsigned char)info->title[0]) || info->title[0] == '`');
		assert_int_not_equal(info->title[strlen(info->title) - 1], '.');
		assert_true(strlen(info->help) > 20);
		/* risk warnings are warnings; input problems are errors */
		if (info->code[3] == '3')
			assert_int_equal(info->severity, DIAG_WARNING);
		/* ... YAML (DKF10x) and other input (DKF13x); DKF11x limits include an
		 * info for a file that sets nothing, DKF12x the tool's own settings;
		 * a later document deployKF ignores (DKF102) fails nothing */
		if (info->code[3] == '1' && (info->code[4] == '0' || info->code[4] == '3') &&
		    strcmp(info->code, "DKF102") != 0)
			assert_int_equal(info->severity, DIAG_ERROR);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_by_file_order_line_col_code),
		cmocka_unit_test(test_exact_repeats_are_dropped),
		cmocka_unit_test(test_many_repeats_at_one_place),
		cmocka_unit_test(test_repeats_past_the_table_threshold),
		cmocka_unit_test(test_sort_many_files),
		cmocka_unit_test(test_severity_and_counts),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_code_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

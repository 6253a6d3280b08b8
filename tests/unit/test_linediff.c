#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "linediff.h"

/* The diff `render --check` prints: users read it in CI logs and feed it to
 * patch(1), so it must be exactly what `diff -u` would print. */
struct diff_row {
	const char *name;
	const char *old_text;
	const char *new_text;
	const char *want; /* NULL: the texts are equal, nothing is printed */
};

static const struct diff_row rows[] = {
	{ "equal", "a\nb\n", "a\nb\n", NULL },
	{ "both empty", "", "", NULL },
	{ "one line changed", "a\nb\nc\n", "a\nB\nc\n",
	  "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n" },
	{ "empty old file", "", "x\ny\n", "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n" },
	{ "emptied file", "x\n", "", "--- old\n+++ new\n@@ -1 +0,0 @@\n-x\n" },
	{ "added at the end", "a\n", "a\nb\n", "--- old\n+++ new\n@@ -1 +1,2 @@\n a\n+b\n" },
	{ "missing final newline", "a\nb", "a\nb\n",
	  "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n" },
	/* context is three lines; changes seven lines apart make two hunks */
	{ "two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "X\n2\n3\n4\n5\n6\n7\n8\n9\nY\n",
	  "--- old\n+++ new\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n"
	  "-10\n+Y\n" },
	/* six unchanged lines between two changes still share one hunk */
	{ "one hunk", "1\n2\n3\n4\n5\n6\n7\n8\n", "X\n2\n3\n4\n5\n6\n7\nY\n",
	  "--- old\n+++ new\n@@ -1,8 +1,8 @@\n-1\n+X\n 2\n 3\n 4\n 5\n 6\n 7\n-8\n+Y\n" },
	{ "line moved", "a\nb\nc\n", "b\nc\na\n",
	  "--- old\n+++ new\n@@ -1,3 +1,3 @@\n-a\n b\n c\n+a\n" },
};

static void test_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct strbuf out;
		strbuf_init(&out);
		bool differs =
			linediff_unified(&out, "old", rows[i].old_text, strlen(rows[i].old_text),
					 "new", rows[i].new_text, strlen(rows[i].new_text));
		print_message("case: %s\n", rows[i].name);
		assert_int_equal(differs, rows[i].want != NULL);
		assert_string_equal(out.buf, rows[i].want ? rows[i].want : "");
		strbuf_release(&out);
	}
}

/* Over the LCS budget the diff is not minimal but still correct and bounded. */
static void test_large_input_falls_back(void **state)
{
	(void)state;
	struct strbuf a, b, out;
	strbuf_init(&a);
	strbuf_init(&b);
	strbuf_init(&out);
	for (int i = 0; i < 3000; i++) {
		strbuf_addf(&a, "line %d\n", i);
		strbuf_addf(&b, "line %d\n", i % 7 ? i : -i);
	}
	assert_true(linediff_unified(&out, "old", a.buf, a.len, "new", b.buf, b.len));
	assert_non_null(strstr(out.buf, "-line 7\n"));
	assert_non_null(strstr(out.buf, "+line -7\n"));
	/* line 0 is the same in both; the first hunk starts at line 7 - 3 context lines */
	assert_non_null(strstr(out.buf, "\n@@ -5,"));
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_large_input_falls_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

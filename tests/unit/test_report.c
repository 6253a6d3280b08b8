#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "report.h"
/* the module itself, for its static functions (the Makefile links the test without its object) */
#include "../../src/report.c"

/* Write a list in a format into a string (the caller frees it). */
static char *render_list(const struct report_format *format, const struct diag_list *list)
{
	struct report_context ctx = { false, "9.9.9" };
	struct strbuf sb;
	strbuf_init(&sb);
	report_write(format, &ctx, list, NULL, &sb);
	char *copy = strdup(sb.buf);
	strbuf_release(&sb);
	return copy;
}

/* One diagnostic at file with message, in format. */
static char *render_one(const struct report_format *format, const char *file, const char *message)
{
	struct arena arena;
	arena_init(&arena);
	struct diag_list list;
	diag_list_init(&list, &arena);
	struct mark at = mark_at(file, 1, 1);
	diag_add(&list, DKF105, at, "%s", message);
	char *text = render_list(format, &list);
	diag_list_release(&list);
	arena_free(&arena);
	return text;
}

/* GitHub ends a property at ',' or '::' and a command at a newline: an
 * unescaped file name or message would lose or corrupt the annotation. */
static void test_github_escape(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		bool is_property;
		const char *want;
	} rows[] = {
		{ "plain", false, "plain" },
		{ "100%", false, "100%25" },
		/* controls are shown as escapes (strbuf_add_display), so no message
		 * can start a second workflow command or reach a terminal raw */
		{ "a\r\nb", false, "a\\r\\nb" },
		{ "x\n::error file=README.md::forged", false,
		  "x\\n::error file=README.md::forged" },
		{ "t\x1b]0;title\a", false, "t\\x1b]0;title\\x07" },
		{ "ls\xe2\x80\xa8", false, "ls\\u2028" },
		{ "bad\xff", true, "bad\\xff" },
		{ "key: a, b", false, "key: a, b" },
		{ "key: a, b", true, "key%3A a%2C b" },
		{ "c:\\x,y%", true, "c%3A\\x%2Cy%25" },
		{ "%0A", false, "%250A" },
		{ "", true, "" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		/* a property as the file name, a message as the message */
		char want[128];
		snprintf(want, sizeof(want), rows[i].is_property ? "file=%s,line=" : "::%s\n",
			 rows[i].want);
		char *text = rows[i].is_property
				     ? render_one(&report_github_format, rows[i].in, "m")
				     : render_one(&report_github_format, "f", rows[i].in);
		if (!strstr(text, want))
			print_error("'%s' not in '%s'\n", want, text);
		assert_non_null(strstr(text, want));
		free(text);
	}
}

static void test_sarif_uri(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *want;
	} rows[] = {
		{ "values.yaml", "values.yaml" },
		{ "./env/prod values.yaml", "env/prod%20values.yaml" },
		{ ".//a.yaml", "a.yaml" },
		{ "/abs/v.yaml", "file:///abs/v.yaml" },
		{ "<stdin>", "%3Cstdin%3E" },
		{ "a#b?c%.yaml", "a%23b%3Fc%25.yaml" },
		{ "\xc3\xa9.yaml", "%C3%A9.yaml" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char want[128];
		snprintf(want, sizeof(want), "\"uri\": \"%s\"", rows[i].want);
		char *text = render_one(&report_sarif_format, rows[i].in, "m");
		if (!strstr(text, want))
			print_error("'%s' not in the SARIF\n", want);
		assert_non_null(strstr(text, want));
		free(text);
	}
}

static void test_machine_formats(void **state)
{
	(void)state;
	struct arena arena;
	arena_init(&arena);
	struct diag_list list;
	diag_list_init(&list, &arena);
	struct mark at = mark_at("dir/v,1.yaml", 3, 7);
	struct diag *d = diag_add(&list, DKF105, at, "'%s' is set twice", "enabled");
	struct mark first = mark_at("dir/v,1.yaml", 2, 7);
	diag_set_note(&list, d, first, "first set here");
	struct mark nowhere = mark_at(NULL, 0, 0);
	diag_add(&list, DKF401, nowhere, "the policy renders \"nothing\"");

	char *json = render_list(&report_json_format, &list);
	assert_non_null(strstr(json, "\"version\": 1,"));
	assert_non_null(strstr(json, "\"errors\": 1,"));
	assert_non_null(strstr(json, "\"infos\": 1\n"));
	assert_non_null(strstr(json, "\"file\": \"dir/v,1.yaml\",\n"));
	assert_non_null(strstr(json, "\"line\": 3,\n      \"column\": 7,"));
	assert_non_null(strstr(json, "\"file\": null,\n      \"line\": null,"));
	assert_non_null(strstr(json, "\"message\": \"the policy renders \\\"nothing\\\"\""));
	assert_non_null(strstr(json, "\"name\": \"duplicate-key\""));
	free(json);

	char *sarif = render_list(&report_sarif_format, &list);
	assert_non_null(strstr(sarif, "\"version\": \"2.1.0\""));
	assert_non_null(strstr(sarif, "\"uri\": \"dir/v%2C1.yaml\""));
	assert_non_null(strstr(sarif, "\"startLine\": 3,"));
	assert_non_null(strstr(sarif, "\"level\": \"note\""));
	/* every rule is listed, so code scanning can explain any result */
	for (size_t i = 0; i < DIAG_CODE_COUNT; i++) {
		char id[32];
		snprintf(id, sizeof id, "\"id\": \"%s\"", diag_info((enum diag_code)i)->code);
		assert_non_null(strstr(sarif, id));
	}
	free(sarif);

	char *buf = render_list(&report_github_format, &list);
	assert_string_equal(buf, "::error file=dir/v%2C1.yaml,line=3,col=7,title=DKF105 "
				 "duplicate-key::'enabled' is set twice%0Adir/v,1.yaml:2:7: note: "
				 "first set here\n"
				 "::notice title=DKF401 nothing-rendered::the policy renders "
				 "\"nothing\"\n");
	free(buf);

	diag_list_release(&list);
	arena_free(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_github_escape),
		cmocka_unit_test(test_sarif_uri),
		cmocka_unit_test(test_machine_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

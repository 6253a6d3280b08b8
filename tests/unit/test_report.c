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
		{ "a\r\nb", false, "a%0D%0Ab" },
		{ "key: a, b", false, "key: a, b" },
		{ "key: a, b", true, "key%3A a%2C b" },
		{ "c:\\x,y%", true, "c%3A\\x%2Cy%25" },
		{ "%0A", false, "%250A" },
		{ "", true, "" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct strbuf sb;
		strbuf_init(&sb);
		report_github_escape(&sb, rows[i].in, rows[i].is_property);
		assert_string_equal(sb.buf, rows[i].want);
		strbuf_release(&sb);
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
		struct strbuf sb;
		strbuf_init(&sb);
		report_sarif_uri(&sb, rows[i].in);
		assert_string_equal(sb.buf, rows[i].want);
		strbuf_release(&sb);
	}
}

/* Write a list with the given writer into memory. */
static char *render_list(int (*write)(FILE *, const struct diag_list *, const char *),
			 const struct diag_list *list)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(write(fp, list, "9.9.9"), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void test_machine_formats(void **state)
{
	(void)state;
	struct arena arena;
	arena_init(&arena);
	struct diag_list list;
	diag_list_init(&list, &arena);
	struct mark at = { "dir/v,1.yaml", 3, 7 };
	struct diag *d = diag_add(&list, DKF105, at, "'%s' is set twice", "enabled");
	struct mark first = { "dir/v,1.yaml", 2, 7 };
	diag_set_note(&list, d, first, "first set here");
	struct mark nowhere = { NULL, 0, 0 };
	diag_add(&list, DKF401, nowhere, "the policy renders \"nothing\"");

	char *json = render_list(report_json, &list);
	assert_non_null(strstr(json, "\"version\": 1,"));
	assert_non_null(strstr(json, "\"errors\": 1,"));
	assert_non_null(strstr(json, "\"infos\": 1\n"));
	assert_non_null(strstr(json, "\"file\": \"dir/v,1.yaml\",\n"));
	assert_non_null(strstr(json, "\"line\": 3,\n      \"column\": 7,"));
	assert_non_null(strstr(json, "\"file\": null,\n      \"line\": null,"));
	assert_non_null(strstr(json, "\"message\": \"the policy renders \\\"nothing\\\"\""));
	assert_non_null(strstr(json, "\"name\": \"duplicate-key\""));
	free(json);

	char *sarif = render_list(report_sarif, &list);
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

	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	assert_int_equal(report_github(fp, &list), 0);
	fclose(fp);
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

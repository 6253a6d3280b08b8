/*
 * test_strbuf.c - the text builder and its JSON string escaping: every value a user
 * wrote must come out as one JSON (and YAML double-quoted) string that reads back the same.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "strbuf.h"

#define TEXT(s) s, sizeof(s) - 1

struct escape_row {
	const char *in;
	size_t len;
	const char *want;
};

static const struct escape_row escape_rows[] = {
	{ TEXT(""), "\"\"" },
	{ TEXT("plain-name"), "\"plain-name\"" },
	{ TEXT("say \"hi\""), "\"say \\\"hi\\\"\"" },
	{ TEXT("C:\\dir\\"), "\"C:\\\\dir\\\\\"" },
	{ TEXT("a\nb\rc\td"), "\"a\\nb\\rc\\td\"" },
	{ TEXT("bell\a esc\x1b del\x7f"), "\"bell\\u0007 esc\\u001b del\\u007f\"" },
	{ TEXT("nul\0byte"), "\"nul\\u0000byte\"" },
	{ TEXT("\x01\x1f"), "\"\\u0001\\u001f\"" },
	{ TEXT("caf\xc3\xa9 \xe2\x9c\x93"), "\"caf\xc3\xa9 \xe2\x9c\x93\"" }, /* UTF-8 as is */
	{ TEXT("a/b: #{x}"), "\"a/b: #{x}\"" }, /* YAML punctuation needs no escape inside quotes */
	/* what YAML 1.1 readers (kubectl) refuse or fold inside quotes: C1 controls,
	 * NEL, LS, PS, U+FFFE, U+FFFF; their neighbours pass as they are */
	{ TEXT("n\xc2\x85n c\xc2\x86 \xc2\x9f"), "\"n\\u0085n c\\u0086 \\u009f\"" },
	{ TEXT("\xc2\xa0 \xc2\x7f"), "\"\xc2\xa0 \xc2\\u007f\"" },
	{ TEXT("ls\xe2\x80\xa8ps\xe2\x80\xa9"), "\"ls\\u2028ps\\u2029\"" },
	{ TEXT("\xe2\x80\xa7\xe2\x80\xaa\xe2\x82\xac"),
	  "\"\xe2\x80\xa7\xe2\x80\xaa\xe2\x82\xac\"" },
	{ TEXT("\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd"), "\"\\ufffe\\uffff\xef\xbf\xbd\"" },
	{ TEXT("cut \xc2"), "\"cut \xc2\"" }, /* a sequence cut short is copied, not read past */
};

static void test_json_escaping(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof escape_rows / sizeof escape_rows[0]; i++) {
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_add_json_string(&sb, escape_rows[i].in, escape_rows[i].len);
		if (strcmp(sb.buf, escape_rows[i].want) != 0)
			fail_msg("row %zu: got %s, want %s", i, sb.buf, escape_rows[i].want);
		assert_int_equal(sb.len, strlen(escape_rows[i].want));
		strbuf_release(&sb);
	}
}

static void test_building_text(void **state)
{
	(void)state;
	struct strbuf sb;
	strbuf_init(&sb);
	assert_non_null(sb.buf); /* never NULL, always a string */
	assert_string_equal(sb.buf, "");
	strbuf_adds(&sb, "line ");
	strbuf_addf(&sb, "%u:%u", 12u, 9u);
	strbuf_addch(&sb, '\n');
	strbuf_add(&sb, "xyz", 2);
	assert_string_equal(sb.buf, "line 12:9\nxy");
	assert_int_equal(sb.len, 12);
	strbuf_reset(&sb);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	for (int i = 0; i < 10000; i++)
		strbuf_addch(&sb, 'a');
	assert_int_equal(sb.len, 10000);
	assert_int_equal(strlen(sb.buf), 10000);
	strbuf_release(&sb);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb); /* twice is harmless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_building_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_lines.c - one definition of a line for every position the tool prints:
 * LF, CR LF, a lone CR, NEL, LS and PS each end one line, as in libyaml's
 * marks; counting is the same however the text is cut into pieces; a line
 * holding a suppression marker is kept with its number; a line can be found
 * again from a checkpoint.
 */
/* lines.c, included below, finds words with memmem (a GNU extension) */
#define _GNU_SOURCE

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "lines.h"
/* the module itself, for its static functions (the Makefile links the test without its object) */
#include "../../src/lines.c"

#define NEL "\xc2\x85"
#define LS  "\xe2\x80\xa8"
#define PS  "\xe2\x80\xa9"

static void test_break_lengths(void **state)
{
	(void)state;
	assert_int_equal(lines_break_at("\n", 1), 1);
	assert_int_equal(lines_break_at("\r\n", 2), 2);
	assert_int_equal(lines_break_at("\r", 1), 1);
	assert_int_equal(lines_break_at("\rx", 2), 1);
	assert_int_equal(lines_break_at(NEL, 2), 2);
	assert_int_equal(lines_break_at(LS, 3), 3);
	assert_int_equal(lines_break_at(PS, 3), 3);
	/* other characters sharing the lead bytes are no breaks */
	assert_int_equal(lines_break_at("\xc2\xa0", 2), 0);     /* NBSP */
	assert_int_equal(lines_break_at("\xe2\x80\x94", 3), 0); /* em dash */
	assert_int_equal(lines_break_at("\xe2\x80", 2), 0);     /* cut short */
	assert_int_equal(lines_break_at("a", 1), 0);
	assert_int_equal(lines_break_at("", 0), 0);
}

static void test_count_every_break(void **state)
{
	(void)state;
	const char text[] = "a\nb\r\nc\rd" NEL "e" LS "f" PS "g\xc2\xa0h\xe2\x80\x94i\r\r\n\n";
	/* LF, CR LF, CR, NEL, LS, PS, CR, CR LF, LF */
	assert_int_equal(lines_count(text, sizeof(text) - 1), 9);
	assert_int_equal(lines_count("", 0), 0);
	assert_int_equal(lines_count("no break", 8), 0);
}

/* The vector loop and the byte loop agree, at every alignment and length. */
static void test_count_long_texts(void **state)
{
	(void)state;
	static const char *const pieces[] = { "key: value\n", "\r\n",         "\r", NEL,   LS, PS,
					      "\xc2\xa0",     "\xe2\x80\x94", "x",  "\n\r" };
	enum { N = 4000 };
	char *text = malloc(N * 4 + 64);
	for (int sparse = 0; sparse < 2; sparse++) {
		size_t len = 0, want = 0;
		unsigned seed = 1;
		while (len < N * 3) {
			seed = seed * 1103515245u + 12345u;
			size_t k = (seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]));
			/* sparse: mostly plain lines, as in a real file (whole
			 * 16-byte blocks without CR or non-ASCII bytes) */
			if (sparse && (seed >> 8) % 8)
				k = 0;
			memcpy(text + len, pieces[k], strlen(pieces[k]));
			len += strlen(pieces[k]);
		}
		/* the count by the byte-at-a-time definition */
		for (size_t i = 0; i < len;) {
			size_t b = lines_break_at(text + i, len - i);
			want += b != 0;
			i += b ? b : 1;
		}
		assert_int_equal(lines_count(text, len), want);
		for (size_t start = 0; start < 40; start++) {
			size_t w = 0;
			for (size_t i = start; i < len;) {
				size_t b = lines_break_at(text + i, len - i);
				w += b != 0;
				i += b ? b : 1;
			}
			assert_int_equal(lines_count(text + start, len - start), w);
		}
	}
	free(text);
}

static void test_complete_prefix(void **state)
{
	(void)state;
	assert_int_equal(lines_complete("ab\ncd", 5, false), 3);
	assert_int_equal(lines_complete("ab\ncd", 5, true), 5);
	assert_int_equal(lines_complete("abcd", 4, false), 0);
	/* a CR may be the start of CR LF; a NEL, LS or PS cut short waits too */
	assert_int_equal(lines_complete("ab\n\r", 4, false), 3);
	assert_int_equal(lines_complete("ab\r\n", 4, false), 4);
	assert_int_equal(lines_complete("ab\n\xc2", 4, false), 3);
	assert_int_equal(lines_complete("ab\n\xe2\x80", 5, false), 3);
	assert_int_equal(lines_complete("ab" NEL "c", 5, false), 4);
	assert_int_equal(lines_complete("ab" LS, 5, false), 5);
	assert_int_equal(lines_complete("ab\r\r", 4, false), 3);
}

static void test_position(void **state)
{
	(void)state;
	unsigned line, col;
	const char text[] = "a: 1\r\nb: \xc3\xa9x\rc" LS "d: \xc3";
	lines_position(text, sizeof(text) - 1, 0, false, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	lines_position(text, sizeof(text) - 1, 6, false, &line, &col); /* 'b' */
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	lines_position(text, sizeof(text) - 1, 11, false, &line, &col); /* 'x', after é */
	assert_int_equal(line, 2);
	assert_int_equal(col, 5);
	lines_position(text, sizeof(text) - 1, 13, false, &line, &col); /* 'c' after a lone CR */
	assert_int_equal(line, 3);
	assert_int_equal(col, 1);
	lines_position(text, sizeof(text) - 1, 17, false, &line, &col); /* 'd' after LS */
	assert_int_equal(line, 4);
	assert_int_equal(col, 1);
	/* the byte after a cut character belongs to it */
	size_t bad = sizeof(text) - 1; /* just past \xc3: where libyaml says the octet is missing */
	lines_position(text, sizeof(text) - 1, bad, true, &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 4);
}

/* libyaml's marks and this module agree on every line break. */
static void test_agrees_with_libyaml(void **state)
{
	(void)state;
	const char text[] =
		"# c" LS "a: 1\r\n# d" NEL "b: 2\rc:" PS "  - x\n\n\nd: \"q\\\n  r\"\ne: 5\n";
	yaml_parser_t parser;
	assert_true(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, sizeof(text) - 1);
	int checked = 0;
	for (;;) {
		yaml_event_t ev;
		assert_true(yaml_parser_parse(&parser, &ev));
		if (ev.type == YAML_SCALAR_EVENT) {
			/* find the scalar's text at the line libyaml names */
			size_t start = 0, line = 1;
			while (line < ev.start_mark.line + 1) {
				size_t b = lines_break_at(text + start, sizeof(text) - 1 - start);
				start += b ? b : 1;
				line += b != 0;
			}
			start += ev.start_mark.column; /* ASCII text: one byte a column */
			assert_int_equal(text[start], ev.data.scalar.value[0] == 'q'
							      ? '"'
							      : ev.data.scalar.value[0]);
			checked++;
		}
		yaml_event_type_t type = ev.type;
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	assert_int_equal(checked, 10);
}

static void test_reader_keeps_marked_lines(void **state)
{
	(void)state;
	struct lines_reader r;
	lines_reader_init(&r, "dkfpolicy:");
	const char a[] = "a: 1\r\n# dkfpolicy: ignore[DKF301]\r\n";
	const char b[] = "b: 2" NEL "c: 3  # dkfpolicy: ignore[x]" LS "d: 4\n";
	lines_reader_feed(&r, a, sizeof(a) - 1);
	lines_reader_feed(&r, b, sizeof(b) - 1);
	assert_int_equal(r.kept_count, 2);
	assert_int_equal(r.kept[0].line, 2);
	assert_string_equal(r.kept[0].text, "# dkfpolicy: ignore[DKF301]");
	assert_int_equal(r.kept[1].line, 4);
	assert_string_equal(r.kept[1].text, "c: 3  # dkfpolicy: ignore[x]");
	assert_int_equal(r.line, 6);
	lines_reader_release(&r);
}

static void test_checkpoints(void **state)
{
	(void)state;
	struct lines_reader r;
	lines_reader_init(&r, NULL);
	char piece[LINES_CHECKPOINT_EVERY / 2];
	/* 8 KiB pieces of 8-byte lines: a checkpoint every other piece */
	for (size_t i = 0; i < sizeof(piece); i += 8)
		memcpy(piece + i, "abcdefg\n", 8);
	for (int i = 0; i < 10; i++)
		lines_reader_feed(&r, piece, sizeof(piece));
	assert_int_equal(r.line, 10 * sizeof(piece) / 8 + 1);
	assert_int_equal(r.checkpoint_count, 5);
	const struct lines_checkpoint *c =
		lines_checkpoint_before(r.checkpoints, r.checkpoint_count, 2049 + 10);
	assert_non_null(c);
	assert_int_equal(c->line, 2049);
	assert_int_equal(c->offset, 2048 * 8);
	c = lines_checkpoint_before(r.checkpoints, r.checkpoint_count, 1);
	assert_int_equal(c->offset, 0);
	lines_reader_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_break_lengths),
		cmocka_unit_test(test_count_every_break),
		cmocka_unit_test(test_count_long_texts),
		cmocka_unit_test(test_complete_prefix),
		cmocka_unit_test(test_position),
		cmocka_unit_test(test_agrees_with_libyaml),
		cmocka_unit_test(test_reader_keeps_marked_lines),
		cmocka_unit_test(test_checkpoints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

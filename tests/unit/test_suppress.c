/*
 * test_suppress.c - inline suppressions come from the lines the front end
 * kept while it read a file, so no file is read again for them: the marker
 * must be kept wherever the front end's read buffer cuts it, must not be seen
 * where it is not, and must silence exactly the findings it names.
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
#include "excerpt.h"
#include "source.h"
#include "suppress.h"
#include "yparse.h"

static const struct yparse_limits limits = { 64, 1000, 0 };

/* Read text as the file path through the front end; the book keeps its lines. */
static void read_through_front_end(const char *path, const char *text, size_t len,
				   struct excerpt_book *book, struct diag_list *diags)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	struct source src;
	char err[256];
	assert_int_equal(source_open(&src, path, 1 << 24, err, sizeof(err)), 0);
	struct yparse p;
	yparse_init(&p, &src, &limits, &yparse_values_words, NULL, diags, book);
	yaml_event_t ev;
	while (yparse_next(&p, &ev)) {
		yaml_event_type_t type = ev.type;
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			break;
	}
	yparse_release(&p);
	source_close(&src);
}

/* The marker line is kept, with its number, wherever a read cuts it. */
static void test_marker_cut_anywhere_is_kept(void **state)
{
	(void)state;
	char path[] = "/tmp/test_suppress.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	enum { BUFFER = 64 * 1024 };
	char *text = malloc(2 * BUFFER);
	/* the marker starts from 40 bytes before the buffer's end to after it */
	for (size_t at = BUFFER - 40; at < BUFFER + 4; at += 3) {
		struct arena arena;
		arena_init(&arena);
		struct diag_list diags;
		diag_list_init(&diags, &arena);
		struct excerpt_book book;
		excerpt_book_init(&book, &arena);
		diags.book = &book;
		/* a comment line of padding, up to the marker's line */
		size_t len = 0;
		text[len++] = '#';
		while (len < at - 1)
			text[len++] = 'x';
		text[len++] = '\n';
		const char tail[] = "# dkfpolicy: ignore[DKF301]\na: 1\n";
		memcpy(text + len, tail, sizeof(tail) - 1);
		len += sizeof(tail) - 1;
		read_through_front_end(path, text, len, &book, &diags);
		const struct excerpt_file *f = excerpt_book_find(&book, path);
		assert_non_null(f);
		if (f->marker_line_count != 1)
			print_error("marker starting at byte %zu not kept\n", at);
		assert_int_equal(f->marker_line_count, 1);
		assert_int_equal(f->marker_lines[0].line, 2);
		assert_string_equal(f->marker_lines[0].text, "# dkfpolicy: ignore[DKF301]");
		excerpt_book_release(&book);
		diag_list_release(&diags);
		arena_free(&arena);
	}
	free(text);
	unlink(path);
}

static void test_near_misses_are_not_kept(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"# dkfpolicy ignore[DKF301]\na: 1\n", /* no colon */
		"# dkfpolic: y:\na: 1\n",
		"a: dkfpolicy\n# :\n",                 /* the colon on the next line */
		"# DKFPOLICY: ignore[DKF301]\na: 1\n", /* case matters, as in the scanner */
		"",
	};
	char path[] = "/tmp/test_suppress.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct arena arena;
		arena_init(&arena);
		struct diag_list diags;
		diag_list_init(&diags, &arena);
		struct excerpt_book book;
		excerpt_book_init(&book, &arena);
		diags.book = &book;
		read_through_front_end(path, texts[i], strlen(texts[i]), &book, &diags);
		assert_int_equal(excerpt_book_find(&book, path)->marker_line_count, 0);
		excerpt_book_release(&book);
		diag_list_release(&diags);
		arena_free(&arena);
	}
	unlink(path);
}

/* A marker silences the codes it names on its line and the next, and says
 * which of its codes silenced nothing. */
static void test_silences_what_it_names(void **state)
{
	(void)state;
	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct excerpt_book book;
	excerpt_book_init(&book, &arena);
	diags.book = &book;
	const char text[] =
		"a: 1\n# dkfpolicy: ignore[DKF301, duplicate-exclude, DKF999]\nb: 2\nc: 3\n";
	struct source src;
	source_from_memory(&src, "v.yaml", text, sizeof(text) - 1);
	struct yparse p;
	yparse_init(&p, &src, &limits, &yparse_values_words, NULL, &diags, &book);
	yparse_release(&p);

	struct suppress_set set;
	suppress_init(&set);
	suppress_read(&set, &book, &diags);
	assert_int_equal(diags.count, 1); /* DKF999 is no rule */
	assert_int_equal(diags.items[0].code, DKF122);
	suppress_read(&set, &book, &diags); /* each file once */
	assert_int_equal(diags.count, 1);
	struct mark line3 = mark_at("v.yaml", 3, 1), line4 = mark_at("v.yaml", 4, 1);
	struct diag d = { .code = DKF301, .at = line3 };
	assert_true(suppress_silences(&set, &d));
	d.code = DKF305;
	assert_false(suppress_silences(&set, &d)); /* not named */
	d.code = DKF301;
	d.at = line4;
	assert_false(suppress_silences(&set, &d)); /* two lines below */
	suppress_report_unused(&set, &diags);
	assert_int_equal(diags.count, 2);
	assert_int_equal(diags.items[1].code, DKF121);
	assert_non_null(strstr(diags.items[1].message, "DKF306"));
	suppress_release(&set);
	excerpt_book_release(&book);
	diag_list_release(&diags);
	arena_free(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marker_cut_anywhere_is_kept),
		cmocka_unit_test(test_near_misses_are_not_kept),
		cmocka_unit_test(test_silences_what_it_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

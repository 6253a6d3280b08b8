/*
 * test_read_error.c - a values file whose read fails halfway (a disk or network
 * file system error) is an I/O error, exit status 2 naming the file: yload adds
 * no finding (no DKF111 "too large", no YAML error about the half it saw) and
 * returns YLOAD_READ_ERROR with errno set. The failing file is a FILE* from
 * fopencookie that hands out some valid YAML, then fails with EIO.
 */
#define _GNU_SOURCE /* fopencookie */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "load_helpers.h"

struct failing {
	const char *text; /* handed out first, a few bytes per read */
	size_t at;
};

static ssize_t failing_read(void *cookie, char *buf, size_t size)
{
	struct failing *f = cookie;
	size_t left = strlen(f->text) - f->at;
	if (left == 0) {
		errno = EIO;
		return -1;
	}
	size_t n = size < 8 ? size : 8;
	n = n < left ? n : left;
	memcpy(buf, f->text + f->at, n);
	f->at += n;
	return (ssize_t)n;
}

static FILE *open_failing(struct failing *f)
{
	cookie_io_functions_t io = { .read = failing_read };
	FILE *fp = fopencookie(f, "r", io);
	assert_non_null(fp);
	/* unbuffered: libyaml's reads reach the cookie one by one */
	setvbuf(fp, NULL, _IONBF, 0);
	return fp;
}

static void test_read_error_halfway_is_io_error(void **state)
{
	(void)state;
	struct failing f = { "deploykf_dependencies:\n  kyverno:\n    namespace: kyv\n", 0 };
	struct source src;
	memset(&src, 0, sizeof(src));
	src.name = "values.yaml";
	src.fp = open_failing(&f);
	src.max_bytes = SOURCE_DEFAULT_MAX_BYTES;
	struct arena arena;
	struct diag_list diags;
	struct node *root = NULL;
	struct yparse_limits limits = { YPARSE_DEFAULT_MAX_DEPTH, YPARSE_DEFAULT_MAX_ALIAS_NODES,
					0 };
	arena_init(&arena);
	diag_list_init(&diags, &arena);
	errno = 0;
	assert_int_equal(yload(&src, block_wanted_keys, &limits, &arena, &diags, &root),
			 YLOAD_READ_ERROR);
	assert_int_equal(errno, EIO);
	/* the whole text was read before the failure */
	assert_int_equal(f.at, strlen(f.text));
	/* no finding: the caller prints one message naming the file */
	assert_int_equal(diags.count, 0);
	source_close(&src);
	diag_list_release(&diags);
	arena_free(&arena);
}

static void test_too_large_stays_a_finding(void **state)
{
	(void)state;
	/* the size limit is still DKF111 (and not an I/O error) when streaming */
	struct failing f = { "a: 1\nb: 2\nc: 3\nd: 4\n", 0 };
	struct source src;
	memset(&src, 0, sizeof(src));
	src.name = "values.yaml";
	src.fp = open_failing(&f);
	src.max_bytes = 10;
	struct arena arena;
	struct diag_list diags;
	struct node *root = NULL;
	struct yparse_limits limits = { YPARSE_DEFAULT_MAX_DEPTH, YPARSE_DEFAULT_MAX_ALIAS_NODES,
					0 };
	arena_init(&arena);
	diag_list_init(&diags, &arena);
	assert_int_equal(yload(&src, block_wanted_keys, &limits, &arena, &diags, &root), -1);
	assert_true(diags.count >= 1);
	assert_int_equal(diags.items[0].code, DKF111);
	source_close(&src);
	diag_list_release(&diags);
	arena_free(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_error_halfway_is_io_error),
		cmocka_unit_test(test_too_large_stays_a_finding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

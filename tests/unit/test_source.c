/*
 * test_source.c - opening inputs: a missing file, a folder or an oversized file is
 * refused with a one-line reason naming the file; a file on disk is streamed, and
 * positions of problems found while streaming are still right.
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

#include "load_helpers.h"

static char dir[] = "/tmp/dkf-test-source-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *data, size_t len)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void test_missing_file(void **state)
{
	(void)state;
	char path[256], err[512] = "";
	struct source src;
	snprintf(path, sizeof path, "%s/no-such.yaml", dir);
	assert_int_equal(source_open(&src, path, 1000, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "No such file"));
	assert_null(strchr(err, '\n')); /* one line */
}

static void test_directory(void **state)
{
	(void)state;
	char err[512] = "";
	struct source src;
	assert_int_equal(source_open(&src, dir, 1000, err, sizeof err), -1);
	assert_non_null(strstr(err, dir));
	assert_non_null(strstr(err, "directory"));
}

static void test_size_cap(void **state)
{
	(void)state;
	char err[512] = "";
	struct source src;
	const char *path =
		write_file("big.yaml", "a: 0123456789012345678901234567890123456789\n", 45);
	assert_int_equal(source_open(&src, path, 44, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "larger than 44 bytes"));
	/* exactly at the cap is fine */
	assert_int_equal(source_open(&src, path, 45, err, sizeof err), 0);
	assert_string_equal(src.name, path);
	source_close(&src);
}

static void test_streamed_file_loads(void **state)
{
	(void)state;
	char err[512] = "";
	struct source src;
	const char *text = "deploykf_dependencies:\r\n  kyverno:\r\n    namespace: kyv\r\n";
	const char *path = write_file("ok.yaml", text, strlen(text));
	assert_int_equal(source_open(&src, path, 1000, err, sizeof err), 0);
	struct arena arena;
	struct diag_list diags;
	struct node *root;
	struct yparse_limits limits = { YPARSE_DEFAULT_MAX_DEPTH, YPARSE_DEFAULT_MAX_ALIAS_NODES,
					0 };
	arena_init(&arena);
	diag_list_init(&diags, &arena);
	assert_int_equal(yload(&src, block_wanted_keys, &limits, &arena, &diags, &root), 0);
	const struct node *ns = node_at(root, "deploykf_dependencies.kyverno.namespace");
	assert_string_equal(ns->text, "kyv");
	assert_int_equal(ns->mark.line, 3);
	assert_int_equal(ns->mark.col, 16);
	assert_string_equal(ns->mark.file, path);
	source_close(&src);
	diag_list_release(&diags);
	arena_free(&arena);
}

static void test_streamed_file_bad_byte_position(void **state)
{
	(void)state;
	char err[512] = "";
	struct source src;
	const char *text = "a: 1\r\nb: caf\xc3\xa9\r\nc: \xff\r\n";
	const char *path = write_file("bad.yaml", text, strlen(text));
	assert_int_equal(source_open(&src, path, 1000, err, sizeof err), 0);
	struct arena arena;
	struct diag_list diags;
	struct node *root;
	struct yparse_limits limits = { YPARSE_DEFAULT_MAX_DEPTH, YPARSE_DEFAULT_MAX_ALIAS_NODES,
					0 };
	arena_init(&arena);
	diag_list_init(&diags, &arena);
	assert_int_equal(yload(&src, block_wanted_keys, &limits, &arena, &diags, &root), -1);
	expect_diag(&diags, DKF112, 3, 4);
	source_close(&src);
	diag_list_release(&diags);
	arena_free(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_streamed_file_loads),
		cmocka_unit_test(test_streamed_file_bad_byte_position),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

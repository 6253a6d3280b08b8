/*
 * test_output.c - `render -o FILE`: the file is replaced whole or not at all; a failure
 * leaves the old content and no temporary file behind, and says which file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"

/* Replace path atomically with data, as render -o does: open, write, close. */
static int output_file_atomic(const char *path, const char *data, size_t len, char *err,
			      size_t errlen)
{
	struct output out;
	if (output_open(&out, path, err, errlen) != 0)
		return -1;
	output_write(&out, data, len);
	return output_close(&out, err, errlen);
}

static char dir[] = "/tmp/dkf-test-output-XXXXXX";

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

static void path_in(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Entries in dir whose name starts with prefix. */
static size_t count_entries(const char *prefix)
{
	size_t n = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static void test_new_file(void **state)
{
	(void)state;
	char path[256], err[512] = "";
	path_in(path, sizeof path, "new.yaml");
	mode_t mask = umask(022);
	assert_int_equal(output_file_atomic(path, "kind: ClusterPolicy\n", 20, err, sizeof err), 0);
	umask(mask);
	assert_string_equal(slurp(path), "kind: ClusterPolicy\n");
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644); /* like any new file, not mkstemp's 0600 */
	assert_int_equal(count_entries(".dkfpolicy-"), 0);
}

static void test_replace_keeps_mode(void **state)
{
	(void)state;
	char path[256], err[512] = "";
	path_in(path, sizeof path, "old.yaml");
	write_text(path, "old content that is longer than the new one\n");
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(output_file_atomic(path, "new\n", 4, err, sizeof err), 0);
	assert_string_equal(slurp(path), "new\n"); /* replaced whole, no old tail */
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(count_entries(".dkfpolicy-"), 0);

	/* an empty policy is an empty file */
	assert_int_equal(output_file_atomic(path, "", 0, err, sizeof err), 0);
	assert_string_equal(slurp(path), "");
}

static void test_missing_folder(void **state)
{
	(void)state;
	char path[256], err[512] = "";
	path_in(path, sizeof path, "no-such-folder/out.yaml");
	assert_int_equal(output_file_atomic(path, "x\n", 2, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "No such file"));
	assert_null(strchr(err, '\n'));
}

static void test_failure_leaves_old_content_and_no_temp(void **state)
{
	(void)state;
	char target[256], keep[256], err[512] = "";
	/* a folder where the file should go: the rename fails after the write */
	path_in(target, sizeof target, "is-a-folder");
	assert_int_equal(mkdir(target, 0755), 0);
	path_in(keep, sizeof keep, "is-a-folder/inside.yaml");
	write_text(keep, "old\n");
	assert_int_equal(output_file_atomic(target, "new\n", 4, err, sizeof err), -1);
	assert_non_null(strstr(err, target));
	struct stat st;
	assert_int_equal(stat(target, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_string_equal(slurp(keep), "old\n");
	assert_int_equal(count_entries(".dkfpolicy-"), 0); /* the temporary file is gone */
}

static void test_relative_path(void **state)
{
	(void)state;
	char err[512] = "", cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	int rc = output_file_atomic("plain-name.yaml", "p\n", 2, err, sizeof err);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rc, 0);
	char path[256];
	path_in(path, sizeof path, "plain-name.yaml");
	assert_string_equal(slurp(path), "p\n");
	assert_int_equal(count_entries(".dkfpolicy-"), 0);
}

static void test_streamed_file_appears_whole_at_close(void **state)
{
	(void)state;
	char path[256], err[512] = "";
	path_in(path, sizeof path, "streamed.yaml");
	write_text(path, "old\n");

	struct output out;
	assert_int_equal(output_open(&out, path, err, sizeof err), 0);
	output_write(&out, "kind: ", 6);
	output_write(&out, "ClusterPolicy\n", 14);
	/* until it is closed, readers see the old file */
	assert_string_equal(slurp(path), "old\n");
	assert_int_equal(count_entries(".dkfpolicy-"), 1);
	assert_int_equal(output_close(&out, err, sizeof err), 0);
	assert_string_equal(slurp(path), "kind: ClusterPolicy\n");
	assert_int_equal(count_entries(".dkfpolicy-"), 0);
}

static void test_abort_keeps_the_old_file(void **state)
{
	(void)state;
	char path[256], err[512] = "";
	path_in(path, sizeof path, "streamed.yaml");
	struct output out;
	assert_int_equal(output_open(&out, path, err, sizeof err), 0);
	output_write(&out, "half a pol", 10);
	output_abort(&out);
	assert_string_equal(slurp(path), "kind: ClusterPolicy\n");
	assert_int_equal(count_entries(".dkfpolicy-"), 0);
}

static void test_write_error_is_reported_at_close(void **state)
{
	(void)state;
	char err[512] = "";
	if (access("/dev/full", W_OK) != 0)
		skip();
	struct output out;
	assert_int_equal(output_open(&out, "/dev/full", err, sizeof err), 0);
	output_write(&out, "x\n", 2);
	output_write(&out, "y\n", 2); /* skipped after the first error */
	assert_int_equal(output_close(&out, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot write '/dev/full'"));
	assert_non_null(strstr(err, "No space left"));
}

/* Killed while writing (a CI timeout, Ctrl-C, a closed terminal, ulimit -f):
 * the process dies of the signal, and neither a temporary file nor half a
 * policy is left. The child raises the signal itself, so no race. */
static void test_signal_while_writing_removes_temporary(void **state)
{
	static const int signals[] = { SIGTERM, SIGINT, SIGHUP, SIGXFSZ };
	char path[256];

	(void)state;
	path_in(path, sizeof path, "killed.yaml");
	write_text(path, "old\n");
	for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
		pid_t pid = fork();
		int status;

		assert_true(pid >= 0);
		if (pid == 0) {
			struct rlimit no_core = { 0, 0 };
			struct output out;
			char err[512];

			setrlimit(RLIMIT_CORE, &no_core); /* SIGXFSZ dumps core */
			signal(signals[i], SIG_DFL);
			if (output_open(&out, path, err, sizeof err) != 0)
				_exit(3);
			output_write(&out, "half a pol", 10);
			raise(signals[i]);
			_exit(4); /* not reached: the signal ends the process */
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), signals[i]);
		assert_int_equal(count_entries(".dkfpolicy-"), 0);
		assert_string_equal(slurp(path), "old\n");
	}
}

/* The handlers are there only while a temporary file is; an ignored
 * signal (nohup) stays ignored. */
static void test_signal_actions_restored(void **state)
{
	char path[256], err[512] = "";
	struct sigaction act;
	struct output out;

	(void)state;
	path_in(path, sizeof path, "restored.yaml");
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	assert_int_equal(output_open(&out, path, err, sizeof err), 0);
	assert_int_equal(sigaction(SIGHUP, NULL, &act), 0);
	assert_true(act.sa_handler == SIG_IGN);
	assert_int_equal(sigaction(SIGTERM, NULL, &act), 0);
	assert_true(act.sa_handler != SIG_DFL && act.sa_handler != SIG_IGN);
	assert_int_equal(output_close(&out, err, sizeof err), 0);
	assert_int_equal(sigaction(SIGTERM, NULL, &act), 0);
	assert_true(act.sa_handler == SIG_DFL);

	assert_int_equal(output_open(&out, path, err, sizeof err), 0);
	output_abort(&out);
	assert_int_equal(sigaction(SIGTERM, NULL, &act), 0);
	assert_true(act.sa_handler == SIG_DFL);
	assert_int_equal(sigaction(SIGHUP, NULL, &act), 0);
	assert_true(act.sa_handler == SIG_IGN);
	signal(SIGHUP, SIG_DFL);

	/* standard output has no temporary file to remove */
	assert_int_equal(output_open(&out, NULL, err, sizeof err), 0);
	assert_int_equal(sigaction(SIGTERM, NULL, &act), 0);
	assert_true(act.sa_handler == SIG_DFL);
	assert_int_equal(output_close(&out, err, sizeof err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_file),
		cmocka_unit_test(test_replace_keeps_mode),
		cmocka_unit_test(test_missing_folder),
		cmocka_unit_test(test_failure_leaves_old_content_and_no_temp),
		cmocka_unit_test(test_relative_path),
		cmocka_unit_test(test_streamed_file_appears_whole_at_close),
		cmocka_unit_test(test_abort_keeps_the_old_file),
		cmocka_unit_test(test_write_error_is_reported_at_close),
		cmocka_unit_test(test_signal_while_writing_removes_temporary),
		cmocka_unit_test(test_signal_actions_restored),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

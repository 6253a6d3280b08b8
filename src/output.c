#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * A run killed while it writes -o FILE (a CI job's timeout sends SIGTERM,
 * Ctrl-C SIGINT, a closed terminal SIGHUP, `ulimit -f` SIGXFSZ) must not
 * leave a 50 MB .dkfpolicy-XXXXXX beside the target. While a temporary
 * file exists, these signals remove it and then end the process as they
 * would have. A signal the process ignores (nohup, a background job's
 * SIGINT) stays ignored: it ends nothing, so there is nothing to clean up.
 */
static const int cleanup_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGXFSZ };
enum { CLEANUP_SIGNAL_COUNT = sizeof(cleanup_signals) / sizeof(cleanup_signals[0]) };
static struct sigaction saved_action[CLEANUP_SIGNAL_COUNT];
static bool is_caught[CLEANUP_SIGNAL_COUNT];
/* What the handler removes; set before armed, which the handler checks. */
static const char *volatile doomed_path;
static volatile sig_atomic_t armed;

/* Only async-signal-safe calls: unlink, signal, raise. The signal stays
 * blocked until the handler returns, and then ends the process. */
static void remove_temporary_and_die(int sig)
{
	if (armed)
		(void)unlink(doomed_path);
	(void)signal(sig, SIG_DFL);
	(void)raise(sig);
}

/* The cleanup signals, for sigprocmask: nothing may run the handler while
 * the temporary file and what it knows of it disagree. */
static void cleanup_mask(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
		sigaddset(set, cleanup_signals[i]);
}

/* With the signals blocked: make path the one the handler removes. */
static void arm_cleanup(const char *path)
{
	struct sigaction act;

	memset(&act, 0, sizeof(act));
	act.sa_handler = remove_temporary_and_die;
	cleanup_mask(&act.sa_mask); /* one at a time */
	doomed_path = path;
	armed = 1;
	for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++) {
		is_caught[i] = sigaction(cleanup_signals[i], NULL, &saved_action[i]) == 0 &&
			       saved_action[i].sa_handler != SIG_IGN &&
			       sigaction(cleanup_signals[i], &act, NULL) == 0;
	}
}

/* With the signals blocked: forget the temporary file, restore the actions
 * the process had (a pending signal then acts as it would have). */
static void disarm_cleanup(void)
{
	armed = 0;
	doomed_path = NULL;
	for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
		if (is_caught[i])
			(void)sigaction(cleanup_signals[i], &saved_action[i], NULL);
	memset(is_caught, 0, sizeof(is_caught));
}

/* A temporary file beside target, with the mode target has (or a new file
 * would get: mkstemp's 0600 is not it). */
static int open_temporary(struct output *out, char *err, size_t errlen)
{
	const char *slash = strrchr(out->target, '/');
	size_t dir_len = slash ? (size_t)(slash - out->target) + 1 : 0;
	static const char pattern[] = ".dkfpolicy-XXXXXX";
	out->tmp = xmalloc(dir_len + sizeof(pattern));
	memcpy(out->tmp, out->target, dir_len);
	memcpy(out->tmp + dir_len, pattern, sizeof(pattern));

	/* blocked from before the file exists until the handler knows its name */
	sigset_t block, old;
	cleanup_mask(&block);
	sigprocmask(SIG_BLOCK, &block, &old);
	out->fd = mkstemp(out->tmp);
	int saved = errno;
	if (out->fd >= 0)
		arm_cleanup(out->tmp);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (out->fd < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", out->path, strerror(saved));
		free(out->tmp);
		out->tmp = NULL;
		return -1;
	}
	mode_t mask = umask(0);
	umask(mask);
	struct stat st;
	mode_t mode = stat(out->target, &st) == 0 ? (st.st_mode & 07777) : (0666 & ~mask);
	if (fchmod(out->fd, mode) != 0) {
		snprintf(err, errlen, "cannot write '%s': %s", out->path, strerror(errno));
		output_abort(out);
		return -1;
	}
	return 0;
}

/*
 * An existing FIFO or device (-o /dev/stdout) cannot be replaced by a
 * rename, and must not be (as root, renaming over /dev/null would swap the
 * device for a file): it is written in place. Opened with O_NONBLOCK, so a
 * FIFO that no process reads is refused (ENXIO) instead of waited for in
 * open(2) forever; the flag is cleared before writing, so writes to a slow
 * reader wait as usual.
 */
static int open_in_place(struct output *out, const struct stat *st, char *err, size_t errlen)
{
	out->fd = open(out->path, O_WRONLY | O_TRUNC | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (out->fd < 0) {
		if (errno == ENXIO && S_ISFIFO(st->st_mode))
			snprintf(err, errlen,
				 "cannot write '%s': no process is reading this FIFO; start the "
				 "reader first",
				 out->path);
		else
			snprintf(err, errlen, "cannot write '%s': %s", out->path, strerror(errno));
		return -1;
	}
	int flags = fcntl(out->fd, F_GETFL);
	if (flags < 0 || fcntl(out->fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		snprintf(err, errlen, "cannot write '%s': %s", out->path, strerror(errno));
		close(out->fd);
		out->fd = -1;
		return -1;
	}
	return 0;
}

static bool is_link(const char *path)
{
	struct stat lst;
	return lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
}

/* The text of the symbolic link path, as a heap string, or NULL. */
static char *read_link(const char *path)
{
	size_t size = 256;
	for (;;) {
		char *text = xmalloc(size);
		ssize_t n = readlink(path, text, size);
		if (n < 0) {
			int saved = errno;
			free(text);
			errno = saved;
			return NULL;
		}
		if ((size_t)n < size) {
			text[n] = '\0';
			return text;
		}
		free(text);
		size *= 2;
	}
}

/*
 * Where a chain of symbolic links ends when its last target does not exist
 * (realpath fails there). A relative link is read from the folder holding
 * it, as the kernel reads it: "dir/" + text. Returns a heap string, or NULL
 * with errno (ELOOP after 40 links, as Linux allows).
 */
static char *dangling_target(const char *path)
{
	char *at = xstrdup(path);
	for (int hops = 0; is_link(at); hops++) {
		char *text = hops < 40 ? read_link(at) : NULL;
		if (!text) {
			int saved = hops < 40 ? errno : ELOOP;
			free(at);
			errno = saved;
			return NULL;
		}
		const char *slash = strrchr(at, '/');
		size_t dir_len = slash && text[0] != '/' ? (size_t)(slash - at) + 1 : 0;
		char *next = xmalloc(dir_len + strlen(text) + 1);
		memcpy(next, at, dir_len);
		strcpy(next + dir_len, text);
		free(text);
		free(at);
		at = next;
	}
	return at;
}

int output_open(struct output *out, const char *path, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->path = path;
	out->fd = -1;
	if (!path) {
		/* what stdio buffered goes first; then write(2) directly, so a
		 * policy of megabytes goes out in large pieces */
		if (fflush(stdout) != 0) {
			snprintf(err, errlen, "cannot write to standard output: %s",
				 strerror(errno));
			return -1;
		}
		out->fd = STDOUT_FILENO;
		return 0;
	}
	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "cannot write '%s': it is a directory", path);
			return -1;
		}
		if (!S_ISREG(st.st_mode))
			return open_in_place(out, &st, err, errlen);
		struct stat lst;
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
			/* replace the file the link points to, and keep the link */
			out->target = realpath(path, NULL);
			if (!out->target) {
				snprintf(err, errlen, "cannot write '%s': %s", path,
					 strerror(errno));
				return -1;
			}
		}
	} else if (errno == ELOOP || (errno == ENOENT && is_link(path))) {
		/* a loop, or a link to a file still to be made: create that file,
		 * as `>` in a shell would; replacing the link itself would make
		 * a dangling link behave unlike a valid one */
		out->target = dangling_target(path);
		if (!out->target) {
			snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
			return -1;
		}
	}
	if (!out->target)
		out->target = xstrdup(path);
	if (open_temporary(out, err, errlen) != 0) {
		free(out->target);
		out->target = NULL;
		return -1;
	}
	return 0;
}

void output_write(struct output *out, const char *data, size_t len)
{
	if (out->error || out->fd < 0)
		return;
	if (write_all(out->fd, data, len) != 0)
		out->error = errno ? errno : EIO;
}

void output_abort(struct output *out)
{
	if (out->fd >= 0 && out->fd != STDOUT_FILENO)
		close(out->fd);
	if (out->tmp) {
		sigset_t block, old;
		cleanup_mask(&block);
		sigprocmask(SIG_BLOCK, &block, &old);
		unlink(out->tmp);
		disarm_cleanup();
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	free(out->tmp);
	free(out->target);
	out->tmp = out->target = NULL;
	out->fd = -1;
}

int output_close(struct output *out, char *err, size_t errlen)
{
	int error = out->error;
	if (out->fd == STDOUT_FILENO) {
		out->fd = -1;
		if (error) {
			snprintf(err, errlen, "cannot write to standard output: %s",
				 strerror(error));
			return -1;
		}
		return 0;
	}
	if (!error && out->tmp && fsync(out->fd) != 0)
		error = errno;
	if (close(out->fd) != 0 && !error)
		error = errno;
	out->fd = -1;
	if (!error && out->tmp) {
		/* renamed and forgotten together: a signal in between would
		 * remove whatever took the temporary file's name */
		sigset_t block, old;
		cleanup_mask(&block);
		sigprocmask(SIG_BLOCK, &block, &old);
		if (rename(out->tmp, out->target) != 0)
			error = errno;
		else
			disarm_cleanup();
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	if (!error) {
		free(out->tmp);
		free(out->target);
		out->tmp = out->target = NULL;
		return 0;
	}
	snprintf(err, errlen, "cannot write '%s': %s", out->path, strerror(error));
	output_abort(out);
	return -1;
}

int output_stdout(const char *data, size_t len, char *err, size_t errlen)
{
	struct output out;
	if (output_open(&out, NULL, err, errlen) != 0)
		return -1;
	output_write(&out, data, len);
	return output_close(&out, err, errlen);
}

#include "output.h"

#include <errno.h>
#include <fcntl.h>
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

/* What is already buffered first, then data with write(2) directly: a
 * rendered policy of megabytes goes out in one system call, not in
 * stdio's buffer-sized pieces. */
int output_stdout(const char *data, size_t len, char *err, size_t errlen)
{
	if (fflush(stdout) != 0 || write_all(STDOUT_FILENO, data, len) != 0) {
		snprintf(err, errlen, "cannot write to standard output: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Write to an existing FIFO or device (-o /dev/stdout): it cannot be
 * replaced by a rename, and must not be (as root, renaming over /dev/null
 * would swap the device for a file). */
static int write_special(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	int failed = write_all(fd, data, len) != 0;
	int saved = errno;
	if (close(fd) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (failed)
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(saved));
	return failed ? -1 : 0;
}

static int replace_file(const char *path, const char *data, size_t len, char *err, size_t errlen);

int output_file_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "cannot write '%s': it is a directory", path);
			return -1;
		}
		if (!S_ISREG(st.st_mode))
			return write_special(path, data, len, err, errlen);
		struct stat lst;
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
			/* replace the file the link points to, and keep the link */
			char *target = realpath(path, NULL);
			if (!target) {
				snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
				return -1;
			}
			int rc = replace_file(target, data, len, err, errlen);
			free(target);
			return rc;
		}
	}
	return replace_file(path, data, len, err, errlen);
}

static int replace_file(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	static const char pattern[] = ".dkfpolicy-XXXXXX";
	char *tmp = xmalloc(dir_len + sizeof(pattern));
	memcpy(tmp, path, dir_len);
	memcpy(tmp + dir_len, pattern, sizeof(pattern));

	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	/* mkstemp creates mode 0600; give the file the mode a new file gets */
	mode_t mask = umask(0);
	umask(mask);
	struct stat st;
	mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : (0666 & ~mask);
	int failed = fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0;
	int saved = errno;
	if (close(fd) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (!failed && rename(tmp, path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		unlink(tmp);
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(saved));
	}
	free(tmp);
	return failed ? -1 : 0;
}

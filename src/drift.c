#include "drift.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linediff.h"

/*
 * Read a whole regular file into sb. Returns 0, or -1 with err set. The
 * committed manifest is a regular file; anything else is refused before a
 * byte is read, and opened with O_NONBLOCK so that a FIFO with no writer
 * is refused too instead of waiting in open(2) forever.
 */
static int read_file(const char *path, size_t max_bytes, struct strbuf *sb, char *err,
		     size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen, "cannot check '%s': %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	int rc = -1;
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot check '%s': %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "cannot check '%s': not a regular file", path);
		goto out;
	}
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot check '%s': %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (sb->len + (size_t)n > max_bytes) {
			snprintf(err, errlen, "cannot check '%s': larger than %zu bytes", path,
				 max_bytes);
			goto out;
		}
		strbuf_add(sb, chunk, (size_t)n);
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

enum drift_result drift_check(const char *path, const char *rendered, size_t len, size_t max_bytes,
			      struct strbuf *diff, char *err, size_t errlen)
{
	struct strbuf have, label_old, label_new;
	strbuf_init(&have);
	if (read_file(path, max_bytes, &have, err, errlen) != 0) {
		strbuf_release(&have);
		return DRIFT_UNREADABLE;
	}
	/* a tab ends the file name for patch(1), as diff -u's timestamps do */
	strbuf_init(&label_old);
	strbuf_init(&label_new);
	strbuf_addf(&label_old, "%s\t(committed)", path);
	strbuf_addf(&label_new, "%s\t(rendered)", path);
	bool differs = linediff_unified(diff, label_old.buf, have.buf, have.len, label_new.buf,
					rendered, len);
	strbuf_release(&label_old);
	strbuf_release(&label_new);
	strbuf_release(&have);
	return differs ? DRIFT_DIFFERENT : DRIFT_SAME;
}

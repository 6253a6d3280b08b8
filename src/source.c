#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

static int read_all(FILE *fp, size_t max_bytes, char **out, size_t *out_size)
{
	size_t alloc = 64 * 1024, len = 0;
	char *buf = xmalloc(alloc);
	for (;;) {
		if (len == alloc) {
			alloc *= 2;
			buf = xrealloc(buf, alloc);
		}
		size_t n = fread(buf + len, 1, alloc - len, fp);
		len += n;
		if (len > max_bytes) {
			free(buf);
			errno = EFBIG;
			return -1;
		}
		if (n == 0) {
			if (ferror(fp)) {
				int saved = errno;
				free(buf);
				errno = saved ? saved : EIO;
				return -1;
			}
			break;
		}
	}
	*out = buf;
	*out_size = len;
	return 0;
}

/*
 * fopen(path, "rb"), except that opening cannot hang: a device may wait in
 * open(2) (a serial line for its carrier), so anything but a FIFO is opened
 * with O_NONBLOCK, cleared at once so that reads wait for data as usual. A
 * FIFO is opened the ordinary way and waits for its writer, as cat(1) does:
 * opened without waiting, it would read as empty whenever the writer has
 * not opened its end yet (`cat v.yaml >fifo & dkfpolicy lint fifo`).
 * Standard input's pipes (`lint <(cat v.yaml)`, /dev/stdin) have their
 * writer already and open at once either way.
 */
static FILE *open_for_reading(const char *path)
{
	struct stat st;
	bool is_fifo = stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (is_fifo ? 0 : O_NONBLOCK));
	if (fd < 0)
		return NULL;
	int flags = fcntl(fd, F_GETFL);
	if (!is_fifo && (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0)) {
		int saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	FILE *fp = fdopen(fd, "rb");
	if (!fp) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return fp;
}

int source_open(struct source *src, const char *path, size_t max_bytes, char *err, size_t errlen)
{
	memset(src, 0, sizeof(*src));
	src->max_bytes = max_bytes;
	if (strcmp(path, "-") == 0) {
		src->name = "<stdin>";
		if (read_all(stdin, max_bytes, &src->owned_data, &src->size) != 0) {
			if (errno == EFBIG)
				snprintf(err, errlen,
					 "standard input is larger than %zu bytes (raise it with --max-bytes)",
					 max_bytes);
			else
				snprintf(err, errlen, "cannot read standard input: %s",
					 strerror(errno));
			return -1;
		}
		src->data = src->owned_data;
		return 0;
	}
	src->name = path;
	FILE *fp = open_for_reading(path);
	if (!fp) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(fp), &st) != 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		fclose(fp);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot read '%s': it is a directory; name a values file",
			 path);
		fclose(fp);
		return -1;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max_bytes) {
		snprintf(err, errlen,
			 "'%s' is larger than %zu bytes (raise the limit with --max-bytes)", path,
			 max_bytes);
		fclose(fp);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		/*
		 * A FIFO, a device or a /proc file (size 0) cannot seek back to
		 * turn a reader error's byte offset into a line, and may fail on
		 * its first read: read it whole now, under the size cap, so a read
		 * error is an I/O error naming the file (exit 2), not a YAML one.
		 */
		int rc = read_all(fp, max_bytes, &src->owned_data, &src->size);
		int saved = errno;
		fclose(fp);
		if (rc != 0) {
			if (saved == EFBIG)
				snprintf(err, errlen,
					 "'%s' is larger than %zu bytes (raise the limit "
					 "with --max-bytes)",
					 path, max_bytes);
			else
				snprintf(err, errlen, "cannot read '%s': %s", path,
					 strerror(saved));
			return -1;
		}
		src->data = src->owned_data;
		return 0;
	}
	src->fp = fp;
	return 0;
}

void source_from_memory(struct source *src, const char *name, const char *data, size_t size)
{
	memset(src, 0, sizeof(*src));
	src->name = name;
	src->data = data;
	src->size = size;
	src->max_bytes = size;
}

void source_close(struct source *src)
{
	if (src->fp)
		fclose(src->fp);
	free(src->owned_data);
	memset(src, 0, sizeof(*src));
}

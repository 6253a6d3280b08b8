#ifndef DKF_OUTPUT_H
#define DKF_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Writing results, whole or as they are produced. A file is replaced
 * atomically: the text goes to a temporary file in the same folder, renamed
 * over the path only when every byte is written, so a failure never leaves
 * half a policy behind, and SIGTERM, SIGINT, SIGHUP or SIGXFSZ meanwhile
 * removes the temporary file before ending the process. A symbolic link is
 * followed, also when it dangles (the file it names is then created), and
 * stays a link. An existing FIFO or device is written in place; a FIFO
 * that no process reads is an error, not a wait.
 * Functions return 0, or -1 with a one-line reason in err.
 */
struct output {
	const char *path; /* as named, for messages; NULL: standard output */
	char *target;     /* the file to replace: path, or where its symlink points */
	char *tmp;        /* the temporary file, or NULL (standard output, FIFO, device) */
	int fd;
	int error; /* the first write's errno; 0 while all is well */
};

/* Start writing to path (NULL: standard output). */
int output_open(struct output *out, const char *path, char *err, size_t errlen);
/* Append; an error is kept for output_close, and later writes are skipped. */
void output_write(struct output *out, const char *data, size_t len);
/* Finish: flush to disk and rename into place. On error the old file is
 * untouched and the temporary file removed. Always releases out. */
int output_close(struct output *out, char *err, size_t errlen);
/* Give up: the old file stays, the temporary file is removed. */
void output_abort(struct output *out);

/* Write data to standard output and flush; a full disk or a closed pipe is
 * an error, not a silent truncation. */
int output_stdout(const char *data, size_t len, char *err, size_t errlen);

#endif

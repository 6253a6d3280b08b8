#ifndef DKF_SOURCE_H
#define DKF_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * An input: a file streamed from disk (a 10 MB values file is never held in
 * memory whole), standard input (read into memory, since it cannot be read
 * twice), or text compiled into the binary (deployKF's defaults).
 */
struct source {
	const char *name; /* shown in diagnostics: the path as given, or "<stdin>" */
	FILE *fp;         /* streamed file, or NULL */
	const char *data; /* in-memory text, or NULL */
	size_t size;      /* of data */
	char *owned_data; /* data we read (stdin) and must free */
	size_t max_bytes; /* input size budget */
};

enum { SOURCE_DEFAULT_MAX_BYTES = 64 * 1024 * 1024 };

/*
 * Open path ("-" is standard input) for reading. On failure returns -1 and
 * writes a one-line reason (no file content) to err. The caller closes a
 * source it opened with source_close.
 */
int source_open(struct source *src, const char *path, size_t max_bytes, char *err, size_t errlen);
/* A source over text that outlives it (no copy). */
void source_from_memory(struct source *src, const char *name, const char *data, size_t size);
void source_close(struct source *src);

#endif

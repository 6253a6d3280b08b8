#ifndef DKF_EMBEDDED_H
#define DKF_EMBEDDED_H

#include <stddef.h>

/*
 * Files compiled into the binary by tools/embed (the templates/<name>.yaml files and
 * data/default_values.yaml), so an installed binary needs no data files.
 * The generated build/<variant>/gen/embedded_data.c defines the table.
 */
struct embedded_file {
	const char *name; /* path as given at build time, e.g. "templates/x.yaml" */
	const char *data; /* NUL-terminated */
	size_t size;      /* without the terminating NUL */
};

extern const struct embedded_file embedded_files[];
extern const size_t embedded_file_count;

/* The file with that name, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif

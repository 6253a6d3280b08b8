#ifndef DKF_XALLOC_H
#define DKF_XALLOC_H

#include <stddef.h>

/*
 * Allocation that never returns NULL: on exhaustion it prints
 * "dkfpolicy: out of memory" and exits with status 2, so callers
 * need no error path for memory (mandoc's mandoc_aux.c does the same).
 * The caller owns and frees what these return.
 */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

#endif

#ifndef DKF_ARENA_H
#define DKF_ARENA_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A bump allocator: everything a run builds (nodes, strings, diagnostics)
 * lives in one arena and is released at once by arena_free. Nothing from an
 * arena is freed on its own. Allocation never fails (see xalloc.h).
 */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t used_bytes; /* total handed out, for budgets and benchmarks */
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
/* Zeroed memory, owned by the arena, aligned for pointers, sizes and
 * doubles (8 bytes; nothing needing more is ever stored in an arena). */
void *arena_alloc(struct arena *a, size_t size);
/* A NUL-terminated copy of s[0..len), owned by the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif

#ifndef DKF_EXCERPT_H
#define DKF_EXCERPT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/*
 * Which source lines a report may quote. Values files hold passwords and
 * tokens, and CI logs are widely read, so a line is shown only when every
 * YAML value on it is on the path to the block or inside it. The loader
 * marks every line that holds anything else (a value it streamed past, an
 * anchor elsewhere) as private; the reporter asks before quoting.
 *
 * Standard input cannot be read twice, so its text is kept (in the arena);
 * files are read again at report time.
 */
struct excerpt_range {
	unsigned first, last; /* 1-based, inclusive */
};

struct excerpt_file {
	const char *name;
	const char *data;      /* kept text (stdin, embedded), or NULL: read the file */
	size_t size;
	struct excerpt_range *private_lines; /* heap, sorted, disjoint */
	size_t count, alloc;
	/* the loader read every byte and saw no suppression marker, so the
	 * file need not be read again to look for one */
	bool has_no_marker;
	struct excerpt_file *next;
};

struct excerpt_book {
	struct arena *arena;
	struct excerpt_file *files;
};

void excerpt_book_init(struct excerpt_book *book, struct arena *arena);
/* Frees the range tables (the files themselves live in the arena). */
void excerpt_book_release(struct excerpt_book *book);

/* Start recording a file; a name seen before starts afresh. data (may be
 * NULL) must outlive the book. */
struct excerpt_file *excerpt_book_add(struct excerpt_book *book, const char *name,
				      const char *data, size_t size);
/* Mark lines first..last private. Calls come in document order. */
void excerpt_mark_private_range(struct excerpt_file *file, unsigned first, unsigned last);

/* The same, for the loader's every event: most events of a large file fall
 * in the range marked last, and are answered here without a call. */
static inline void excerpt_mark_private(struct excerpt_file *file, unsigned first,
					unsigned last)
{
	const struct excerpt_range *r = file->count ? &file->private_lines[file->count - 1] : NULL;
	if (r && first >= r->first && last <= r->last)
		return;
	excerpt_mark_private_range(file, first, last);
}

/*
 * The text of line (no newline, arena-owned) when it may be quoted: the
 * file was recorded, the line holds no private value, and it can be read.
 * NULL otherwise.
 */
const char *excerpt_public_line(const struct excerpt_book *book, const char *name, unsigned line);

#endif

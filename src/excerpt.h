#ifndef DKF_EXCERPT_H
#define DKF_EXCERPT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "lines.h"
#include "strset.h"

/*
 * What the front end learnt about each input for the report: which lines a
 * report may quote, where to find them again, and the lines that hold an
 * inline suppression marker.
 *
 * Values files hold passwords and tokens, and CI logs are widely read, so a
 * line is quoted only when every YAML value on it is on the path to the block
 * or inside it. The front end marks every line that holds anything else (a
 * value it streamed past, an anchor elsewhere) as private; the report asks
 * before quoting, and even then shows the line only up to a comment.
 *
 * Standard input and texts in memory cannot be read again, so their text is
 * kept; of a file, only the lines asked for are read again, starting from the
 * nearest checkpoint (so excerpts cost O(file + findings), not a read of the
 * whole file per finding).
 */
struct excerpt_range {
	unsigned first, last; /* 1-based, inclusive */
};

struct excerpt_file {
	const char *name;
	const char *data; /* kept text (stdin, memory), or NULL: read the file */
	size_t size;
	bool is_never_quoted;                /* its lines cannot be found again (UTF-16) */
	struct excerpt_range *private_lines; /* heap, sorted, disjoint */
	size_t count, alloc;
	struct lines_checkpoint *checkpoints; /* heap: where pieces of a streamed file start */
	size_t checkpoint_count;
	struct lines_kept *marker_lines; /* heap: the lines holding "dkfpolicy:" */
	size_t marker_line_count;
};

struct excerpt_book {
	struct arena *arena;         /* owns kept texts and fetched lines */
	struct excerpt_file **files; /* heap, in the order they were first read */
	size_t count, alloc;
	struct strset by_name; /* name -> index in files */
};

void excerpt_book_init(struct excerpt_book *book, struct arena *arena);
/* Frees the tables (kept texts live in the arena). */
void excerpt_book_release(struct excerpt_book *book);

/* Start recording a file; a name seen before starts afresh. data (may be
 * NULL) must outlive the book. */
struct excerpt_file *excerpt_book_add(struct excerpt_book *book, const char *name, const char *data,
				      size_t size);
/* The record of a file, or NULL. */
const struct excerpt_file *excerpt_book_find(const struct excerpt_book *book, const char *name);

/* Mark lines first..last private. Calls in document order (the loader's)
 * cost O(1); any order is right. */
void excerpt_mark_private_range(struct excerpt_file *file, unsigned first, unsigned last);

/* The same, for the loader's every event: most events of a large file fall
 * in the range marked last, and are answered here without a call. */
static inline void excerpt_mark_private(struct excerpt_file *file, unsigned first, unsigned last)
{
	struct excerpt_range *r = file->count ? &file->private_lines[file->count - 1] : NULL;
	if (r && first >= r->first && first <= r->last + 1 && last >= first) {
		/* inside the last range, or running on from it: the next line of
		 * a large file */
		if (last > r->last)
			r->last = last;
		return;
	}
	excerpt_mark_private_range(file, first, last);
}

/*
 * Fetch the public lines asked for: for each request whose file is recorded
 * and whose line holds nothing private, text is set to the line (arena-owned,
 * without its line break, cut before a comment, trailing blanks removed), or
 * left NULL (private, too long to be worth quoting, gone). Each file is read
 * at most once, and only near the lines asked for.
 */
struct excerpt_request {
	const char *file;
	unsigned line;
	const char *text; /* out */
};
void excerpt_fetch(const struct excerpt_book *book, struct excerpt_request *requests, size_t count);

#endif

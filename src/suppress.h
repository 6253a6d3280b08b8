#ifndef DKF_SUPPRESS_H
#define DKF_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "excerpt.h"

/*
 * Inline suppressions: `# dkfpolicy: ignore[CODE, NAME...]` silences the
 * findings it names on its own line; a marker alone on its line (nothing but
 * blanks before the '#') silences them on the line below too. Comments are not in libyaml's events:
 * the front end keeps every line that holds the marker word as it reads a
 * file (excerpt.h, marker_lines), so no file is read again for them. A marker
 * that silences nothing is reported (DKF121), an unknown code in one too
 * (DKF122).
 */
struct suppress_marker {
	const char *file;
	unsigned line, col;
	bool is_alone;         /* nothing but blanks before it: it covers the next line */
	enum diag_code *codes; /* heap */
	bool *used;            /* heap, one per code */
	size_t code_count;
};

struct suppress_set {
	struct suppress_marker *items; /* heap */
	size_t count, alloc;
	size_t *index; /* heap: open addressing by (file, line), item + 1 */
	size_t index_alloc;
	size_t files_read; /* the book's files whose markers are read */
};

void suppress_init(struct suppress_set *set);
void suppress_release(struct suppress_set *set);

/* Read the markers of the book's files not read yet (each file once); adds
 * DKF122 for a name that is no rule. */
void suppress_read(struct suppress_set *set, const struct excerpt_book *book,
		   struct diag_list *diags);

/* Whether a marker silences d (the marker's code then counts as used). */
bool suppress_silences(struct suppress_set *set, const struct diag *d);

/* DKF121 for every code of a marker that silenced nothing. */
void suppress_report_unused(const struct suppress_set *set, struct diag_list *diags);

#endif

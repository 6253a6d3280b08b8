#ifndef DKF_SUPPRESS_H
#define DKF_SUPPRESS_H

#include "diag.h"
#include "excerpt.h"

/*
 * Inline suppressions: `# dkfpolicy: ignore[CODE, NAME...]` on a finding's
 * line or the line above silences it. Comments are not in libyaml's events,
 * so every input file the book knows is scanned for the marker here, at
 * report time. A marker that silences nothing is reported (DKF121), an
 * unknown code in one too (DKF122). Run before sorting.
 */
void suppress_apply(struct diag_list *diags, const struct excerpt_book *book);

/*
 * The loader already reads every byte of a file: it feeds them here, in
 * the blocks it reads, so that a file without a marker (nearly all) is not
 * read a second time by suppress_apply.
 */
enum { SUPPRESS_WORD_LEN = 10 }; /* strlen("dkfpolicy:") */
struct suppress_watch {
	char tail[SUPPRESS_WORD_LEN - 1]; /* the end of the last block, for a word cut in two */
	size_t tail_len;
	bool seen;
};
void suppress_watch_feed(struct suppress_watch *w, const char *buf, size_t len);

#endif

#ifndef DKF_SUGGEST_H
#define DKF_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Did-you-mean: the candidate closest to word, or NULL when none is close
 * enough to be a plausible typo. Distance is optimal-string-alignment
 * (Damerau-Levenshtein) after folding case and treating '_' and '-' as
 * equal; an exact match after folding (deployKF_dependencies,
 * image-pull-secrets) is closest of all. Returns a pointer into candidates.
 */
const char *suggest_closest(const char *word, size_t len, const char *const *candidates,
			    size_t count);
/* Exactly suggest_distance(a, alen, b, blen) <= limit, but most far-apart
 * words are rejected without the distance table. */
bool suggest_within(const char *a, size_t alen, const char *b, size_t blen, size_t limit);

#endif

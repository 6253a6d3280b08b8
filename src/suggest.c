#include "suggest.h"

#include <stdint.h>
#include <string.h>

/* The distance suggest_closest uses (SIZE_MAX for words too long to compare). */
static size_t suggest_distance(const char *a, size_t alen, const char *b, size_t blen);

/* Keys in a values file are short; a longer word is no typo of one, and the
 * cap keeps the rows on the stack and the work per pair small. */
enum { SUGGEST_MAX_LEN = 128 };

/* deployKF spells the same idea deploykf_dependencies and imagePullSecrets,
 * and users mix them up; case and '_' versus '-' are not typos. */
static unsigned char fold(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c - 'A' + 'a');
	if (c == '_')
		return '-';
	return (unsigned char)c;
}

/*
 * Whether suggest_distance(a, b) <= limit, cheaply when it is not: every
 * edit changes the length by at most one, and the folded letters by at
 * most one missing and one extra (a swap by none), so the distance is at
 * least the length difference and at least the letters a has beyond b
 * (or b beyond a). Exactly suggest_distance(...) <= limit.
 */
bool suggest_within(const char *a, size_t alen, const char *b, size_t blen, size_t limit)
{
	if ((alen > blen ? alen - blen : blen - alen) > limit)
		return false;
	if (alen > SUGGEST_MAX_LEN || blen > SUGGEST_MAX_LEN)
		return false; /* suggest_distance is SIZE_MAX */
	int count[256] = { 0 };
	for (size_t i = 0; i < alen; i++)
		count[fold(a[i])]++;
	for (size_t j = 0; j < blen; j++)
		count[fold(b[j])]--;
	size_t extra_a = 0, extra_b = 0;
	for (size_t i = 0; i < alen; i++) {
		unsigned char c = fold(a[i]);
		if (count[c] > 0) {
			extra_a += (size_t)count[c];
			count[c] = 0;
		}
	}
	for (size_t j = 0; j < blen; j++) {
		unsigned char c = fold(b[j]);
		if (count[c] < 0) {
			extra_b += (size_t)-count[c];
			count[c] = 0;
		}
	}
	if (extra_a > limit || extra_b > limit)
		return false;
	return suggest_distance(a, alen, b, blen) <= limit;
}

static size_t min2(size_t a, size_t b)
{
	return a < b ? a : b;
}

/*
 * Optimal string alignment: Levenshtein plus the swap of two neighbours,
 * each substring edited once (the usual "Damerau-Levenshtein" of spelling
 * checkers). Three rolling rows: i-2 is needed for the swap. SIZE_MAX when
 * either text is over the cap, which no threshold accepts.
 */
static size_t suggest_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t rows[3][SUGGEST_MAX_LEN + 1];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (alen > SUGGEST_MAX_LEN || blen > SUGGEST_MAX_LEN)
		return SIZE_MAX;
	for (size_t j = 0; j <= blen; j++)
		prev[j] = j;
	for (size_t i = 1; i <= alen; i++) {
		unsigned char ca = fold(a[i - 1]);
		size_t *spare;

		cur[0] = i;
		for (size_t j = 1; j <= blen; j++) {
			unsigned char cb = fold(b[j - 1]);
			size_t cost = ca != cb;
			size_t d = min2(min2(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);

			if (i > 1 && j > 1 && ca == fold(b[j - 2]) && fold(a[i - 2]) == cb)
				d = min2(d, prev2[j - 2] + 1);
			cur[j] = d;
		}
		spare = prev2;
		prev2 = prev;
		prev = cur;
		cur = spare;
	}
	return prev[blen];
}

const char *suggest_closest(const char *word, size_t len, const char *const *candidates,
			    size_t count)
{
	const char *best = NULL;
	size_t best_distance = SIZE_MAX;

	for (size_t i = 0; i < count; i++) {
		size_t clen = strlen(candidates[i]);
		size_t limit, d;

		/* A third of the shorter word: "enable" may become "enabled",
		 * but "foo" is no misspelling of "enabled". */
		limit = min2(len, clen) / 3;
		if (limit < 1)
			limit = 1;
		d = suggest_distance(word, len, candidates[i], clen);
		/* Strictly smaller, so the earlier candidate wins a tie. */
		if (d <= limit && d < best_distance) {
			best = candidates[i];
			best_distance = d;
		}
	}
	return best;
}

#define PCRE2_CODE_UNIT_WIDTH 8

#include "names.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

/*
 * Kubernetes' own grammars (k8s.io/apimachinery pkg/util/validation:
 * dns1123SubdomainFmt, dns1123LabelFmt). They are emitted into the JSON
 * Schema as well, so they stay within what ECMA-262 and PCRE2 read alike.
 */
const char NAMES_DNS1123_SUBDOMAIN_PATTERN[] =
	"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
const char NAMES_DNS1123_LABEL_PATTERN[] = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/* A label in which '*' and '?' may stand anywhere, edges included: `*`,
 * `team-*`, `?*`. A '-' at an edge can never match a namespace. */
const char NAMES_WILDCARD_PATTERN[] = "^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?$";

enum grammar {
	GRAMMAR_SUBDOMAIN,
	GRAMMAR_LABEL,
	GRAMMAR_WILDCARD,
	GRAMMAR_COUNT,
};

static const char *const grammar_pattern[GRAMMAR_COUNT] = {
	[GRAMMAR_SUBDOMAIN] = NAMES_DNS1123_SUBDOMAIN_PATTERN,
	[GRAMMAR_LABEL] = NAMES_DNS1123_LABEL_PATTERN,
	[GRAMMAR_WILDCARD] = NAMES_WILDCARD_PATTERN,
};

/* Compiled on first use, freed by names_release(); NULL means "not yet". */
static pcre2_code *grammar_code[GRAMMAR_COUNT];
/* Whether compiling failed (only if pcre2 ran out of memory: the patterns
 * are constants the unit tests compile); the hand classifier then decides. */
static bool grammar_broken[GRAMMAR_COUNT];
/* One block for all three: none has more than three groups. */
static pcre2_match_data *grammar_match_data;
/* Matches so far per grammar: JIT compiling costs as much as a few hundred
 * interpreted matches of a short name, so it is done only once a run has
 * shown it checks that many names (a long registryCredentials list). */
static unsigned grammar_uses[GRAMMAR_COUNT];
enum { JIT_AFTER_MATCHES = 256 };

static pcre2_code *grammar_get(enum grammar g)
{
	int error;
	PCRE2_SIZE offset;

	if (grammar_code[g] || grammar_broken[g])
		return grammar_code[g];
	/* DOLLAR_ENDONLY: PCRE2's '$' would otherwise also match before a
	 * final newline, and "kyverno\n" is not a namespace (ECMA's '$' already
	 * behaves this way, so the schema and this code agree). */
	grammar_code[g] = pcre2_compile((PCRE2_SPTR)grammar_pattern[g], PCRE2_ZERO_TERMINATED,
					PCRE2_DOLLAR_ENDONLY, &error, &offset, NULL);
	if (!grammar_code[g]) {
		grammar_broken[g] = true;
		return NULL;
	}
	if (!grammar_match_data)
		grammar_match_data = pcre2_match_data_create(4, NULL);
	return grammar_code[g];
}

/* 1 matches, 0 does not, -1 no answer (no regex or a match error). */
static int grammar_matches(enum grammar g, const char *s, size_t len)
{
	pcre2_code *code = grammar_get(g);
	int rc;

	if (!code || !grammar_match_data)
		return -1;
	/* JIT is only a speed-up; the interpreter gives the same answers. */
	if (++grammar_uses[g] == JIT_AFTER_MATCHES)
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	rc = pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, grammar_match_data, NULL);
	if (rc >= 0)
		return 1;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

static bool is_lower_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_edge_char(unsigned char c, enum grammar g)
{
	return is_lower_alnum(c) || (g == GRAMMAR_WILDCARD && (c == '*' || c == '?'));
}

/* Each '.'-separated part (the whole text for a label) is non-empty and
 * starts and ends with a letter or digit (or a wildcard, in a pattern). */
static bool edges_ok(const char *s, size_t len, enum grammar g)
{
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (i == start || !is_edge_char((unsigned char)s[start], g) ||
		    !is_edge_char((unsigned char)s[i - 1], g))
			return false;
		start = i + 1;
	}
	return true;
}

enum {
	SEEN_SPACE = 1 << 0,
	SEEN_UPPER = 1 << 1,
	SEEN_UNDERSCORE = 1 << 2,
	SEEN_REGEX = 1 << 3,
	SEEN_WILDCARD = 1 << 4,
	SEEN_DOT = 1 << 5,
	SEEN_OTHER = 1 << 6,
};

/*
 * Why a text is not a name of the grammar, by the priority users read best:
 * the most specific explanation first, "bad edge" last. Returns NAME_OK
 * when no rule is broken; empty and length are decided by the caller.
 */
static enum name_problem classify(const char *s, size_t len, enum grammar g)
{
	unsigned seen = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_lower_alnum(c) || c == '-')
			continue;
		if (c == ' ' || (c >= '\t' && c <= '\r'))
			seen |= SEEN_SPACE;
		else if (c >= 'A' && c <= 'Z')
			seen |= SEEN_UPPER;
		else if (c == '_')
			seen |= SEEN_UNDERSCORE;
		else if (c == '*' || c == '?')
			seen |= SEEN_WILDCARD;
		else if (c == '.')
			seen |= SEEN_DOT;
		else if (g == GRAMMAR_WILDCARD && c != '\0' && strchr("[]()+^$|\\{}", c))
			seen |= SEEN_REGEX;
		else
			seen |= SEEN_OTHER;
	}
	if (seen & SEEN_SPACE)
		return NAME_SPACE;
	if (seen & SEEN_UPPER)
		return NAME_UPPERCASE;
	if (seen & SEEN_UNDERSCORE)
		return NAME_UNDERSCORE;
	if (seen & SEEN_REGEX)
		return NAME_REGEX_SYNTAX;
	if ((seen & SEEN_WILDCARD) && g != GRAMMAR_WILDCARD)
		return NAME_WILDCARD_IN_NAME;
	if ((seen & SEEN_DOT) && g != GRAMMAR_SUBDOMAIN)
		return NAME_DOT_IN_LABEL;
	if (seen & SEEN_OTHER)
		return NAME_BAD_CHARACTER;
	if (!edges_ok(s, len, g))
		return NAME_BAD_EDGE;
	return NAME_OK;
}

static enum name_problem check(const char *s, size_t len, enum grammar g, size_t length)
{
	static const size_t max[GRAMMAR_COUNT] = {
		[GRAMMAR_SUBDOMAIN] = NAMES_SUBDOMAIN_MAX,
		[GRAMMAR_LABEL] = NAMES_LABEL_MAX,
		[GRAMMAR_WILDCARD] = NAMES_LABEL_MAX,
	};
	enum name_problem p;
	int matched;

	if (len == 0)
		return NAME_EMPTY;
	if (length > max[g])
		return NAME_TOO_LONG;
	matched = grammar_matches(g, s, len);
	if (matched == 1)
		return NAME_OK;
	p = classify(s, len, g);
	if (matched == -1)
		return p;
	/* The regex is the authority; whatever it rejects that no rule above
	 * explains is an edge problem by construction of the grammars. */
	return p == NAME_OK ? NAME_BAD_EDGE : p;
}

enum name_problem names_check_subdomain(const char *s, size_t len)
{
	return check(s, len, GRAMMAR_SUBDOMAIN, len);
}

enum name_problem names_check_label(const char *s, size_t len)
{
	return check(s, len, GRAMMAR_LABEL, len);
}

enum name_problem names_check_wildcard(const char *s, size_t len)
{
	size_t needed = 0;

	/* Only the non-'*' characters must fit into a namespace: `*` can
	 * match nothing, so eighty of them around "abc" still match "abc". */
	for (size_t i = 0; i < len; i++)
		needed += s[i] != '*';
	return check(s, len, GRAMMAR_WILDCARD, needed);
}

const char *names_problem_text_for(enum name_problem p, size_t max)
{
	switch (p) {
	case NAME_OK: return "is valid";
	case NAME_EMPTY: return "is empty";
	case NAME_TOO_LONG:
		/* Only the two limits this tool knows; constant strings keep the
		 * function free of buffers and ownership. */
		if (max == NAMES_LABEL_MAX)
			return "is longer than 63 characters";
		if (max == NAMES_SUBDOMAIN_MAX)
			return "is longer than 253 characters";
		return "is too long";
	case NAME_UPPERCASE: return "has upper-case letters";
	case NAME_UNDERSCORE: return "has '_'";
	case NAME_SPACE: return "has white space";
	case NAME_DOT_IN_LABEL: return "has '.'";
	case NAME_BAD_EDGE: return "must start and end with a letter or digit";
	case NAME_REGEX_SYNTAX:
		return "uses regular-expression syntax; Kyverno patterns only know '*' and '?'";
	case NAME_WILDCARD_IN_NAME: return "has a wildcard";
	case NAME_BAD_CHARACTER:
		/* a Secret name (subdomain) may also have '.' */
		if (max == NAMES_SUBDOMAIN_MAX)
			return "has a character other than a-z, 0-9, '-' and '.'";
		return "has a character other than a-z, 0-9 and '-'";
	}
	return "is not a valid name";
}

/*
 * Kyverno wildcards (pkg/utils/wildcard -> go-wildcard v1.0.3). go-wildcard
 * recurses over every way to place each '*', as a backtracking regex engine
 * does over each '.*': `*a*a*a*a*a*a*a*a*a*a*a*a*b` against a name that
 * nearly matches takes millions of steps. None is needed. Runs of '*' split
 * a pattern into segments of fixed length ('?' is any one rune): the first
 * must match at the start of the name, the last at its end, and each one
 * between at its leftmost place after the one before, since an earlier
 * place leaves the segments after it more room, never less. A middle
 * segment is searched with shift-and over runes (one state bit per segment
 * position), so a match costs O(name runes x words of the longest segment),
 * and valid patterns (at most 63 runes besides '*') need one 64-bit word.
 */

/* '?' in a decoded pattern: above every code point, so no name rune is it. */
#define RUNE_ANY UINT32_MAX

/* Where one rune stands in a segment. Frequent runes get a bit mask; a
 * rune at fewer places than the mask has words gets its positions, so a
 * long segment of distinct runes needs memory in its length, not its
 * length squared. */
struct rune_places {
	uint32_t rune;
	bool is_mask;
	size_t count; /* positions (when !is_mask) */
	size_t at;    /* into the segment's masks (words of them) or positions */
};

struct segment {
	const uint32_t *runes;      /* into wildcard.runes */
	size_t len;                 /* runes */
	size_t words;               /* of a state: (len + 63) / 64 */
	uint64_t *any;              /* positions of '?' */
	struct rune_places *places; /* sorted by rune */
	size_t place_count;
	uint64_t *masks;
	size_t *positions;
};

struct wildcard {
	uint32_t *runes; /* the pattern without its '*'s */
	size_t rune_count;
	bool has_star;
	size_t prefix, suffix;  /* runes before the first '*' and after the last */
	struct segment *middle; /* the segments between, in order */
	size_t middle_count;
	uint32_t *text; /* the name being matched, decoded; reused */
	size_t text_alloc;
	uint64_t *state, *shifted; /* for segments of more than one word */
	size_t state_words;
};

/*
 * Go's utf8.DecodeRune: a well-formed sequence gives its code point; any
 * other byte gives U+FFFD and width 1. go-wildcard converts both strings to
 * []rune this way, so "\xff" in a pattern matches "\xfe" in a name.
 */
static uint32_t decode_rune(const unsigned char *s, size_t len, size_t *width)
{
	uint32_t c;
	size_t n = utf8_decode(s, len, &c);
	*width = n ? n : 1;
	return n ? c : 0xfffd;
}

/* At most one rune per byte, so len runes always suffice. */
static size_t decode_runes(const char *s, size_t len, uint32_t *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t count = 0, width;

	for (size_t i = 0; i < len; i += width)
		out[count++] = decode_rune(p + i, len - i, &width);
	return count;
}

struct rune_at {
	uint32_t rune;
	size_t pos;
};

static int compare_rune_at(const void *pa, const void *pb)
{
	const struct rune_at *a = pa, *b = pb;

	if (a->rune != b->rune)
		return a->rune < b->rune ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static void set_bit(uint64_t *bits, size_t pos)
{
	bits[pos / 64] |= (uint64_t)1 << (pos % 64);
}

static bool has_bit(const uint64_t *bits, size_t pos)
{
	return (bits[pos / 64] >> (pos % 64)) & 1;
}

/* The shift-and tables of a middle segment (len > 0). */
static void segment_build(struct segment *s, const uint32_t *runes, size_t len)
{
	struct rune_at *sorted = xmalloc(len * sizeof(*sorted));
	size_t literal = 0, mask_count = 0, position_count = 0;

	s->runes = runes;
	s->len = len;
	s->words = (len + 63) / 64;
	s->any = xcalloc(s->words, sizeof(*s->any));
	for (size_t i = 0; i < len; i++) {
		if (runes[i] == RUNE_ANY)
			set_bit(s->any, i);
		else
			sorted[literal++] = (struct rune_at){ runes[i], i };
	}
	qsort(sorted, literal, sizeof(*sorted), compare_rune_at);
	s->places = xmalloc((literal ? literal : 1) * sizeof(*s->places));
	s->place_count = 0;
	for (size_t i = 0; i < literal;) {
		size_t j = i;
		struct rune_places *p = &s->places[s->place_count++];

		while (j < literal && sorted[j].rune == sorted[i].rune)
			j++;
		p->rune = sorted[i].rune;
		p->count = j - i;
		p->is_mask = p->count >= s->words;
		p->at = p->is_mask ? mask_count++ * s->words : position_count;
		if (!p->is_mask)
			position_count += p->count;
		i = j;
	}
	s->masks = xcalloc(mask_count ? mask_count * s->words : 1, sizeof(*s->masks));
	s->positions = xmalloc((position_count ? position_count : 1) * sizeof(*s->positions));
	for (size_t i = 0, n = 0; n < s->place_count; n++) {
		struct rune_places *p = &s->places[n];

		for (size_t j = 0; j < p->count; j++, i++) {
			if (p->is_mask)
				set_bit(s->masks + p->at, sorted[i].pos);
			else
				s->positions[p->at + j] = sorted[i].pos;
		}
	}
	free(sorted);
}

/* A binary search: at most six steps in a segment of a valid pattern. */
static const struct rune_places *places_of(const struct segment *s, uint32_t rune)
{
	size_t lo = 0, hi = s->place_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->places[mid].rune == rune)
			return &s->places[mid];
		if (s->places[mid].rune < rune)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* One step of shift-and over several words: state = (state << 1 | 1) &
 * (positions of '?' | positions of rune). */
static void step_words(struct wildcard *w, const struct segment *s, uint32_t rune)
{
	const struct rune_places *p = places_of(s, rune);
	uint64_t *d = w->state, *t = w->shifted, carry = 1;

	for (size_t k = 0; k < s->words; k++) {
		t[k] = (d[k] << 1) | carry;
		carry = d[k] >> 63;
	}
	for (size_t k = 0; k < s->words; k++)
		d[k] = t[k] & (s->any[k] | (p && p->is_mask ? s->masks[p->at + k] : 0));
	if (p && !p->is_mask)
		for (size_t j = 0; j < p->count; j++)
			if (has_bit(t, s->positions[p->at + j]))
				set_bit(d, s->positions[p->at + j]);
}

/* Where s first matches in w->text[from, to), or SIZE_MAX. */
static size_t find_segment(struct wildcard *w, const struct segment *s, size_t from, size_t to)
{
	size_t last = s->len - 1;

	if (s->words == 1) {
		uint64_t d = 0, top = (uint64_t)1 << last;

		for (size_t i = from; i < to; i++) {
			const struct rune_places *p = places_of(s, w->text[i]);

			d = ((d << 1) | 1) & (s->any[0] | (p ? s->masks[p->at] : 0));
			if (d & top)
				return i - last;
		}
		return SIZE_MAX;
	}
	memset(w->state, 0, s->words * sizeof(*w->state));
	for (size_t i = from; i < to; i++) {
		step_words(w, s, w->text[i]);
		if (has_bit(w->state, last))
			return i - last;
	}
	return SIZE_MAX;
}

/* pattern[0, len) against text[0, len), '?' matching any rune */
static bool same_runes(const uint32_t *pattern, const uint32_t *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (pattern[i] != RUNE_ANY && pattern[i] != text[i])
			return false;
	return true;
}

struct wildcard *wildcard_compile(const char *pattern, size_t len)
{
	struct wildcard *w = xcalloc(1, sizeof(*w));
	size_t start = 0, width, star_runs = 0;
	bool in_star = false;

	/* '*' is one byte and never inside a longer rune, so counting bytes
	 * counts the runs; a middle segment lies between two of them. */
	for (size_t i = 0; i < len; i++)
		star_runs += pattern[i] == '*' && (i == 0 || pattern[i - 1] != '*');
	w->runes = xmalloc((len ? len : 1) * sizeof(*w->runes));
	w->middle = xmalloc((star_runs ? star_runs : 1) * sizeof(*w->middle));
	for (size_t i = 0; i < len; i += width) {
		uint32_t c = decode_rune((const unsigned char *)pattern + i, len - i, &width);

		if (c == '*') {
			if (!in_star) {
				if (!w->has_star)
					w->prefix = w->rune_count;
				else if (w->rune_count > start)
					segment_build(&w->middle[w->middle_count++],
						      w->runes + start, w->rune_count - start);
			}
			w->has_star = in_star = true;
			continue;
		}
		if (in_star)
			start = w->rune_count;
		in_star = false;
		w->runes[w->rune_count++] = c == '?' ? RUNE_ANY : c;
	}
	if (w->has_star)
		w->suffix = in_star ? 0 : w->rune_count - start;
	for (size_t i = 0; i < w->middle_count; i++)
		if (w->middle[i].words > w->state_words)
			w->state_words = w->middle[i].words;
	if (w->state_words > 1) {
		w->state = xmalloc(w->state_words * sizeof(*w->state));
		w->shifted = xmalloc(w->state_words * sizeof(*w->shifted));
	}
	return w;
}

bool wildcard_match(struct wildcard *w, const char *name, size_t len)
{
	size_t n, at, end;

	/* one more than len: an empty name still gets a buffer to point into */
	if (len >= w->text_alloc) {
		free(w->text);
		w->text_alloc = len + 1;
		w->text = xmalloc(w->text_alloc * sizeof(*w->text));
	}
	n = decode_runes(name, len, w->text);
	if (!w->has_star)
		return n == w->rune_count && same_runes(w->runes, w->text, n);
	if (n < w->prefix + w->suffix || !same_runes(w->runes, w->text, w->prefix) ||
	    !same_runes(w->runes + w->rune_count - w->suffix, w->text + n - w->suffix, w->suffix))
		return false;
	at = w->prefix;
	end = n - w->suffix;
	for (size_t i = 0; i < w->middle_count; i++) {
		size_t found = find_segment(w, &w->middle[i], at, end);

		if (found == SIZE_MAX)
			return false;
		at = found + w->middle[i].len;
	}
	return true;
}

void wildcard_free(struct wildcard *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->middle_count; i++) {
		free(w->middle[i].any);
		free(w->middle[i].places);
		free(w->middle[i].masks);
		free(w->middle[i].positions);
	}
	free(w->middle);
	free(w->runes);
	free(w->text);
	free(w->state);
	free(w->shifted);
	free(w);
}

bool names_has_wildcard(const char *s, size_t len)
{
	return memchr(s, '*', len) || memchr(s, '?', len);
}

bool names_wildcard_matches_everything(const char *s, size_t len)
{
	size_t stars = 0, questions = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '*')
			stars++;
		else if (s[i] == '?')
			questions++;
		else
			return false;
	}
	/* `?` needs one character, which every namespace has; `??` needs two,
	 * which "a" lacks; `?` alone refuses "ab". */
	return stars > 0 && questions <= 1;
}

void names_release(void)
{
	for (int g = 0; g < GRAMMAR_COUNT; g++) {
		pcre2_code_free(grammar_code[g]);
		grammar_code[g] = NULL;
		grammar_broken[g] = false;
		grammar_uses[g] = 0;
	}
	pcre2_match_data_free(grammar_match_data);
	grammar_match_data = NULL;
}

#define PCRE2_CODE_UNIT_WIDTH 8

#include "names.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	case NAME_OK:
		return "is valid";
	case NAME_EMPTY:
		return "is empty";
	case NAME_TOO_LONG:
		/* Only the two limits this tool knows; constant strings keep the
		 * function free of buffers and ownership. */
		if (max == NAMES_LABEL_MAX)
			return "is longer than 63 characters";
		if (max == NAMES_SUBDOMAIN_MAX)
			return "is longer than 253 characters";
		return "is too long";
	case NAME_UPPERCASE:
		return "has upper-case letters";
	case NAME_UNDERSCORE:
		return "has '_'";
	case NAME_SPACE:
		return "has white space";
	case NAME_DOT_IN_LABEL:
		return "has '.'";
	case NAME_BAD_EDGE:
		return "must start and end with a letter or digit";
	case NAME_REGEX_SYNTAX:
		return "uses regular-expression syntax; Kyverno patterns only know '*' and '?'";
	case NAME_WILDCARD_IN_NAME:
		return "has a wildcard";
	case NAME_BAD_CHARACTER:
		/* a Secret name (subdomain) may also have '.' */
		if (max == NAMES_SUBDOMAIN_MAX)
			return "has a character other than a-z, 0-9, '-' and '.'";
		return "has a character other than a-z, 0-9 and '-'";
	}
	return "is not a valid name";
}

const char *names_problem_text(enum name_problem p)
{
	return names_problem_text_for(p, NAMES_LABEL_MAX);
}

/*
 * Kyverno wildcards. The pattern becomes an anchored UTF-8 regex: `*` ->
 * `.*`, `?` -> `.` (one code point, like a Go rune), everything else
 * literal. A hand matcher with Go's rune semantics covers what PCRE2
 * cannot answer (see wildcard_compile and wildcard_match).
 */
struct wildcard {
	pcre2_code *code;              /* NULL: not compiled (yet), or the hand matcher */
	pcre2_match_data *match_data;
	char *pattern;                 /* for the hand matcher */
	size_t len;
	bool is_literal;               /* no '*' or '?': a comparison, no regex */
	bool compile_tried;
	unsigned uses;                 /* matches so far; JIT after JIT_AFTER_MATCHES */
};

/*
 * Go's utf8.DecodeRune: a well-formed sequence gives its code point; any
 * other byte gives U+FFFD and width 1. go-wildcard converts both strings to
 * []rune this way, so "\xff" in a pattern matches "\xfe" in a name.
 */
static uint32_t decode_rune(const unsigned char *s, size_t len, size_t *width)
{
	uint32_t c = s[0];
	size_t n;
	uint32_t min;

	*width = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0xfffd;
	}
	if (len < n)
		return 0xfffd;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0xfffd;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0xfffd;
	*width = n;
	return c;
}

static bool utf8_valid(const char *s, size_t len)
{
	size_t i = 0, width;

	while (i < len) {
		uint32_t c = decode_rune((const unsigned char *)s + i, len - i, &width);

		/* A real U+FFFD is three bytes wide; a decoding error is one. */
		if (c == 0xfffd && width == 1)
			return false;
		i += width;
	}
	return true;
}

/*
 * The classic one-star-backtrack matcher: linear memory, O(pattern * name)
 * time, and the same answers as go-wildcard's recursive deepMatchRune
 * (a later '*' subsumes every choice made for an earlier one).
 */
static bool hand_match(const char *pattern, size_t plen, const char *name, size_t nlen)
{
	const unsigned char *p = (const unsigned char *)pattern;
	const unsigned char *n = (const unsigned char *)name;
	size_t pi = 0, ni = 0, star_p = SIZE_MAX, star_n = 0, pw, nw;

	while (ni < nlen) {
		if (pi < plen && p[pi] == '*') {
			star_p = pi++;
			star_n = ni;
			continue;
		}
		if (pi < plen && p[pi] == '?') {
			decode_rune(n + ni, nlen - ni, &nw);
			pi++;
			ni += nw;
			continue;
		}
		if (pi < plen &&
		    decode_rune(p + pi, plen - pi, &pw) == decode_rune(n + ni, nlen - ni, &nw)) {
			pi += pw;
			ni += nw;
			continue;
		}
		if (star_p == SIZE_MAX)
			return false;
		/* Let the last '*' swallow one more rune and retry from there. */
		pi = star_p + 1;
		decode_rune(n + star_n, nlen - star_n, &nw);
		star_n += nw;
		ni = star_n;
	}
	while (pi < plen && p[pi] == '*')
		pi++;
	return pi == plen;
}

static void append(char *buf, size_t *at, const char *text, size_t len)
{
	memcpy(buf + *at, text, len);
	*at += len;
}

/* The regex for a wildcard; the caller frees it. Each input byte becomes at
 * most four bytes (\xhh), so 4 * len + 1 bounds the size. */
static char *wildcard_regex(const char *pattern, size_t len, size_t *out_len)
{
	static const char hex[] = "0123456789abcdef";
	char *re = xmalloc(len > (SIZE_MAX - 1) / 4 ? SIZE_MAX : 4 * len + 1);
	size_t at = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pattern[i];

		if (c == '*') {
			/* `**` means what `*` means; one `.*` per run keeps PCRE2
			 * from trying the same split many ways. */
			if (i == 0 || pattern[i - 1] != '*')
				append(re, &at, ".*", 2);
		} else if (c == '?') {
			re[at++] = '.';
		} else if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9')) {
			/* Letters and digits are literal; UTF-8 continuation
			 * bytes must stay together, unescaped. */
			re[at++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			/* \xhh takes at most two digits, so a following digit
			 * cannot join it (unlike octal \0). */
			char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 0xf] };
			append(re, &at, esc, sizeof esc);
		} else {
			/* A backslash before punctuation always means the
			 * character itself; \Q..\E would break on "\E". */
			re[at++] = '\\';
			re[at++] = (char)c;
		}
	}
	re[at] = '\0';
	*out_len = at;
	return re;
}

struct wildcard *wildcard_compile(const char *pattern, size_t len)
{
	struct wildcard *w = xcalloc(1, sizeof *w);

	w->pattern = xstrndup(pattern, len);
	w->len = len;
	/* Most exclude entries are plain names: the hand matcher compares them
	 * rune by rune (as go-wildcard does), with no regex to build. */
	w->is_literal = !memchr(pattern, '*', len) && !memchr(pattern, '?', len);
	return w;
}

/*
 * The regex, compiled on the first match that needs it: a run that checks
 * one name against a pattern should not pay for more. Every byte string is
 * a valid Kyverno wildcard, but not every one makes a PCRE2 pattern: invalid
 * UTF-8 is refused under PCRE2_UTF, and a huge pattern can exceed PCRE2's
 * compiled-size limit. Then code stays NULL and hand_match answers; a
 * literal comparison alone would be wrong for a pattern that has '*' or '?'
 * besides the bad bytes.
 */
static void wildcard_compile_regex(struct wildcard *w)
{
	size_t re_len;
	int error;
	PCRE2_SIZE offset;
	char *re = wildcard_regex(w->pattern, w->len, &re_len);

	w->compile_tried = true;
	w->code = pcre2_compile((PCRE2_SPTR)re, re_len,
				PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOTALL |
					PCRE2_ANCHORED | PCRE2_ENDANCHORED,
				&error, &offset, NULL);
	free(re);
	if (w->code) {
		w->match_data = pcre2_match_data_create_from_pattern(w->code, NULL);
		if (!w->match_data) {
			pcre2_code_free(w->code);
			w->code = NULL;
		}
	}
}

bool wildcard_match(struct wildcard *w, const char *name, size_t len)
{
	int rc;

	if (w->is_literal)
		return hand_match(w->pattern, w->len, name, len);
	if (!w->compile_tried)
		wildcard_compile_regex(w);
	/* An invalid name would not match under PCRE2_MATCH_INVALID_UTF, but
	 * go-wildcard reads each bad byte as U+FFFD; the hand matcher does too. */
	if (!w->code || !utf8_valid(name, len))
		return hand_match(w->pattern, w->len, name, len);
	/* JIT pays only over many names (namespaces --from a large cluster,
	 * preview of many Pods); the interpreter gives the same answers. */
	if (++w->uses == JIT_AFTER_MATCHES)
		(void)pcre2_jit_compile(w->code, PCRE2_JIT_COMPLETE);
	rc = pcre2_match(w->code, (PCRE2_SPTR)name, len, 0, 0, w->match_data, NULL);
	if (rc >= 0)
		return true;
	if (rc == PCRE2_ERROR_NOMATCH)
		return false;
	/* Match or JIT stack limit on a pathological pattern: the hand matcher
	 * has no such limits. */
	return hand_match(w->pattern, w->len, name, len);
}

void wildcard_free(struct wildcard *w)
{
	if (!w)
		return;
	pcre2_match_data_free(w->match_data);
	pcre2_code_free(w->code);
	free(w->pattern);
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

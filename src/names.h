#ifndef DKF_NAMES_H
#define DKF_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Kubernetes name grammars, checked with PCRE2, and Kyverno wildcard
 * patterns, matched by hand in linear time. The grammars' regular
 * expressions are compiled once, on first use, and released by
 * names_release() (optional; for leak checkers).
 */

/* The patterns themselves, shared with the JSON Schema in schemas/ so the
 * two cannot drift. ECMA-262 and PCRE2 read them alike. */
extern const char NAMES_DNS1123_SUBDOMAIN_PATTERN[];
extern const char NAMES_DNS1123_LABEL_PATTERN[];
extern const char NAMES_WILDCARD_PATTERN[];
enum {
	NAMES_SUBDOMAIN_MAX = 253,
	NAMES_LABEL_MAX = 63,
};

enum name_problem {
	NAME_OK,
	NAME_EMPTY,
	NAME_TOO_LONG,
	NAME_UPPERCASE,    /* has A-Z (Kubernetes names are lower case) */
	NAME_UNDERSCORE,   /* has '_' */
	NAME_SPACE,        /* has white space */
	NAME_DOT_IN_LABEL, /* '.' where a label (namespace) is expected */
	NAME_BAD_EDGE,     /* starts or ends with '-' or '.' (or label/part edge) */
	NAME_REGEX_SYNTAX, /* wildcard pattern only: [ ] ( ) + ^ $ | \ { } — regex, not Kyverno */
	NAME_WILDCARD_IN_NAME, /* '*' or '?' where a plain name is expected */
	NAME_BAD_CHARACTER,    /* anything else outside [a-z0-9.-] */
};

/* Secret names: DNS-1123 subdomain, at most 253 characters. */
enum name_problem names_check_subdomain(const char *s, size_t len);
/* Namespace names: DNS-1123 label, at most 63 characters. */
enum name_problem names_check_label(const char *s, size_t len);
/* excludeNamespaces entries: a namespace name in which `*` and `?` may stand
 * for characters; a pattern that can never match any namespace is a problem. */
enum name_problem names_check_wildcard(const char *s, size_t len);
/* A short lower-case phrase for a problem, e.g. "has upper-case letters"; a
 * static string, never NULL. max is the limit that was exceeded
 * (NAMES_LABEL_MAX or NAMES_SUBDOMAIN_MAX), named in the NAME_TOO_LONG
 * phrase: "is longer than 63 characters". */
const char *names_problem_text_for(enum name_problem p, size_t max);

/*
 * Kyverno wildcard matching (pkg/utils/wildcard -> go-wildcard v1.0.3):
 * `*` any run of characters (also none), `?` exactly one character, every
 * other character literal; whole name; case-sensitive; per code point.
 */
struct wildcard; /* opaque compiled pattern */
/* Compile; never fails (every text is a valid wildcard; invalid UTF-8
 * bytes are U+FFFD, as in Go). Caller frees with wildcard_free. */
struct wildcard *wildcard_compile(const char *pattern, size_t len);
/* Time linear in the name (times the 64-rune words of the pattern's longest
 * part between two '*'s: one for every valid pattern). w keeps scratch
 * space for the match, hence not const. */
bool wildcard_match(struct wildcard *w, const char *name, size_t len);
void wildcard_free(struct wildcard *w);
bool names_has_wildcard(const char *s, size_t len);
/* True when the pattern matches every non-empty name (`*`, `?*`, `**`). */
bool names_wildcard_matches_everything(const char *s, size_t len);

void names_release(void);

#endif

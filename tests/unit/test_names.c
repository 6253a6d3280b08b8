#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "names.h"

/* Literal rows keep their length, so embedded NUL bytes are tested too. */
#define TEXT(s) s, sizeof(s) - 1

struct check_row {
	const char *text;
	size_t len;
	enum name_problem want;
};

typedef enum name_problem (*check_fn)(const char *s, size_t len);

static void run_checks(const char *what, check_fn check, const struct check_row *rows, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		enum name_problem got = check(rows[i].text, rows[i].len);

		if (got != rows[i].want)
			print_error("%s row %zu '%s': got %d, want %d\n", what, i, rows[i].text,
				    (int)got, (int)rows[i].want);
		assert_int_equal(got, rows[i].want);
	}
}

static const struct check_row label_rows[] = {
	{ TEXT("kyverno"), NAME_OK },
	{ TEXT("a"), NAME_OK },
	{ TEXT("0"), NAME_OK },
	{ TEXT("123"), NAME_OK },
	{ TEXT("kube-system"), NAME_OK },
	{ TEXT("a--b"), NAME_OK },
	{ TEXT(""), NAME_EMPTY },
	{ TEXT("Kyverno"), NAME_UPPERCASE },
	{ TEXT("KYVERNO"), NAME_UPPERCASE },
	{ TEXT("my_ns"), NAME_UNDERSCORE },
	{ TEXT("my ns"), NAME_SPACE },
	{ TEXT(" kyverno"), NAME_SPACE },
	{ TEXT("\tkyverno"), NAME_SPACE },
	/* PCRE2's '$' would accept a final newline without DOLLAR_ENDONLY. */
	{ TEXT("kyverno\n"), NAME_SPACE },
	{ TEXT("kyverno\r"), NAME_SPACE },
	{ TEXT("team-*"), NAME_WILDCARD_IN_NAME },
	{ TEXT("ns?"), NAME_WILDCARD_IN_NAME },
	{ TEXT("*"), NAME_WILDCARD_IN_NAME },
	{ TEXT("a.b"), NAME_DOT_IN_LABEL },
	{ TEXT("kyverno."), NAME_DOT_IN_LABEL },
	{ TEXT("-ns"), NAME_BAD_EDGE },
	{ TEXT("ns-"), NAME_BAD_EDGE },
	{ TEXT("-"), NAME_BAD_EDGE },
	{ TEXT("--"), NAME_BAD_EDGE },
	/* Regex syntax is only named for patterns; in a name it is a character. */
	{ TEXT("ns(1)"), NAME_BAD_CHARACTER },
	{ TEXT("team/a"), NAME_BAD_CHARACTER },
	{ TEXT("caf\xc3\xa9"), NAME_BAD_CHARACTER },
	{ TEXT("a\0b"), NAME_BAD_CHARACTER },
	{ TEXT("ns\xff"), NAME_BAD_CHARACTER },
	/* Priority: space, upper case, '_', wildcard, '.', other, edge. */
	{ TEXT("My ns"), NAME_SPACE },
	{ TEXT("My_ns"), NAME_UPPERCASE },
	{ TEXT("my_ns*"), NAME_UNDERSCORE },
	{ TEXT("a.b*"), NAME_WILDCARD_IN_NAME },
	{ TEXT("a.b/c"), NAME_DOT_IN_LABEL },
	{ TEXT("-a/"), NAME_BAD_CHARACTER },
	{ TEXT("-A"), NAME_UPPERCASE },
};

static const struct check_row subdomain_rows[] = {
	{ TEXT("regcred"), NAME_OK },
	{ TEXT("my.registry-creds"), NAME_OK },
	{ TEXT("a.b.c"), NAME_OK },
	{ TEXT("0.0"), NAME_OK },
	{ TEXT("x"), NAME_OK },
	{ TEXT(""), NAME_EMPTY },
	{ TEXT(".a"), NAME_BAD_EDGE },
	{ TEXT("a."), NAME_BAD_EDGE },
	{ TEXT("."), NAME_BAD_EDGE },
	{ TEXT("a..b"), NAME_BAD_EDGE },
	{ TEXT("a.-b"), NAME_BAD_EDGE },
	{ TEXT("a-.b"), NAME_BAD_EDGE },
	{ TEXT("-regcred"), NAME_BAD_EDGE },
	{ TEXT("regcred-"), NAME_BAD_EDGE },
	{ TEXT("RegCred"), NAME_UPPERCASE },
	{ TEXT("reg_cred"), NAME_UNDERSCORE },
	{ TEXT("reg cred"), NAME_SPACE },
	{ TEXT("regcred\n"), NAME_SPACE },
	{ TEXT("regcred-*"), NAME_WILDCARD_IN_NAME },
	{ TEXT("reg?"), NAME_WILDCARD_IN_NAME },
	{ TEXT("reg/cred"), NAME_BAD_CHARACTER },
	{ TEXT("reg:cred"), NAME_BAD_CHARACTER },
	{ TEXT("regcred$"), NAME_BAD_CHARACTER },
	{ TEXT("reg\0cred"), NAME_BAD_CHARACTER },
};

static const struct check_row wildcard_rows[] = {
	{ TEXT("*"), NAME_OK },
	{ TEXT("?"), NAME_OK },
	{ TEXT("**"), NAME_OK },
	{ TEXT("?*"), NAME_OK },
	{ TEXT("*?"), NAME_OK },
	{ TEXT("team-*"), NAME_OK },
	{ TEXT("*-sandbox"), NAME_OK },
	{ TEXT("ns-?"), NAME_OK },
	{ TEXT("kube-*-system"), NAME_OK },
	{ TEXT("kube-system"), NAME_OK },
	{ TEXT("*-*"), NAME_OK },
	{ TEXT(""), NAME_EMPTY },
	{ TEXT("-x"), NAME_BAD_EDGE },
	{ TEXT("x-"), NAME_BAD_EDGE },
	/* No namespace ends or starts with '-', so these match nothing. */
	{ TEXT("*-"), NAME_BAD_EDGE },
	{ TEXT("-*"), NAME_BAD_EDGE },
	{ TEXT("-"), NAME_BAD_EDGE },
	{ TEXT("^kube-"), NAME_REGEX_SYNTAX },
	{ TEXT("team-[0-9]"), NAME_REGEX_SYNTAX },
	{ TEXT("(a|b)"), NAME_REGEX_SYNTAX },
	{ TEXT("a+"), NAME_REGEX_SYNTAX },
	{ TEXT("ns$"), NAME_REGEX_SYNTAX },
	{ TEXT("a\\*"), NAME_REGEX_SYNTAX },
	{ TEXT("a{2}"), NAME_REGEX_SYNTAX },
	{ TEXT("Team-*"), NAME_UPPERCASE },
	{ TEXT("team_*"), NAME_UNDERSCORE },
	{ TEXT("team *"), NAME_SPACE },
	{ TEXT("team-*\n"), NAME_SPACE },
	{ TEXT("a.*"), NAME_DOT_IN_LABEL },
	{ TEXT("team-.*"), NAME_DOT_IN_LABEL },
	{ TEXT("team-\xc3\xa9*"), NAME_BAD_CHARACTER },
	{ TEXT("team/*"), NAME_BAD_CHARACTER },
	{ TEXT("team-#"), NAME_BAD_CHARACTER },
	{ TEXT("*\0"), NAME_BAD_CHARACTER },
	/* Priority: the plainer explanation wins over regex syntax. */
	{ TEXT("^Team"), NAME_UPPERCASE },
	{ TEXT("^team_"), NAME_UNDERSCORE },
	{ TEXT("^team .*"), NAME_SPACE },
	{ TEXT("team-.+"), NAME_REGEX_SYNTAX },
	{ TEXT("-a.b"), NAME_DOT_IN_LABEL },
};

static void test_check_label(void **state)
{
	(void)state;
	run_checks("label", names_check_label, label_rows,
		   sizeof label_rows / sizeof label_rows[0]);
}

static void test_check_subdomain(void **state)
{
	(void)state;
	run_checks("subdomain", names_check_subdomain, subdomain_rows,
		   sizeof subdomain_rows / sizeof subdomain_rows[0]);
}

static void test_check_wildcard(void **state)
{
	(void)state;
	run_checks("wildcard", names_check_wildcard, wildcard_rows,
		   sizeof wildcard_rows / sizeof wildcard_rows[0]);
}

static void test_label_length_boundary(void **state)
{
	char buf[300];

	(void)state;
	memset(buf, 'a', sizeof buf);
	assert_int_equal(names_check_label(buf, 63), NAME_OK);
	assert_int_equal(names_check_label(buf, 64), NAME_TOO_LONG);
	/* Length is decided before anything else the text might have. */
	buf[0] = 'A';
	assert_int_equal(names_check_label(buf, 63), NAME_UPPERCASE);
	assert_int_equal(names_check_label(buf, 64), NAME_TOO_LONG);
	buf[0] = '-';
	assert_int_equal(names_check_label(buf, 64), NAME_TOO_LONG);
}

static void test_subdomain_length_boundary(void **state)
{
	char buf[300];

	(void)state;
	memset(buf, 'a', sizeof buf);
	assert_int_equal(names_check_subdomain(buf, 253), NAME_OK);
	assert_int_equal(names_check_subdomain(buf, 254), NAME_TOO_LONG);
	/* Dotted, as Secrets are often named: "a.a.a...". */
	for (size_t i = 1; i < sizeof buf; i += 2)
		buf[i] = '.';
	assert_int_equal(names_check_subdomain(buf, 253), NAME_OK);
	assert_int_equal(names_check_subdomain(buf, 254), NAME_TOO_LONG);
	assert_int_equal(names_check_subdomain(buf, 252), NAME_BAD_EDGE);
	/* Kubernetes checks only the total for a subdomain, not each part. */
	memset(buf, 'b', sizeof buf);
	buf[100] = '.';
	assert_int_equal(names_check_subdomain(buf, 200), NAME_OK);
}

static void test_wildcard_length_boundary(void **state)
{
	char buf[300];

	(void)state;
	memset(buf, 'a', sizeof buf);
	assert_int_equal(names_check_wildcard(buf, 63), NAME_OK);
	assert_int_equal(names_check_wildcard(buf, 64), NAME_TOO_LONG);
	memset(buf, '?', sizeof buf);
	assert_int_equal(names_check_wildcard(buf, 63), NAME_OK);
	assert_int_equal(names_check_wildcard(buf, 64), NAME_TOO_LONG);
	/* '*' may match nothing, so only the other characters count. */
	memset(buf, '*', sizeof buf);
	memcpy(buf + 40, "abc", 3);
	assert_int_equal(names_check_wildcard(buf, 83), NAME_OK);
	memset(buf, '*', sizeof buf);
	memset(buf + 100, 'x', 63);
	assert_int_equal(names_check_wildcard(buf, 200), NAME_OK);
	buf[99] = 'x';
	assert_int_equal(names_check_wildcard(buf, 200), NAME_TOO_LONG);
}

static void test_problem_text(void **state)
{
	static const struct {
		enum name_problem p;
		const char *want;
	} rows[] = {
		{ NAME_EMPTY, "is empty" },
		{ NAME_TOO_LONG, "is longer than 63 characters" },
		{ NAME_UPPERCASE, "has upper-case letters" },
		{ NAME_UNDERSCORE, "has '_'" },
		{ NAME_SPACE, "has white space" },
		{ NAME_DOT_IN_LABEL, "has '.'" },
		{ NAME_BAD_EDGE, "must start and end with a letter or digit" },
		{ NAME_REGEX_SYNTAX,
		  "uses regular-expression syntax; Kyverno patterns only know '*' and '?'" },
		{ NAME_WILDCARD_IN_NAME, "has a wildcard" },
		{ NAME_BAD_CHARACTER, "has a character other than a-z, 0-9 and '-'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_string_equal(names_problem_text_for(rows[i].p, NAMES_LABEL_MAX),
				    rows[i].want);
		if (rows[i].p != NAME_TOO_LONG && rows[i].p != NAME_BAD_CHARACTER)
			assert_string_equal(names_problem_text_for(rows[i].p, NAMES_SUBDOMAIN_MAX),
					    rows[i].want);
	}
	assert_non_null(names_problem_text_for(NAME_OK, NAMES_LABEL_MAX));
	assert_string_equal(names_problem_text_for(NAME_BAD_CHARACTER, NAMES_SUBDOMAIN_MAX),
			    "has a character other than a-z, 0-9, '-' and '.'");
	assert_string_equal(names_problem_text_for(NAME_TOO_LONG, NAMES_SUBDOMAIN_MAX),
			    "is longer than 253 characters");
	assert_string_equal(names_problem_text_for(NAME_TOO_LONG, NAMES_LABEL_MAX),
			    "is longer than 63 characters");
}

struct match_row {
	const char *pattern;
	size_t plen;
	const char *name;
	size_t nlen;
	bool want;
};

#define MATCH(p, n, m)                                                                             \
	{                                                                                          \
		TEXT(p), TEXT(n), m                                                                \
	}

/* Our own vectors, worked out from go-wildcard v1.0.3's deepMatchRune. */
static const struct match_row match_rows[] = {
	/* Empty pattern and name. */
	MATCH("", "", true),
	MATCH("", "a", false),
	MATCH("a", "", false),
	/* '*' alone and in runs. */
	MATCH("*", "", true),
	MATCH("*", "kube-system", true),
	MATCH("*", "caf\xc3\xa9", true),
	MATCH("*", "a\nb", true),
	MATCH("**", "", true),
	MATCH("**", "abc", true),
	MATCH("***x", "x", true),
	/* '?' is exactly one code point, at either end. */
	MATCH("?", "", false),
	MATCH("?", "a", true),
	MATCH("?", "ab", false),
	MATCH("?", "\xc3\xa9", true),
	MATCH("?", "\xf0\x9f\x98\x80", true),
	MATCH("??", "\xc3\xa9", false),
	MATCH("?s", "ns", true),
	MATCH("?s", "s", false),
	MATCH("ns?", "ns1", true),
	MATCH("ns?", "ns", false),
	MATCH("ns?", "ns12", false),
	MATCH("?x", "\xc3\xa9x", true),
	MATCH("x?", "x\xc3\xa9", true),
	MATCH("?a?", "bac", true),
	MATCH("?a?", "ba", false),
	/* '?' and '*' together. */
	MATCH("?*", "", false),
	MATCH("?*", "a", true),
	MATCH("?*", "abc", true),
	MATCH("*?", "", false),
	MATCH("*?", "ab", true),
	MATCH("team-?*", "team-", false),
	MATCH("team-?*", "team-a", true),
	/* Several '*'. */
	MATCH("a*b*c", "abc", true),
	MATCH("a*b*c", "aXbYc", true),
	MATCH("a*b*c", "acb", false),
	MATCH("*-*-*", "a-b-c", true),
	MATCH("*-*-*", "a-b", false),
	MATCH("*a*a", "aa", true),
	MATCH("*a*a", "a", false),
	MATCH("*system", "kube-system", true),
	MATCH("kube-*", "kube", false),
	MATCH("kube-*", "kube-", true),
	/* Case-sensitive, whole name. */
	MATCH("kube-*", "Kube-system", false),
	MATCH("KUBE", "kube", false),
	MATCH("kube", "kube-system", false),
	MATCH("system", "kube-system", false),
	/* Multibyte literals. */
	MATCH("caf\xc3\xa9", "caf\xc3\xa9", true),
	MATCH("caf\xc3\xa9", "cafe", false),
	MATCH("\xc3\xa9*", "\xc3\xa9t\xc3\xa9", true),
	MATCH("\xc3\xa9*", "e", false),
	/* Regex and glob syntax is literal. */
	MATCH("a.c", "abc", false),
	MATCH("a.c", "a.c", true),
	MATCH("[ab]", "a", false),
	MATCH("[ab]", "[ab]", true),
	MATCH("a+", "aa", false),
	MATCH("a+", "a+", true),
	MATCH("^a$", "a", false),
	MATCH("^a$", "^a$", true),
	MATCH("(a|b)", "a", false),
	MATCH("(a|b)", "(a|b)", true),
	MATCH("a\\*", "a*", false),
	MATCH("a\\*", "a\\xyz", true),
	MATCH("\\Q*\\E", "\\Qx\\E", true),
	MATCH("a\\E?", "a\\Ez", true),
	MATCH("a{2}", "aa", false),
	/* Line ends and NUL are ordinary characters. */
	MATCH("a?b", "a\nb", true),
	MATCH("a", "a\n", false),
	MATCH("a?c", "a\0c", true),
	MATCH("a\0*", "a\0bc", true),
	MATCH("\t*", "\tx", true),
	/* Invalid UTF-8: go-wildcard sees each bad byte as U+FFFD. */
	MATCH("?", "\xff", true),
	MATCH("??", "\xc3", false),
	MATCH("*", "\xff\xfe", true),
	MATCH("\xff", "\xfe", true),
	MATCH("\xff", "\xef\xbf\xbd", true),
	MATCH("a\xff*", "a\xff-tail", true),
	MATCH("a\xff*", "b\xff", false),
	MATCH("ns-*", "ns-\xff", true),
	MATCH("ns-?", "ns-\xc3", true),
	MATCH("ns-?", "ns-\xc3\xa9\xff", false),
	/* Segments between stars: leftmost placement, overlaps, '?' inside. */
	MATCH("*ab*ba*", "aba", false),
	MATCH("*ab*ba*", "abba", true),
	MATCH("*aab*", "aaab", true),
	MATCH("*a?a*", "xaxay", true),
	MATCH("*a?a*", "xaax", false),
	MATCH("a*?b?*c", "aXbc", false),
	MATCH("a*?b?*c", "aXbYc", true),
	MATCH("a*?b?*c", "aXbYZc", true),
	MATCH("*abc*abc*", "abcabc", true),
	MATCH("*abc*abc*", "abcab", false),
	MATCH("ab*ab", "ab", false),
	MATCH("ab*ab", "abab", true),
	MATCH("ab*ba", "aba", false),
	MATCH("*\xc3\xa9?\xc3\xa9*", "x\xc3\xa9\xff\xc3\xa9", true),
	MATCH("*\xff\xff*",
	      "a\xfe"
	      "b\xc3",
	      false),
	MATCH("*\xff\xff*", "a\xfe\xc3", true),
};

static void test_wildcard_match(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof match_rows / sizeof match_rows[0]; i++) {
		const struct match_row *r = &match_rows[i];
		struct wildcard *w = wildcard_compile(r->pattern, r->plen);
		bool got = wildcard_match(w, r->name, r->nlen);

		if (got != r->want)
			print_error("match row %zu: pattern '%s' name '%s': got %d\n", i,
				    r->pattern, r->name, (int)got);
		assert_int_equal(got, r->want);
		/* A compiled pattern is reusable (it keeps scratch space). */
		for (int k = 0; k < 3; k++)
			assert_int_equal(wildcard_match(w, r->name, r->nlen), r->want);
		wildcard_free(w);
	}
	wildcard_free(NULL);
}

/* Go's utf8.DecodeRune, written again here so the matcher is checked
 * against an independent reading of the same rule. */
static uint32_t ref_rune(const unsigned char *s, size_t len, size_t *width)
{
	static const struct {
		unsigned char lo, hi;
		size_t n;
		uint32_t min;
	} lead[] = { { 0xc2, 0xdf, 2, 0x80 },
		     { 0xe0, 0xef, 3, 0x800 },
		     { 0xf0, 0xf4, 4, 0x10000 } };

	*width = 1;
	if (s[0] < 0x80)
		return s[0];
	for (size_t k = 0; k < 3; k++) {
		uint32_t c;

		if (s[0] < lead[k].lo || s[0] > lead[k].hi)
			continue;
		if (len < lead[k].n)
			return 0xfffd;
		c = s[0] & (0x7f >> lead[k].n);
		for (size_t i = 1; i < lead[k].n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0xfffd;
			c = c << 6 | (s[i] & 0x3f);
		}
		if (c < lead[k].min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0xfffd;
		*width = lead[k].n;
		return c;
	}
	return 0xfffd;
}

enum { REF_MAX = 512 };

static size_t ref_runes(const char *s, size_t len, uint32_t *out)
{
	size_t n = 0, width;

	for (size_t i = 0; i < len; i += width)
		out[n++] = ref_rune((const unsigned char *)s + i, len - i, &width);
	return n;
}

/* The textbook table: row j says which pattern prefixes match name[0, j).
 * Quadratic, obviously right, and nothing like the matcher under test. */
static bool ref_match(const char *pattern, size_t plen, const char *name, size_t nlen)
{
	static uint32_t p[REF_MAX], n[REF_MAX];
	static bool row[REF_MAX + 1], next[REF_MAX + 1];
	size_t pn = ref_runes(pattern, plen, p), nn = ref_runes(name, nlen, n);

	row[0] = true;
	for (size_t i = 1; i <= pn; i++)
		row[i] = row[i - 1] && p[i - 1] == '*';
	for (size_t j = 1; j <= nn; j++) {
		next[0] = false;
		for (size_t i = 1; i <= pn; i++) {
			if (p[i - 1] == '*')
				next[i] = next[i - 1] || row[i];
			else
				next[i] = row[i - 1] && (p[i - 1] == '?' || p[i - 1] == n[j - 1]);
		}
		memcpy(row, next, sizeof(row));
	}
	return row[pn];
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

/* xorshift64: fixed seed, so a failure is reproducible */
static unsigned rng(unsigned below)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % below);
}

/* Pieces of names and patterns: ASCII, two- to four-byte runes, a real
 * U+FFFD, a lone lead byte, a bad byte and an encoded surrogate (invalid). */
static const char *const atoms[] = {
	"a",
	"b",
	"a",
	"-",
	"\xc3\xa9",
	"\xe2\x82\xac",
	"\xf0\x9f\x98\x80",
	"\xef\xbf\xbd",
	"\xc3",
	"\xff",
	"\xed\xa0\x80",
};

static size_t random_text(char *buf, size_t max_atoms, unsigned alphabet, unsigned wild_in_16)
{
	size_t n = rng((unsigned)max_atoms + 1), len = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned r = rng(16);
		const char *a;

		if (r < wild_in_16) {
			buf[len++] = r % 2 ? '*' : '?';
			continue;
		}
		a = atoms[rng(alphabet)];
		memcpy(buf + len, a, strlen(a));
		len += strlen(a);
	}
	return len;
}

static void check_against_reference(const char *p, size_t plen, const char *n, size_t nlen)
{
	struct wildcard *w = wildcard_compile(p, plen);
	bool want = ref_match(p, plen, n, nlen), got = wildcard_match(w, n, nlen);

	if (got != want)
		print_error("pattern '%.*s' name '%.*s': got %d, want %d\n", (int)plen, p,
			    (int)nlen, n, (int)got, (int)want);
	assert_int_equal(got, want);
	wildcard_free(w);
}

/* Random short patterns and names, over a small alphabet so that matches
 * are common, then over every atom. */
static void test_wildcard_match_random(void **state)
{
	static char p[REF_MAX], n[REF_MAX];

	(void)state;
	for (int i = 0; i < 20000; i++) {
		unsigned alphabet = i % 2 ? 2 : sizeof(atoms) / sizeof(atoms[0]);
		size_t plen = random_text(p, 10, alphabet, 6);
		size_t nlen = random_text(n, 14, alphabet, 0);

		check_against_reference(p, plen, n, nlen);
	}
}

/* Segments longer than one 64-bit word of state, with runes frequent
 * enough for a mask and rare enough for a position list, taken from the
 * name so that they often match. */
static void test_wildcard_match_long_segments(void **state)
{
	static char p[REF_MAX], n[REF_MAX];

	(void)state;
	for (int i = 0; i < 400; i++) {
		size_t nlen = 0, plen = 0, at;

		while (nlen < 300) {
			unsigned r = rng(12);

			n[nlen++] = r < 8 ? 'a' : r < 10 ? 'b' : (char)('w' + rng(4));
		}
		at = rng(20);
		p[plen++] = '*';
		while (at < nlen && plen < 400) {
			size_t take = 60 + rng(100);

			for (size_t k = 0; k < take && at + k < nlen; k++)
				p[plen++] = rng(30) == 0 ? '?' : n[at + k];
			at += take + rng(10);
			p[plen++] = '*';
		}
		check_against_reference(p, plen, n, nlen);
		/* one letter changed: often no match any more */
		n[rng((unsigned)nlen)] = 'c';
		check_against_reference(p, plen, n, nlen);
	}
}

/* A middle segment of 130 runes: three words of state. */
static void test_wildcard_match_multiword(void **state)
{
	static char p[300], n[600];
	struct wildcard *w;

	(void)state;
	p[0] = '*';
	memset(p + 1, 'a', 129);
	p[130] = 'b';
	p[131] = '*';
	memset(n, 'a', 500);
	w = wildcard_compile(p, 132);
	assert_false(wildcard_match(w, n, 500));
	n[499] = 'b';
	assert_true(wildcard_match(w, n, 500));
	n[499] = 'a';
	n[128] = 'b'; /* only 128 'a's before it */
	assert_false(wildcard_match(w, n, 500));
	n[128] = 'a';
	n[129] = 'b';
	assert_true(wildcard_match(w, n, 500));
	wildcard_free(w);
}

/* Nested stars make a backtracking matcher try every placement (PCRE2 gave
 * up at its match limit); the answer must still be right. */
static void test_wildcard_match_pathological(void **state)
{
	enum { N = 20000 };
	static char name[N + 2];
	char pattern[64];
	size_t plen = 0;
	struct wildcard *w;

	(void)state;
	for (int i = 0; i < 20; i++) {
		pattern[plen++] = '*';
		pattern[plen++] = 'a';
	}
	memcpy(pattern + plen, "*bc", 3);
	plen += 3;
	memcpy(name, "bc", 2);
	memset(name + 2, 'a', N);
	w = wildcard_compile(pattern, plen);
	assert_false(wildcard_match(w, name, N + 2));
	memcpy(name + N, "bc", 2);
	assert_true(wildcard_match(w, name, N + 2));
	wildcard_free(w);
}

/* A pattern far beyond PCRE2's compiled-size limit still matches right. */
static void test_wildcard_match_huge(void **state)
{
	enum { N = 200000 };
	static char text[N];
	struct wildcard *w;

	(void)state;
	memset(text, '-', N);
	text[N / 2] = '?';
	w = wildcard_compile(text, N);
	assert_true(wildcard_match(w, text, N));
	text[N / 2] = 'x';
	assert_true(wildcard_match(w, text, N));
	assert_false(wildcard_match(w, text, N - 1));
	wildcard_free(w);
}

static void test_has_wildcard(void **state)
{
	(void)state;
	assert_true(names_has_wildcard(TEXT("*")));
	assert_true(names_has_wildcard(TEXT("ns-?")));
	assert_true(names_has_wildcard(TEXT("a\0*")));
	assert_false(names_has_wildcard(TEXT("kube-system")));
	assert_false(names_has_wildcard(TEXT("")));
	assert_false(names_has_wildcard(TEXT("a.b[c]")));
}

static void test_matches_everything(void **state)
{
	static const struct {
		const char *text;
		size_t len;
		bool want;
	} rows[] = {
		{ TEXT("*"), true },    { TEXT("**"), true },  { TEXT("?*"), true },
		{ TEXT("*?"), true },   { TEXT("*?*"), true }, { TEXT("***?"), true },
		{ TEXT("?"), false },   { TEXT("??"), false }, { TEXT("??*"), false },
		{ TEXT("?*?"), false }, { TEXT(""), false },   { TEXT("*a"), false },
		{ TEXT("a*"), false },  { TEXT("* "), false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (names_wildcard_matches_everything(rows[i].text, rows[i].len) != rows[i].want)
			print_error("matches-everything row %zu '%s'\n", i, rows[i].text);
		assert_int_equal(names_wildcard_matches_everything(rows[i].text, rows[i].len),
				 rows[i].want);
	}
}

/* The claim behind matches_everything, checked against the matcher. */
static void test_matches_everything_agrees(void **state)
{
	static const char *const patterns[] = { "*", "**", "?*", "*?", "?", "??*", "*?*" };
	static const char *const names[] = { "a", "ab", "kube-system", "x" };

	(void)state;
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		size_t plen = strlen(patterns[i]);
		struct wildcard *w = wildcard_compile(patterns[i], plen);
		bool all = true;

		for (size_t j = 0; j < sizeof names / sizeof names[0]; j++)
			all = all && wildcard_match(w, names[j], strlen(names[j]));
		assert_int_equal(names_wildcard_matches_everything(patterns[i], plen), all);
		wildcard_free(w);
	}
}

static void test_release_and_reuse(void **state)
{
	(void)state;
	assert_int_equal(names_check_label(TEXT("kyverno")), NAME_OK);
	names_release();
	names_release();
	assert_int_equal(names_check_label(TEXT("kyverno")), NAME_OK);
	assert_int_equal(names_check_subdomain(TEXT("a..b")), NAME_BAD_EDGE);
	assert_int_equal(names_check_wildcard(TEXT("team-*")), NAME_OK);
	names_release();
	assert_int_equal(names_check_wildcard(TEXT("x-")), NAME_BAD_EDGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_label),
		cmocka_unit_test(test_check_subdomain),
		cmocka_unit_test(test_check_wildcard),
		cmocka_unit_test(test_label_length_boundary),
		cmocka_unit_test(test_subdomain_length_boundary),
		cmocka_unit_test(test_wildcard_length_boundary),
		cmocka_unit_test(test_problem_text),
		cmocka_unit_test(test_wildcard_match),
		cmocka_unit_test(test_wildcard_match_random),
		cmocka_unit_test(test_wildcard_match_long_segments),
		cmocka_unit_test(test_wildcard_match_multiword),
		cmocka_unit_test(test_wildcard_match_pathological),
		cmocka_unit_test(test_wildcard_match_huge),
		cmocka_unit_test(test_has_wildcard),
		cmocka_unit_test(test_matches_everything),
		cmocka_unit_test(test_matches_everything_agrees),
		cmocka_unit_test(test_release_and_reuse),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	/* Leave nothing for valgrind's leak check. */
	names_release();
	return failed;
}

#include "invariants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void inv_fail(const char *what, const char *why)
{
	fprintf(stderr, "fuzz invariant: %s: %s\n", what, why);
	abort();
}

/* The code point of the UTF-8 sequence at p (Unicode's table 3-7: no
 * overlong form, no surrogate, nothing past U+10FFFF); its length, 0 when
 * p does not start one. */
static size_t utf8_next(const unsigned char *p, size_t left, unsigned *code)
{
	if (p[0] < 0x80) {
		*code = p[0];
		return 1;
	}
	size_t n;
	unsigned c, min;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1fu, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0fu, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07u, min = 0x10000;
	else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*code = c;
	return n;
}

/* What strbuf_add_display promises never to write raw. */
static bool is_hidden(unsigned c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x200e || c == 0x200f ||
	       c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* Bytes of the SGR sequence at p ("\033[1;31m"), or 0. */
static size_t sgr_length(const char *p, size_t left)
{
	if (left < 3 || p[0] != '\033' || p[1] != '[')
		return 0;
	size_t i = 2;
	while (i < left && ((p[i] >= '0' && p[i] <= '9') || p[i] == ';'))
		i++;
	return i < left && p[i] == 'm' ? i + 1 : 0;
}

/* inv_text; with is_workflow, lines may start with "::" (inv_github's own check) */
static void text(const char *what, const char *buf, size_t len, unsigned flags, bool is_workflow)
{
	const unsigned char *u = (const unsigned char *)buf;
	size_t line_start = 0;
	for (size_t i = 0; i < len;) {
		if (i == line_start && !is_workflow) {
			size_t b = i;
			while (b < len && (buf[b] == ' ' || buf[b] == '\t'))
				b++;
			if (len - b >= 2 && buf[b] == ':' && buf[b + 1] == ':')
				inv_fail(what,
					 "a line starts with '::' (a GitHub workflow command)");
		}
		unsigned c;
		size_t n = utf8_next(u + i, len - i, &c);
		if (n == 0)
			inv_fail(what, "not valid UTF-8");
		if (c == '\n') {
			line_start = i + 1;
		} else if (c == '\t' && (flags & INV_TAB)) {
			/* an excerpt's own tab */
		} else if (c == '\033' && (flags & INV_SGR) && sgr_length(buf + i, len - i)) {
			n = sgr_length(buf + i, len - i);
		} else if (is_hidden(c)) {
			char why[64];
			snprintf(why, sizeof(why), "a raw U+%04X at byte %zu", c, i);
			inv_fail(what, why);
		}
		i += n;
	}
}

void inv_text(const char *what, const char *buf, size_t len, unsigned flags)
{
	text(what, buf, len, flags, false);
}

/* ------------------------------------------------------------------ JSON */

struct json {
	const char *what;
	const char *p, *end;
	int depth;
};

static void json_blanks(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool json_take(struct json *j, char c)
{
	json_blanks(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

static void json_string(struct json *j)
{
	if (!json_take(j, '"'))
		inv_fail(j->what, "a string was expected");
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p++;
		if (c < 0x20)
			inv_fail(j->what, "a raw control character in a string");
		if (c != '\\')
			continue;
		if (j->p == j->end)
			break;
		c = (unsigned char)*j->p++;
		if (c == 'u') {
			for (int k = 0; k < 4; k++, j->p++)
				if (j->p == j->end || !strchr("0123456789abcdefABCDEF", *j->p) ||
				    !*j->p)
					inv_fail(j->what, "a bad \\u escape");
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			inv_fail(j->what, "a bad escape");
		}
	}
	if (j->p == j->end)
		inv_fail(j->what, "an unterminated string");
	j->p++;
}

static void json_digits(struct json *j)
{
	if (j->p == j->end || *j->p < '0' || *j->p > '9')
		inv_fail(j->what, "a digit was expected");
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
}

static void json_number(struct json *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else
		json_digits(j);
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		json_digits(j);
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		json_digits(j);
	}
}

static void json_value(struct json *j)
{
	/* the tool's documents nest a few levels; a bound keeps this recursion safe */
	if (++j->depth > 64)
		inv_fail(j->what, "nested deeper than 64");
	json_blanks(j);
	if (j->p == j->end)
		inv_fail(j->what, "a value was expected");
	size_t left = (size_t)(j->end - j->p);
	if (*j->p == '{') {
		j->p++;
		if (!json_take(j, '}')) {
			do {
				json_blanks(j);
				json_string(j);
				if (!json_take(j, ':'))
					inv_fail(j->what, "':' was expected");
				json_value(j);
			} while (json_take(j, ','));
			if (!json_take(j, '}'))
				inv_fail(j->what, "'}' was expected");
		}
	} else if (*j->p == '[') {
		j->p++;
		if (!json_take(j, ']')) {
			do
				json_value(j);
			while (json_take(j, ','));
			if (!json_take(j, ']'))
				inv_fail(j->what, "']' was expected");
		}
	} else if (*j->p == '"') {
		json_string(j);
	} else if (left >= 4 && memcmp(j->p, "true", 4) == 0) {
		j->p += 4;
	} else if (left >= 5 && memcmp(j->p, "false", 5) == 0) {
		j->p += 5;
	} else if (left >= 4 && memcmp(j->p, "null", 4) == 0) {
		j->p += 4;
	} else {
		json_number(j);
	}
	j->depth--;
}

void inv_json(const char *what, const char *buf, size_t len)
{
	/* RFC 8259 section 8.1: JSON exchanged between systems is UTF-8 */
	inv_text(what, buf, len, INV_TAB);
	struct json j = { what, buf, buf + len, 0 };
	json_value(&j);
	json_blanks(&j);
	if (j.p != j.end)
		inv_fail(what, "text after the JSON value");
}

/* ---------------------------------------------------------------- GitHub */

void inv_github(const char *what, const char *buf, size_t len, size_t count)
{
	static const char *const commands[] = { "::error ", "::warning ", "::notice " };
	size_t lines = 0;
	for (size_t at = 0; at < len; lines++) {
		const char *nl = memchr(buf + at, '\n', len - at);
		if (!nl)
			inv_fail(what, "the last line has no line break");
		size_t n = (size_t)(nl - (buf + at));
		bool known = false;
		for (size_t k = 0; k < 3; k++) {
			size_t c = strlen(commands[k]);
			known = known || (n >= c && memcmp(buf + at, commands[k], c) == 0);
		}
		if (!known)
			inv_fail(what, "a line that is not a workflow command the tool writes");
		at += n + 1;
	}
	if (lines != count)
		inv_fail(what, "not one line per diagnostic");
	/* what comes after the command must be inert text, too */
	text(what, buf, len, 0, true);
}

void inv_absent(const char *what, const char *buf, size_t len, const char *secret)
{
	size_t n = strlen(secret);
	for (size_t i = 0; n && i + n <= len; i++)
		if (buf[i] == secret[0] && memcmp(buf + i, secret, n) == 0)
			inv_fail(what, "a secret from outside the block is in the output");
}

/* ------------------------------------------------------------ wildcards */

/* The code points of s[0..len), Go's way: a byte that starts no valid
 * sequence is one (U+FFFD). Heap; *count set. */
static unsigned *runes(const char *s, size_t len, size_t *count)
{
	unsigned *out = malloc((len + 1) * sizeof(*out));
	if (!out)
		abort();
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		size_t k = utf8_next((const unsigned char *)s + i, len - i, &out[n]);
		if (k == 0)
			out[n] = 0xfffd, k = 1;
		n++;
		i += k;
	}
	*count = n;
	return out;
}

bool inv_wildcard_match(const char *pattern, const char *name, size_t len)
{
	size_t pn, nn;
	unsigned *p = runes(pattern, strlen(pattern), &pn);
	unsigned *n = runes(name, len, &nn);
	/* row[j]: pattern[0..i) matches name[0..j) */
	bool *row = calloc(nn + 1, sizeof(*row));
	if (!row)
		abort();
	row[0] = true;
	for (size_t i = 0; i < pn; i++) {
		if (p[i] == '*') {
			for (size_t j = 1; j <= nn; j++)
				row[j] = row[j] || row[j - 1];
			continue;
		}
		for (size_t j = nn; j > 0; j--)
			row[j] = row[j - 1] && (p[i] == '?' || p[i] == n[j - 1]);
		row[0] = false;
	}
	bool match = row[nn];
	free(row);
	free(n);
	free(p);
	return match;
}

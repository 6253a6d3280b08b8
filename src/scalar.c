/*
 * scalar.c - what a YAML scalar means to deployKF.
 *
 * deployKF decodes values files with gopkg.in/yaml.v3 (v3.0.1) into interface{}, so this file
 * follows yaml.v3's resolve.go: resolve(), the resolveTable first-character hints, the
 * resolveMap spellings, parseTimestamp() and the yamlStyleFloat pattern. Where resolve()
 * calls into Go's standard library (strconv.ParseInt/ParseUint/ParseFloat, time.Parse,
 * strconv.FormatFloat, base64.StdEncoding) the parts it relies on are mirrored too, because
 * their corner cases decide real values: `08` is not an octal int but the float 8,
 * `2001-02-30` is not a date, `1e999` overflows and stays a string.
 *
 * Nothing here allocates except for numbers longer than SCRATCH_LOCAL bytes, which are copied
 * to the heap (xmalloc) to strip `_` and add the NUL that strtod needs. Input text is never
 * read past len.
 */
#include "scalar.h"

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* A parsed timestamp, kept in its own zone: yaml.v3 hands deployKF a time.Time. */
struct timestamp {
	int year, month, day;
	int hour, minute, second;
	long nsec;
	int offset; /* seconds east of UTC; 0 for `Z` and for no zone (time.Parse gives UTC) */
};

/* The (tag, value) pair resolve() returns, before it becomes a struct scalar_value. */
struct resolved {
	enum scalar_type type;
	bool is_unsigned; /* came from ParseUint: a uint64, which !!float refuses */
	bool boolean;
	int64_t i;
	uint64_t u;
	double f;
	struct timestamp ts;
};

enum { SCRATCH_LOCAL = 128 };

/* A NUL-terminated copy of some text with one character dropped. */
struct scratch {
	char *s;
	size_t len;
	char local[SCRATCH_LOCAL];
};

static void scratch_fill(struct scratch *sc, const char *text, size_t len, char drop)
{
	size_t i;

	sc->s = len < sizeof sc->local ? sc->local : xmalloc(len + 1);
	sc->len = 0;
	for (i = 0; i < len; i++)
		if (text[i] != drop)
			sc->s[sc->len++] = text[i];
	sc->s[sc->len] = '\0';
}

static void scratch_release(struct scratch *sc)
{
	if (sc->s != sc->local)
		free(sc->s);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* strconv's lower(): folds ASCII letters, and is what Go uses for 0x, 0B, 1E5 ... */
static char lower(char c)
{
	return (char)(c | ('x' - 'X'));
}

static bool text_is(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len == n && (n == 0 || memcmp(s, lit, n) == 0);
}

static bool text_is_nocase(const char *s, size_t len, const char *lit)
{
	size_t i;

	if (len != strlen(lit))
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return false;
	}
	return true;
}

/*
 * strconv's underscoreOK: `_` only between digits, or between a base prefix and a digit.
 */
static bool underscore_ok(const char *s, size_t len)
{
	char saw = '^';
	bool hex = false;
	size_t i = 0;

	if (len >= 1 && (s[0] == '-' || s[0] == '+')) {
		s++;
		len--;
	}
	if (len >= 2 && s[0] == '0' &&
	    (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(s[1]) == 'x';
	}
	for (; i < len; i++) {
		if (is_digit(s[i]) || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
			saw = '0';
			continue;
		}
		if (s[i] == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

/*
 * strconv.ParseUint(s, base, 64) for base 0 (Go prefixes 0b, 0o, 0x, and a bare leading 0
 * meaning octal; `_` allowed) or an explicit base 2..36. Only success matters to resolve(),
 * so syntax and range errors are both `false`.
 */
static bool go_parse_uint(const char *s, size_t len, unsigned base, uint64_t *out)
{
	const char *s0 = s;
	size_t len0 = len;
	bool base0 = base == 0;
	bool underscores = false;
	uint64_t n = 0, cutoff;
	size_t i;

	if (len == 0)
		return false;
	if (base0) {
		base = 10;
		if (s[0] == '0') {
			size_t skip = 2;

			if (len >= 3 && lower(s[1]) == 'b') {
				base = 2;
			} else if (len >= 3 && lower(s[1]) == 'o') {
				base = 8;
			} else if (len >= 3 && lower(s[1]) == 'x') {
				base = 16;
			} else {
				/* a bare leading 0 is octal; "0" alone leaves no digits: 0 */
				base = 8;
				skip = 1;
			}
			s += skip;
			len -= skip;
		}
	}
	cutoff = UINT64_MAX / base + 1;
	for (i = 0; i < len; i++) {
		char c = s[i];
		unsigned d;
		uint64_t n1;

		if (c == '_' && base0) {
			underscores = true;
			continue;
		} else if (is_digit(c)) {
			d = (unsigned)(c - '0');
		} else if (lower(c) >= 'a' && lower(c) <= 'z') {
			d = (unsigned)(lower(c) - 'a' + 10);
		} else {
			return false;
		}
		if (d >= base || n >= cutoff)
			return false;
		n *= base;
		n1 = n + d;
		if (n1 < n)
			return false;
		n = n1;
	}
	if (underscores && !underscore_ok(s0, len0))
		return false;
	*out = n;
	return true;
}

/* ParseInt's range check on an unsigned magnitude. */
static bool int_from_magnitude(bool neg, uint64_t u, int64_t *out)
{
	const uint64_t cutoff = (uint64_t)1 << 63;

	if ((!neg && u >= cutoff) || (neg && u > cutoff))
		return false;
	if (neg)
		*out = u == cutoff ? INT64_MIN : -(int64_t)u;
	else
		*out = (int64_t)u;
	return true;
}

/* strconv.ParseInt(s, base, 64): an optional sign, then ParseUint. */
static bool go_parse_int(const char *s, size_t len, unsigned base, int64_t *out)
{
	bool neg = false;
	uint64_t u;

	if (len == 0)
		return false;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		s++;
		len--;
	}
	return go_parse_uint(s, len, base, &u) && int_from_magnitude(neg, u, out);
}

/* strtod on a NUL-terminated span Go's grammar already accepted; false on overflow. */
static bool convert_float(const char *text, size_t len, double *out)
{
	struct scratch sc;
	const char *point = localeconv()->decimal_point;
	char *end;
	double f;
	size_t i;

	scratch_fill(&sc, text, len, '_');
	/* strtod follows LC_NUMERIC; Go always means '.' */
	if (point && point[0] && !point[1] && point[0] != '.')
		for (i = 0; i < sc.len; i++)
			if (sc.s[i] == '.')
				sc.s[i] = point[0];
	f = strtod(sc.s, &end);
	i = (size_t)(end - sc.s);
	scratch_release(&sc);
	/* Go reports ErrRange for overflow (resolve() then keeps a string) but not underflow */
	if (i == 0 || isinf(f))
		return false;
	*out = f;
	return true;
}

/* ParseFloat's special(): [+-]inf, [+-]infinity, nan, any case, and nothing after. */
static bool go_float_special(const char *s, size_t len, double *out)
{
	double sign = 1.0;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		sign = s[0] == '-' ? -1.0 : 1.0;
		s++;
		len--;
		if (text_is_nocase(s, len, "inf") || text_is_nocase(s, len, "infinity")) {
			*out = sign * INFINITY;
			return true;
		}
		return false;
	}
	if (text_is_nocase(s, len, "inf") || text_is_nocase(s, len, "infinity")) {
		*out = INFINITY;
		return true;
	}
	if (text_is_nocase(s, len, "nan")) {
		*out = NAN;
		return true;
	}
	return false;
}

/*
 * strconv.ParseFloat(s, 64): Go's readFloat grammar (decimal, or hex with a mandatory p
 * exponent, `_` as underscoreOK allows) over the whole text, then the value. strtod accepts
 * more (leading spaces, "0x1" without exponent, "nan(...)"), so the syntax is checked here.
 */
static bool go_parse_float(const char *s, size_t len, double *out)
{
	bool hex = false, sawdot = false, sawdigits = false, underscores = false;
	size_t i = 0;

	if (len == 0)
		return false;
	if (go_float_special(s, len, out))
		return true;
	if (s[i] == '+' || s[i] == '-')
		i++;
	if (i + 2 < len && s[i] == '0' && lower(s[i + 1]) == 'x') {
		hex = true;
		i += 2;
	}
	for (; i < len; i++) {
		char c = s[i];

		if (c == '_') {
			underscores = true;
		} else if (c == '.') {
			if (sawdot)
				break;
			sawdot = true;
		} else if (is_digit(c) || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
			sawdigits = true;
		} else {
			break;
		}
	}
	if (!sawdigits)
		return false;
	if (i < len && lower(s[i]) == (hex ? 'p' : 'e')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || !is_digit(s[i]))
			return false;
		for (; i < len && (is_digit(s[i]) || s[i] == '_'); i++)
			if (s[i] == '_')
				underscores = true;
	} else if (hex) {
		return false;
	}
	if (i != len || (underscores && !underscore_ok(s, i)))
		return false;
	return convert_float(s, len, out);
}

/* yaml.v3's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool is_yaml_style_float(const char *s, size_t len)
{
	size_t i = 0, start;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i < len && s[i] == '.') {
		start = ++i;
		while (i < len && is_digit(s[i]))
			i++;
		if (i == start)
			return false;
	} else {
		start = i;
		while (i < len && is_digit(s[i]))
			i++;
		if (i == start)
			return false;
		if (i < len && s[i] == '.')
			for (i++; i < len && is_digit(s[i]); i++)
				;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		start = i;
		while (i < len && is_digit(s[i]))
			i++;
		if (i == start)
			return false;
	}
	return i == len;
}

/* Go's getnum(s, false): one or two digits, as many as there are. */
static bool get_num(const char *s, size_t len, size_t *pos, int *out)
{
	size_t i = *pos;
	int v;

	if (i >= len || !is_digit(s[i]))
		return false;
	v = s[i++] - '0';
	if (i < len && is_digit(s[i]))
		v = v * 10 + (s[i++] - '0');
	*pos = i;
	*out = v;
	return true;
}

static int days_in(int month, int year)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

	return month == 2 && leap ? 29 : days[month - 1];
}

/* The layouts of yaml.v3's allowedTimestampFormats, tried in that order. */
enum ts_layout {
	TS_UPPER_T, /* "2006-1-2T15:4:5.999999999Z07:00" */
	TS_LOWER_T, /* "2006-1-2t15:4:5.999999999Z07:00" */
	TS_SPACE,   /* "2006-1-2 15:4:5.999999999" (no zone: UTC) */
	TS_DATE,    /* "2006-1-2" */
};

/* time.Parse(layout, s) for one of those layouts; s starts with four digits and '-'. */
static bool parse_layout(const char *s, size_t len, enum ts_layout layout, struct timestamp *ts)
{
	size_t pos = 5;
	int hh, mm;

	memset(ts, 0, sizeof *ts);
	ts->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	/* "1" and "2": one or two digits; month range is checked as it is read */
	if (!get_num(s, len, &pos, &ts->month) || ts->month < 1 || ts->month > 12)
		return false;
	if (pos >= len || s[pos++] != '-')
		return false;
	if (!get_num(s, len, &pos, &ts->day))
		return false;
	if (layout == TS_DATE)
		goto done;
	if (layout == TS_SPACE) {
		/* time.Parse's skip(): a space in the layout matches a run of spaces */
		if (pos < len && s[pos] != ' ')
			return false;
		while (pos < len && s[pos] == ' ')
			pos++;
	} else if (pos >= len || s[pos++] != (layout == TS_UPPER_T ? 'T' : 't')) {
		return false;
	}
	if (!get_num(s, len, &pos, &ts->hour) || ts->hour >= 24)
		return false;
	if (pos >= len || s[pos++] != ':')
		return false;
	if (!get_num(s, len, &pos, &ts->minute) || ts->minute >= 60)
		return false;
	if (pos >= len || s[pos++] != ':')
		return false;
	if (!get_num(s, len, &pos, &ts->second) || ts->second >= 60)
		return false;
	/* ".999999999": optional; '.' or ',' then any number of digits, truncated to ns */
	if (len - pos >= 2 && (s[pos] == '.' || s[pos] == ',') && is_digit(s[pos + 1])) {
		int ndigits = 0;

		for (pos++; pos < len && is_digit(s[pos]); pos++)
			if (ndigits < 9) {
				ts->nsec = ts->nsec * 10 + (s[pos] - '0');
				ndigits++;
			}
		for (; ndigits < 9; ndigits++)
			ts->nsec *= 10;
	}
	if (layout == TS_SPACE)
		goto done;
	/* "Z07:00": an upper-case Z, or ±hh:mm with hh <= 24 and mm <= 60 (Go tests with >) */
	if (pos < len && s[pos] == 'Z') {
		pos++;
		goto done;
	}
	if (len - pos < 6 || s[pos + 3] != ':' || (s[pos] != '+' && s[pos] != '-'))
		return false;
	if (!is_digit(s[pos + 1]) || !is_digit(s[pos + 2]) || !is_digit(s[pos + 4]) ||
	    !is_digit(s[pos + 5]))
		return false;
	hh = (s[pos + 1] - '0') * 10 + (s[pos + 2] - '0');
	mm = (s[pos + 4] - '0') * 10 + (s[pos + 5] - '0');
	if (hh > 24 || mm > 60)
		return false;
	ts->offset = (hh * 60 + mm) * 60 * (s[pos] == '-' ? -1 : 1);
	pos += 6;
done:
	/* "extra text" fails; then time.Parse validates the day against the month */
	return pos == len && ts->day >= 1 && ts->day <= days_in(ts->month, ts->year);
}

/* yaml.v3's parseTimestamp(). */
static bool parse_timestamp(const char *s, size_t len, struct timestamp *ts)
{
	static const enum ts_layout layouts[] = { TS_UPPER_T, TS_LOWER_T, TS_SPACE, TS_DATE };
	size_t i;

	/* quick check: all formats start with exactly four digits and '-' */
	for (i = 0; i < len && is_digit(s[i]); i++)
		;
	if (i != 4 || i == len || s[i] != '-')
		return false;
	for (i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
		if (parse_layout(s, len, layouts[i], ts))
			return true;
	return false;
}

/* The 'D'/'S' branch of resolve() after the timestamp attempt. */
static void resolve_number(const char *s, size_t len, struct resolved *r)
{
	struct scratch plain;
	const char *p;
	size_t n;
	uint64_t u;

	/* strings.Replace(in, "_", "", -1): every `_` goes, wherever it is */
	scratch_fill(&plain, s, len, '_');
	p = plain.s;
	n = plain.len;
	if (go_parse_int(p, n, 0, &r->i)) {
		r->type = SCALAR_INT;
	} else if (go_parse_uint(p, n, 0, &r->u)) {
		r->type = SCALAR_INT;
		r->is_unsigned = true;
	} else if (is_yaml_style_float(p, n) && go_parse_float(p, n, &r->f)) {
		r->type = SCALAR_FLOAT;
	} else if (n >= 2 && p[0] == '0' && (p[1] == 'b' || p[1] == 'o')) {
		/*
		 * The explicit 0b/0o branches. ParseInt(base 0) has already taken every
		 * well-formed spelling; what is left is a sign after the prefix, which
		 * ParseInt(plain[2:], 2 or 8) accepts: `0b-101` is -5 in yaml.v3.
		 */
		unsigned base = p[1] == 'b' ? 2 : 8;

		if (go_parse_int(p + 2, n - 2, base, &r->i)) {
			r->type = SCALAR_INT;
		} else if (go_parse_uint(p + 2, n - 2, base, &r->u)) {
			r->type = SCALAR_INT;
			r->is_unsigned = true;
		}
	} else if (n >= 3 && p[0] == '-' && p[1] == '0' && (p[2] == 'b' || p[2] == 'o')) {
		/* ParseInt("-" + plain[3:], base): a magnitude with no sign of its own */
		if (go_parse_uint(p + 3, n - 3, p[2] == 'b' ? 2 : 8, &u) &&
		    int_from_magnitude(true, u, &r->i))
			r->type = SCALAR_INT;
	}
	scratch_release(&plain);
}

/* yaml.v3's resolveMap. Its "<<" entry is unreachable there ('<' has no hint). */
static const struct {
	const char *text;
	enum scalar_type type;
	int value; /* the boolean, or the sign of an infinity (0 for NaN) */
} resolve_map[] = {
	{ "true", SCALAR_BOOL, 1 },    { "True", SCALAR_BOOL, 1 },    { "TRUE", SCALAR_BOOL, 1 },
	{ "false", SCALAR_BOOL, 0 },   { "False", SCALAR_BOOL, 0 },   { "FALSE", SCALAR_BOOL, 0 },
	{ "", SCALAR_NULL, 0 },        { "~", SCALAR_NULL, 0 },       { "null", SCALAR_NULL, 0 },
	{ "Null", SCALAR_NULL, 0 },    { "NULL", SCALAR_NULL, 0 },    { ".nan", SCALAR_FLOAT, 0 },
	{ ".NaN", SCALAR_FLOAT, 0 },   { ".NAN", SCALAR_FLOAT, 0 },   { ".inf", SCALAR_FLOAT, 1 },
	{ ".Inf", SCALAR_FLOAT, 1 },   { ".INF", SCALAR_FLOAT, 1 },   { "+.inf", SCALAR_FLOAT, 1 },
	{ "+.Inf", SCALAR_FLOAT, 1 },  { "+.INF", SCALAR_FLOAT, 1 },  { "-.inf", SCALAR_FLOAT, -1 },
	{ "-.Inf", SCALAR_FLOAT, -1 }, { "-.INF", SCALAR_FLOAT, -1 },
};

static bool lookup_map(const char *s, size_t len, struct resolved *r)
{
	size_t i;

	/* every entry is at most 5 bytes: most keys (`namespace`, `tolerations`) stop here */
	if (len > 5)
		return false;
	for (i = 0; i < sizeof resolve_map / sizeof resolve_map[0]; i++) {
		if (!text_is(s, len, resolve_map[i].text))
			continue;
		r->type = resolve_map[i].type;
		r->boolean = resolve_map[i].value != 0;
		if (r->type == SCALAR_FLOAT)
			r->f = resolve_map[i].value == 0 ? NAN : resolve_map[i].value * INFINITY;
		return true;
	}
	return false;
}

/* yaml.v3's resolveTable: the first byte decides which branch may apply. */
static char hint_of(const char *s, size_t len)
{
	char c;

	if (len == 0)
		return 'N';
	c = s[0];
	if (c == '+' || c == '-')
		return 'S';
	if (is_digit(c))
		return 'D';
	if (c != '\0' && strchr("yYnNtTfFoO~", c))
		return 'M';
	if (c == '.')
		return '.';
	return 0;
}

/*
 * resolve() for the tags that reach its hint logic ("", !!bool, !!int, !!float, !!null,
 * !!timestamp). Timestamps are only tried untagged or under !!timestamp, as yaml.v3 does.
 */
static void resolve_core(const char *s, size_t len, bool try_timestamp, struct resolved *r)
{
	char hint = hint_of(s, len);

	memset(r, 0, sizeof *r);
	r->type = SCALAR_STRING;
	if (hint == 0 || lookup_map(s, len, r))
		return;
	switch (hint) {
	case '.':
		if (go_parse_float(s, len, &r->f))
			r->type = SCALAR_FLOAT;
		return;
	case 'D':
	case 'S':
		if (try_timestamp && parse_timestamp(s, len, &r->ts)) {
			r->type = SCALAR_TIMESTAMP;
			return;
		}
		resolve_number(s, len, r);
		return;
	default: /* 'M' and 'N': the map was the only chance */ return;
	}
}

/* Bounded appending into canonical[]; every caller's text is far shorter than 64. */
static void append(char *buf, size_t size, size_t *pos, const char *text)
{
	size_t n = strlen(text);

	if (*pos + n >= size)
		n = size - *pos - 1;
	memcpy(buf + *pos, text, n);
	*pos += n;
	buf[*pos] = '\0';
}

/*
 * strconv.FormatFloat(f, 'g', -1, 64), which is also what fmt's %v prints: the shortest
 * digits that read back as f, in %e form when the exponent is < -4 or >= 6 (FormatFloat
 * fixes eprec at 6 for the shortest form), with a two-digit minimum exponent.
 */
static void format_go_float(double f, char *buf, size_t size)
{
	char tmp[40], digits[20], exp_text[16];
	int prec, exp = 0, nd = 0, dp, i;
	size_t pos = 0;
	const char *p;

	buf[0] = '\0';
	if (isnan(f)) {
		append(buf, size, &pos, "NaN");
		return;
	}
	if (isinf(f)) {
		append(buf, size, &pos, f > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (f == 0) {
		append(buf, size, &pos, signbit(f) ? "-0" : "0");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	/* tmp is [-]d[<point>ddd]e[+-]dd; the point is whatever LC_NUMERIC says */
	for (p = tmp; *p && *p != 'e'; p++)
		if (is_digit(*p) && nd < (int)sizeof digits)
			digits[nd++] = *p;
	if (*p == 'e')
		exp = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (f < 0)
		append(buf, size, &pos, "-");
	if (exp < -4 || exp >= 6) {
		char one[2] = { digits[0], '\0' };

		append(buf, size, &pos, one);
		if (nd > 1) {
			append(buf, size, &pos, ".");
			for (i = 1; i < nd; i++) {
				one[0] = digits[i];
				append(buf, size, &pos, one);
			}
		}
		snprintf(exp_text, sizeof exp_text, "e%c%02d", exp < 0 ? '-' : '+',
			 (exp < 0 ? -exp : exp) % 1000);
		append(buf, size, &pos, exp_text);
		return;
	}
	/* %f with max(nd - dp, 0) decimals, as strconv's fmtF pads and places the point */
	dp = exp + 1;
	if (dp > 0) {
		for (i = 0; i < dp; i++) {
			char one[2] = { i < nd ? digits[i] : '0', '\0' };
			append(buf, size, &pos, one);
		}
	} else {
		append(buf, size, &pos, "0");
	}
	if (nd - dp > 0) {
		append(buf, size, &pos, ".");
		for (i = 0; i < nd - dp; i++) {
			int j = dp + i;
			char one[2] = { j >= 0 && j < nd ? digits[j] : '0', '\0' };
			append(buf, size, &pos, one);
		}
	}
}

/* How time.Time marshals (RFC 3339 with nanoseconds): offset kept, `Z` for zero. */
static void format_timestamp(const struct timestamp *ts, char *buf, size_t size)
{
	char part[24];
	size_t pos = 0;
	int zone, n;

	buf[0] = '\0';
	snprintf(part, sizeof part, "%04d-%02d-%02dT", ts->year % 10000, ts->month % 100,
		 ts->day % 100);
	append(buf, size, &pos, part);
	snprintf(part, sizeof part, "%02d:%02d:%02d", ts->hour % 100, ts->minute % 100,
		 ts->second % 100);
	append(buf, size, &pos, part);
	if (ts->nsec != 0) {
		snprintf(part, sizeof part, ".%09ld", ts->nsec % 1000000000L);
		for (n = (int)strlen(part); n > 1 && part[n - 1] == '0'; n--)
			part[n - 1] = '\0';
		append(buf, size, &pos, part);
	}
	if (ts->offset == 0) {
		append(buf, size, &pos, "Z");
		return;
	}
	zone = ts->offset / 60;
	snprintf(part, sizeof part, "%c%02d:%02d", zone < 0 ? '-' : '+', (abs(zone) / 60) % 100,
		 abs(zone) % 60);
	append(buf, size, &pos, part);
}

static void set_string(struct scalar_value *out)
{
	memset(out, 0, sizeof *out);
	out->type = SCALAR_STRING;
}

static void fill_value(const struct resolved *r, struct scalar_value *out)
{
	size_t pos = 0;

	memset(out, 0, sizeof *out);
	out->type = r->type;
	switch (r->type) {
	case SCALAR_NULL: append(out->canonical, sizeof out->canonical, &pos, "<nil>"); break;
	case SCALAR_BOOL:
		out->boolean = r->boolean;
		append(out->canonical, sizeof out->canonical, &pos, r->boolean ? "true" : "false");
		break;
	case SCALAR_INT:
		if (r->is_unsigned) {
			out->number = (double)r->u;
			snprintf(out->canonical, sizeof out->canonical, "%" PRIu64, r->u);
		} else {
			out->number = (double)r->i;
			snprintf(out->canonical, sizeof out->canonical, "%" PRId64, r->i);
		}
		break;
	case SCALAR_FLOAT:
		out->number = r->f;
		format_go_float(r->f, out->canonical, sizeof out->canonical);
		break;
	case SCALAR_TIMESTAMP:
		format_timestamp(&r->ts, out->canonical, sizeof out->canonical);
		break;
	case SCALAR_MERGE: append(out->canonical, sizeof out->canonical, &pos, "<<"); break;
	case SCALAR_STRING: break;
	}
}

static void set_merge(struct scalar_value *out)
{
	struct resolved r;

	memset(&r, 0, sizeof r);
	r.type = SCALAR_MERGE;
	fill_value(&r, out);
}

void scalar_resolve_plain(const char *text, size_t len, struct scalar_value *out)
{
	struct resolved r;

	if (!text) {
		text = "";
		len = 0;
	}
	/*
	 * yaml.v3's parser tags a plain `<<` !!merge before resolve() runs (resolve() itself
	 * would call it a string), and the decoder merges it when it is a key.
	 */
	if (text_is(text, len, "<<")) {
		set_merge(out);
		return;
	}
	resolve_core(text, len, true, &r);
	fill_value(&r, out);
}

/* Go's base64.StdEncoding.DecodeString, for validity only: `\r` and `\n` are skipped. */
static bool go_base64_valid(const char *s, size_t len)
{
	size_t i = 0;
	int j = 0; /* position in the current 4-character quantum */

	while (i < len) {
		char c = s[i++];

		if (c == '\r' || c == '\n')
			continue;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '+' ||
		    c == '/') {
			j = (j + 1) % 4;
			continue;
		}
		/* padding may only close a quantum after 2 or 3 characters */
		if (c != '=' || j < 2)
			return false;
		if (j == 2) {
			while (i < len && (s[i] == '\r' || s[i] == '\n'))
				i++;
			if (i == len || s[i] != '=')
				return false;
			i++;
		}
		while (i < len && (s[i] == '\r' || s[i] == '\n'))
			i++;
		return i == len;
	}
	/* StdEncoding is padded: input must end on a quantum boundary */
	return j == 0;
}

enum tag_kind {
	TAG_NONE,        /* no tag: resolve as plain */
	TAG_NONSPECIFIC, /* "!" */
	TAG_STR,
	TAG_BOOL,
	TAG_INT,
	TAG_FLOAT,
	TAG_NULL,
	TAG_TIMESTAMP,
	TAG_BINARY,
	TAG_MERGE,
	TAG_OTHER, /* local tags, other URIs, !!seq/!!map/!!set ...: yaml.v3 keeps the text */
};

static enum tag_kind classify_tag(const char *tag)
{
	static const struct {
		const char *name;
		enum tag_kind kind;
	} names[] = {
		{ "str", TAG_STR },       { "bool", TAG_BOOL },   { "int", TAG_INT },
		{ "float", TAG_FLOAT },   { "null", TAG_NULL },   { "timestamp", TAG_TIMESTAMP },
		{ "binary", TAG_BINARY }, { "merge", TAG_MERGE },
	};
	static const char long_prefix[] = "tag:yaml.org,2002:";
	const char *suffix;
	size_t i;

	if (!tag || !tag[0])
		return TAG_NONE;
	if (strcmp(tag, "!") == 0)
		return TAG_NONSPECIFIC;
	/* libyaml reports the long form; the "!!" short form is accepted too */
	if (strncmp(tag, long_prefix, sizeof long_prefix - 1) == 0)
		suffix = tag + sizeof long_prefix - 1;
	else if (strncmp(tag, "!!", 2) == 0)
		suffix = tag + 2;
	else
		return TAG_OTHER;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(suffix, names[i].name) == 0)
			return names[i].kind;
	return TAG_OTHER;
}

static enum scalar_type type_of_tag(enum tag_kind kind)
{
	switch (kind) {
	case TAG_BOOL: return SCALAR_BOOL;
	case TAG_INT: return SCALAR_INT;
	case TAG_FLOAT: return SCALAR_FLOAT;
	case TAG_NULL: return SCALAR_NULL;
	case TAG_TIMESTAMP: return SCALAR_TIMESTAMP;
	default: return SCALAR_STRING;
	}
}

bool scalar_resolve_tagged(const char *tag, const char *text, size_t len, struct scalar_value *out)
{
	enum tag_kind kind = classify_tag(tag);
	struct resolved r;

	if (!text) {
		text = "";
		len = 0;
	}
	switch (kind) {
	case TAG_NONE:
	case TAG_NONSPECIFIC:
		/*
		 * yaml.v3's parser treats "!" like no tag: a plain `! 12` is the int 12. A
		 * quoted scalar with "!" is a string there, so callers pass "!" for plain ones.
		 */
		scalar_resolve_plain(text, len, out);
		return true;
	case TAG_MERGE:
		/* isMerge() accepts an explicit !!merge on `<<`; anything else keeps its text */
		if (text_is(text, len, "<<"))
			set_merge(out);
		else
			set_string(out);
		return true;
	case TAG_BINARY:
		/* not resolvable, then decoded: bad base64 fails "!!binary value contains ..." */
		set_string(out);
		return go_base64_valid(text, len);
	case TAG_STR:
	case TAG_OTHER: set_string(out); return true;
	default: break;
	}
	resolve_core(text, len, kind == TAG_TIMESTAMP, &r);
	/* resolve()'s deferred check: !!float takes an int (not a uint64) as a float */
	if (kind == TAG_FLOAT && r.type == SCALAR_INT && !r.is_unsigned) {
		r.type = SCALAR_FLOAT;
		r.f = (double)r.i;
	}
	if (r.type != type_of_tag(kind)) {
		/* "cannot decode !!str `x` as a !!int" */
		set_string(out);
		return false;
	}
	fill_value(&r, out);
	return true;
}

const char *scalar_type_name(enum scalar_type type)
{
	switch (type) {
	case SCALAR_NULL: return "null";
	case SCALAR_BOOL: return "boolean";
	case SCALAR_INT: return "integer";
	case SCALAR_FLOAT: return "float";
	case SCALAR_TIMESTAMP: return "timestamp";
	case SCALAR_STRING: return "string";
	case SCALAR_MERGE: return "merge key";
	}
	return "unknown";
}

/*
 * gomplate's conv.ToBool on a string: lower-cased "1", "t", "true", "yes"; otherwise
 * strToFloat64, which drops every ',' and tries strconv.ParseInt(s, 0, 64) before
 * strconv.ParseFloat, and is 0 on error.
 */
static bool string_is_truthy(const char *text, size_t len)
{
	struct scratch sc;
	int64_t i;
	double f;
	bool truthy;

	if (!text)
		return false;
	if (text_is_nocase(text, len, "1") || text_is_nocase(text, len, "t") ||
	    text_is_nocase(text, len, "true") || text_is_nocase(text, len, "yes"))
		return true;
	scratch_fill(&sc, text, len, ',');
	if (go_parse_int(sc.s, sc.len, 0, &i))
		truthy = i == 1;
	else
		truthy = go_parse_float(sc.s, sc.len, &f) && f == 1.0;
	scratch_release(&sc);
	return truthy;
}

bool scalar_is_truthy(const struct scalar_value *value, const char *text, size_t len)
{
	if (!value)
		return false;
	switch (value->type) {
	case SCALAR_BOOL: return value->boolean;
	case SCALAR_INT:
	case SCALAR_FLOAT: return value->number == 1.0;
	case SCALAR_STRING: return string_is_truthy(text, len);
	case SCALAR_NULL:
	case SCALAR_TIMESTAMP: /* a time.Time: ToBool's reflect switch says false */
	case SCALAR_MERGE: return false;
	}
	return false;
}

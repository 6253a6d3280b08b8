/*
 * test_scalar.c - one row per spelling of what deployKF's yaml.v3 makes of a scalar.
 *
 * Every row is copied into a heap buffer of exactly its length, without a NUL, so the
 * sanitizer build catches any read past len.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalar.h"

struct plain_row {
	const char *text;
	enum scalar_type type;
	const char *canonical; /* "" for strings */
};

struct tagged_row {
	const char *tag;
	const char *text;
	bool ok;
	enum scalar_type type;
	const char *canonical;
};

struct truthy_row {
	const char *text; /* resolved as a plain scalar first */
	bool truthy;
};

#define TAG(name) "tag:yaml.org,2002:" name

static char *exact_copy(const char *text, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, text, len);
	return p;
}

static void check_plain(const struct plain_row *row)
{
	size_t len = strlen(row->text);
	char *copy = exact_copy(row->text, len);
	struct scalar_value v;

	scalar_resolve_plain(copy, len, &v);
	free(copy);
	if (v.type != row->type || strcmp(v.canonical, row->canonical) != 0)
		fail_msg("plain '%s': got %s '%s', want %s '%s'", row->text,
			 scalar_type_name(v.type), v.canonical, scalar_type_name(row->type),
			 row->canonical);
}

static void check_plain_rows(const struct plain_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		check_plain(&rows[i]);
}

#define CHECK_PLAIN(rows) check_plain_rows(rows, sizeof rows / sizeof rows[0])

/* Only these six spellings are booleans; YAML 1.1's yes/no/on/off/y/n are strings. */
static void test_booleans(void **state)
{
	static const struct plain_row rows[] = {
		{ "true", SCALAR_BOOL, "true" },   { "True", SCALAR_BOOL, "true" },
		{ "TRUE", SCALAR_BOOL, "true" },   { "false", SCALAR_BOOL, "false" },
		{ "False", SCALAR_BOOL, "false" }, { "FALSE", SCALAR_BOOL, "false" },
		{ "tRue", SCALAR_STRING, "" },     { "fALSE", SCALAR_STRING, "" },
		{ "yes", SCALAR_STRING, "" },      { "Yes", SCALAR_STRING, "" },
		{ "YES", SCALAR_STRING, "" },      { "no", SCALAR_STRING, "" },
		{ "NO", SCALAR_STRING, "" },       { "on", SCALAR_STRING, "" },
		{ "On", SCALAR_STRING, "" },       { "off", SCALAR_STRING, "" },
		{ "y", SCALAR_STRING, "" },        { "Y", SCALAR_STRING, "" },
		{ "n", SCALAR_STRING, "" },        { "N", SCALAR_STRING, "" },
		{ "t", SCALAR_STRING, "" },        { "f", SCALAR_STRING, "" },
	};
	struct scalar_value v;

	(void)state;
	CHECK_PLAIN(rows);
	scalar_resolve_plain("True", 4, &v);
	assert_true(v.boolean);
	scalar_resolve_plain("FALSE", 5, &v);
	assert_false(v.boolean);
}

static void test_nulls(void **state)
{
	static const struct plain_row rows[] = {
		{ "", SCALAR_NULL, "<nil>" },     { "~", SCALAR_NULL, "<nil>" },
		{ "null", SCALAR_NULL, "<nil>" }, { "Null", SCALAR_NULL, "<nil>" },
		{ "NULL", SCALAR_NULL, "<nil>" }, { "nUll", SCALAR_STRING, "" },
		{ "nULL", SCALAR_STRING, "" },    { "~~", SCALAR_STRING, "" },
		{ "None", SCALAR_STRING, "" },    { "nil", SCALAR_STRING, "" },
	};
	struct scalar_value v;

	(void)state;
	CHECK_PLAIN(rows);
	scalar_resolve_plain(NULL, 0, &v);
	assert_int_equal(v.type, SCALAR_NULL);
}

static void test_integers(void **state)
{
	static const struct plain_row rows[] = {
		{ "0", SCALAR_INT, "0" },
		{ "-0", SCALAR_INT, "0" },
		{ "12", SCALAR_INT, "12" },
		{ "+12", SCALAR_INT, "12" },
		{ "-12", SCALAR_INT, "-12" },
		{ "0123", SCALAR_INT, "83" }, /* YAML 1.1 octal, kept by yaml.v3 */
		{ "00", SCALAR_INT, "0" },
		{ "-0123", SCALAR_INT, "-83" },
		{ "0x1F", SCALAR_INT, "31" },
		{ "0x1f", SCALAR_INT, "31" },
		{ "0X1F", SCALAR_INT, "31" },
		{ "-0x10", SCALAR_INT, "-16" },
		{ "+0x10", SCALAR_INT, "16" },
		{ "0o17", SCALAR_INT, "15" },
		{ "0O17", SCALAR_INT, "15" },
		{ "-0o17", SCALAR_INT, "-15" },
		{ "0b101", SCALAR_INT, "5" },
		{ "0B101", SCALAR_INT, "5" },
		{ "-0b101", SCALAR_INT, "-5" },
		{ "0b-101", SCALAR_INT, "-5" }, /* resolve()'s explicit ParseInt(plain[2:], 2) */
		{ "0o-17", SCALAR_INT, "-15" },
		{ "1_000", SCALAR_INT, "1000" },
		{ "1__0", SCALAR_INT, "10" },
		{ "1_", SCALAR_INT, "1" }, /* every '_' is removed before parsing */
		{ "-_1", SCALAR_INT, "-1" },
		{ "0x_1F", SCALAR_INT, "31" },
		{ "20011214", SCALAR_INT, "20011214" },
		{ "9223372036854775807", SCALAR_INT, "9223372036854775807" },
		{ "-9223372036854775808", SCALAR_INT, "-9223372036854775808" },
		{ "9223372036854775808", SCALAR_INT, "9223372036854775808" }, /* uint64 */
		{ "18446744073709551615", SCALAR_INT, "18446744073709551615" },
		{ "0xFFFFFFFFFFFFFFFF", SCALAR_INT, "18446744073709551615" },
		{ "0b1111111111111111111111111111111111111111111111111111111111111111", SCALAR_INT,
		  "18446744073709551615" },
		{ "000000000000000000000000000000000000000000000000000000000000000000000000000000"
		  "000000000000000000000000000000000000000000000000000000000000000000000000000017",
		  SCALAR_INT, "15" }, /* longer than the on-stack scratch buffer */
	};
	struct scalar_value v;

	(void)state;
	CHECK_PLAIN(rows);
	scalar_resolve_plain("-16", 3, &v);
	assert_true(v.number == -16.0);
}

static void test_floats(void **state)
{
	static const struct plain_row rows[] = {
		{ "08", SCALAR_FLOAT, "8" }, /* not octal, but yamlStyleFloat matches */
		{ "09.5", SCALAR_FLOAT, "9.5" },
		{ "0_8", SCALAR_FLOAT, "8" },
		{ "1e3", SCALAR_FLOAT, "1000" },
		{ "1E3", SCALAR_FLOAT, "1000" },
		{ "1e+3", SCALAR_FLOAT, "1000" },
		{ "1.0", SCALAR_FLOAT, "1" },
		{ "1.", SCALAR_FLOAT, "1" },
		{ "0.", SCALAR_FLOAT, "0" },
		{ "-0.0", SCALAR_FLOAT, "-0" },
		{ "0e5", SCALAR_FLOAT, "0" },
		{ ".5", SCALAR_FLOAT, "0.5" },
		{ "+.5", SCALAR_FLOAT, "0.5" },
		{ "-.5", SCALAR_FLOAT, "-0.5" },
		{ ".5e1", SCALAR_FLOAT, "5" },
		{ ".5_5", SCALAR_FLOAT, "0.55" }, /* '.' hint: ParseFloat(in) allows '_' */
		{ "1_000.5", SCALAR_FLOAT, "1000.5" },
		{ "0.1", SCALAR_FLOAT, "0.1" },
		{ "3.14159", SCALAR_FLOAT, "3.14159" },
		{ "0.0001", SCALAR_FLOAT, "0.0001" },
		{ "0.00001", SCALAR_FLOAT, "1e-05" },
		{ "1.5e-7", SCALAR_FLOAT, "1.5e-07" },
		{ "123456.7", SCALAR_FLOAT, "123456.7" },
		{ "1e5", SCALAR_FLOAT, "100000" },
		{ "1e6", SCALAR_FLOAT, "1e+06" }, /* FormatFloat 'g' -1 switches at exponent 6 */
		{ "1234567.0", SCALAR_FLOAT, "1.234567e+06" },
		{ "1e21", SCALAR_FLOAT, "1e+21" },
		{ "1e100", SCALAR_FLOAT, "1e+100" },
		{ "1e308", SCALAR_FLOAT, "1e+308" },
		{ "1e-400", SCALAR_FLOAT, "0" }, /* underflow is not an error in Go */
		{ "99999999999999999999", SCALAR_FLOAT, "1e+20" }, /* beyond int64 and uint64 */
		{ "-9223372036854775809", SCALAR_FLOAT, "-9.223372036854776e+18" },
		{ "0.30000000000000004", SCALAR_FLOAT, "0.30000000000000004" },
		{ "5e-324", SCALAR_FLOAT, "5e-324" },
		{ "1.7976931348623157e308", SCALAR_FLOAT, "1.7976931348623157e+308" },
		{ "0.0000000000000000000000000000000000000000000000000000000000000000000000000000"
		  "00000000000000000000000000000000000000000000000000000000000000000000000000015",
		  SCALAR_FLOAT, "1.5e-152" }, /* longer than the on-stack scratch buffer */
		{ ".inf", SCALAR_FLOAT, "+Inf" },
		{ ".Inf", SCALAR_FLOAT, "+Inf" },
		{ ".INF", SCALAR_FLOAT, "+Inf" },
		{ "+.inf", SCALAR_FLOAT, "+Inf" },
		{ "+.INF", SCALAR_FLOAT, "+Inf" },
		{ "-.inf", SCALAR_FLOAT, "-Inf" },
		{ "-.Inf", SCALAR_FLOAT, "-Inf" },
		{ ".nan", SCALAR_FLOAT, "NaN" },
		{ ".NaN", SCALAR_FLOAT, "NaN" },
		{ ".NAN", SCALAR_FLOAT, "NaN" },
	};

	(void)state;
	CHECK_PLAIN(rows);
}

static void test_timestamps(void **state)
{
	static const struct plain_row rows[] = {
		{ "2001-12-14", SCALAR_TIMESTAMP, "2001-12-14T00:00:00Z" },
		{ "2001-1-2", SCALAR_TIMESTAMP, "2001-01-02T00:00:00Z" },
		{ "2000-02-29", SCALAR_TIMESTAMP, "2000-02-29T00:00:00Z" },
		{ "2001-12-14T21:59:43.10Z", SCALAR_TIMESTAMP, "2001-12-14T21:59:43.1Z" },
		{ "2001-12-14t21:59:43.10-05:00", SCALAR_TIMESTAMP, "2001-12-14T21:59:43.1-05:00" },
		{ "2001-12-14T21:59:43+05:30", SCALAR_TIMESTAMP, "2001-12-14T21:59:43+05:30" },
		{ "2001-12-14T21:59:43-00:00", SCALAR_TIMESTAMP, "2001-12-14T21:59:43Z" },
		{ "2001-12-14 21:59:43.10", SCALAR_TIMESTAMP, "2001-12-14T21:59:43.1Z" },
		{ "2001-12-14   21:59:43", SCALAR_TIMESTAMP, "2001-12-14T21:59:43Z" },
		{ "2001-12-14T2:5:3Z", SCALAR_TIMESTAMP, "2001-12-14T02:05:03Z" },
		{ "2001-12-14T21:59:43,5Z", SCALAR_TIMESTAMP, "2001-12-14T21:59:43.5Z" },
		{ "2001-12-14T21:59:43.1234567891Z", SCALAR_TIMESTAMP,
		  "2001-12-14T21:59:43.123456789Z" },
		{ "2001-02-30", SCALAR_STRING, "" }, /* time.Parse validates the day */
		{ "1900-02-29", SCALAR_STRING, "" },
		{ "2001-13-01", SCALAR_STRING, "" },
		{ "2001-12-00", SCALAR_STRING, "" },
		{ "2001-12-14T24:00:00Z", SCALAR_STRING, "" },
		{ "2001-12-14T21:59:60Z", SCALAR_STRING, "" },
		{ "2001-12-14T21:59:43z", SCALAR_STRING, "" },
		{ "2001-12-14T21:59:43+05", SCALAR_STRING, "" },
		{ "2001-12-14T21:59:43+25:00", SCALAR_STRING, "" },
		{ "2001-12-14 21:59:43.10 -5", SCALAR_STRING, "" },
		{ "2001-12-14 21:59:43Z", SCALAR_STRING, "" },
		{ "2001-12-14T21:59", SCALAR_STRING, "" },
		{ "2001-12-14T", SCALAR_STRING, "" },
		{ "2001-123-1", SCALAR_STRING, "" },
		{ "20011-12-14", SCALAR_STRING, "" },
		{ "2_001-12-14", SCALAR_STRING, "" },
		{ "12:30", SCALAR_STRING, "" }, /* no sexagesimal numbers in yaml.v3 */
		{ "1:30:00", SCALAR_STRING, "" },
	};

	(void)state;
	CHECK_PLAIN(rows);
}

static void test_strings_and_merge(void **state)
{
	static const struct plain_row rows[] = {
		{ "-", SCALAR_STRING, "" },
		{ "+", SCALAR_STRING, "" },
		{ ".", SCALAR_STRING, "" },
		{ "..", SCALAR_STRING, "" },
		{ "123abc", SCALAR_STRING, "" },
		{ "0x", SCALAR_STRING, "" },
		{ "0b", SCALAR_STRING, "" },
		{ "0o", SCALAR_STRING, "" },
		{ "0b2", SCALAR_STRING, "" },
		{ "0x1g", SCALAR_STRING, "" },
		{ "1e", SCALAR_STRING, "" },
		{ "1e999", SCALAR_STRING, "" }, /* ParseFloat ErrRange */
		{ ".1e999", SCALAR_STRING, "" },
		{ ".e1", SCALAR_STRING, "" },
		{ ".nAn", SCALAR_STRING, "" },
		{ "+inf", SCALAR_STRING, "" },
		{ "inf", SCALAR_STRING, "" },
		{ "NaN", SCALAR_STRING, "" },
		{ "1.2.3", SCALAR_STRING, "" },
		{ "_1", SCALAR_STRING, "" },
		{ "1 000", SCALAR_STRING, "" },
		{ "0x1p3", SCALAR_STRING, "" },
		{ "1,000", SCALAR_STRING, "" },
		{ "v1.2", SCALAR_STRING, "" },
		{ "kyverno", SCALAR_STRING, "" },
		{ "<<", SCALAR_MERGE, "<<" },
		{ "<<<", SCALAR_STRING, "" },
		{ "< <", SCALAR_STRING, "" },
	};

	(void)state;
	CHECK_PLAIN(rows);
}

/* Text is not NUL-terminated: only len counts. */
static void test_length_is_the_truth(void **state)
{
	struct scalar_value v;

	(void)state;
	scalar_resolve_plain("123456", 3, &v);
	assert_int_equal(v.type, SCALAR_INT);
	assert_string_equal(v.canonical, "123");
	scalar_resolve_plain("truex", 4, &v);
	assert_int_equal(v.type, SCALAR_BOOL);
	scalar_resolve_plain("null", 0, &v);
	assert_int_equal(v.type, SCALAR_NULL);
	scalar_resolve_plain("2001-12-14T", 10, &v);
	assert_int_equal(v.type, SCALAR_TIMESTAMP);
	assert_true(scalar_is_truthy(&(struct scalar_value){ .type = SCALAR_STRING }, "yesno", 3));
}

static void test_tagged(void **state)
{
	static const struct tagged_row rows[] = {
		{ TAG("int"), "12", true, SCALAR_INT, "12" },
		{ TAG("int"), "0x1F", true, SCALAR_INT, "31" },
		{ TAG("int"), "18446744073709551615", true, SCALAR_INT, "18446744073709551615" },
		{ TAG("int"), "abc", false, SCALAR_STRING, "" },
		{ TAG("int"), "1.5", false, SCALAR_STRING, "" },
		{ TAG("int"), "08", false, SCALAR_STRING, "" },
		{ TAG("int"), "", false, SCALAR_STRING, "" },
		{ TAG("int"), "2001-12-14", false, SCALAR_STRING, "" }, /* no timestamp attempt */
		{ TAG("bool"), "true", true, SCALAR_BOOL, "true" },
		{ TAG("bool"), "False", true, SCALAR_BOOL, "false" },
		{ TAG("bool"), "yes", false, SCALAR_STRING, "" },
		{ TAG("bool"), "1", false, SCALAR_STRING, "" },
		{ TAG("str"), "0123", true, SCALAR_STRING, "" },
		{ TAG("str"), "true", true, SCALAR_STRING, "" },
		{ TAG("str"), "", true, SCALAR_STRING, "" },
		{ TAG("str"), "<<", true, SCALAR_STRING, "" },
		{ "!!str", "~", true, SCALAR_STRING, "" },
		{ TAG("float"), "1", true, SCALAR_FLOAT, "1" }, /* int text accepted as float */
		{ TAG("float"), "12345678", true, SCALAR_FLOAT, "1.2345678e+07" },
		{ TAG("float"), "0x10", true, SCALAR_FLOAT, "16" },
		{ TAG("float"), "1e3", true, SCALAR_FLOAT, "1000" },
		{ TAG("float"), ".inf", true, SCALAR_FLOAT, "+Inf" },
		{ TAG("float"), "08", true, SCALAR_FLOAT, "8" },
		{ TAG("float"), "18446744073709551615", false, SCALAR_STRING, "" }, /* a uint64 */
		{ TAG("float"), "abc", false, SCALAR_STRING, "" },
		{ TAG("null"), "~", true, SCALAR_NULL, "<nil>" },
		{ TAG("null"), "", true, SCALAR_NULL, "<nil>" },
		{ TAG("null"), "NULL", true, SCALAR_NULL, "<nil>" },
		{ TAG("null"), "0", false, SCALAR_STRING, "" },
		{ TAG("null"), "none", false, SCALAR_STRING, "" },
		{ TAG("timestamp"), "2001-12-14", true, SCALAR_TIMESTAMP, "2001-12-14T00:00:00Z" },
		{ TAG("timestamp"), "12", false, SCALAR_STRING, "" },
		{ TAG("timestamp"), "2001-02-30", false, SCALAR_STRING, "" },
		{ TAG("binary"), "aGVsbG8=", true, SCALAR_STRING, "" },
		{ TAG("binary"), "aGVs\nbG8=\n", true, SCALAR_STRING, "" },
		{ TAG("binary"), "aGk=", true, SCALAR_STRING, "" },
		{ TAG("binary"), "", true, SCALAR_STRING, "" },
		{ TAG("binary"), "aGVsbG8", false, SCALAR_STRING, "" }, /* StdEncoding wants '=' */
		{ TAG("binary"), "aGVs bG8=", false, SCALAR_STRING, "" },
		{ TAG("binary"), "aG==aGk=", false, SCALAR_STRING, "" },
		{ TAG("binary"), "a===", false, SCALAR_STRING, "" },
		{ TAG("merge"), "<<", true, SCALAR_MERGE, "<<" },
		{ TAG("merge"), "x", true, SCALAR_STRING, "" },
		{ TAG("seq"), "12", true, SCALAR_STRING, "" },
		{ TAG("map"), "12", true, SCALAR_STRING, "" },
		{ "!foo", "12", true, SCALAR_STRING, "" },
		{ "!foo", "true", true, SCALAR_STRING, "" },
		{ "tag:example.com,2000:app/int", "12", true, SCALAR_STRING, "" },
		{ "!", "12", true, SCALAR_INT, "12" }, /* yaml.v3 resolves a plain "!" scalar */
		{ "!", "<<", true, SCALAR_MERGE, "<<" },
		{ "", "true", true, SCALAR_BOOL, "true" },
		{ NULL, "0123", true, SCALAR_INT, "83" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct tagged_row *row = &rows[i];
		size_t len = strlen(row->text);
		char *copy = exact_copy(row->text, len);
		struct scalar_value v;
		bool ok = scalar_resolve_tagged(row->tag, copy, len, &v);

		free(copy);
		if (ok != row->ok || v.type != row->type ||
		    strcmp(v.canonical, row->canonical) != 0)
			fail_msg("tagged %s '%s': got %d %s '%s', want %d %s '%s'",
				 row->tag ? row->tag : "(null)", row->text, ok,
				 scalar_type_name(v.type), v.canonical, row->ok,
				 scalar_type_name(row->type), row->canonical);
	}
}

/* deployKF reads `enabled` with gomplate's conv.ToBool. */
static void test_truthiness(void **state)
{
	static const struct truthy_row rows[] = {
		{ "true", true },  { "True", true },  { "false", false }, { "1", true },
		{ "0x1", true },   { "01", true },    { "1.0", true },    { "1e0", true },
		{ "2", false },    { "0", false },    { "-1", false },    { "~", false },
		{ "null", false }, { "", false },     { ".inf", false },  { "2001-12-14", false },
		{ "<<", false },   { "yes", true },   { "YES", true },    { "Yes", true },
		{ "t", true },     { "T", true },     { "on", false },    { "On", false },
		{ "y", false },    { "Y", false },    { "no", false },    { "enabled", false },
		{ "tRue", true },  { "1,0", false },  { "1,", true },     { " 1", false },
		{ "0b1", true },   { "0x1p0", true }, { "1_0e-1", true }, { "1e", false },
	};
	struct scalar_value v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t len = strlen(rows[i].text);
		char *copy = exact_copy(rows[i].text, len);
		bool truthy;

		scalar_resolve_plain(copy, len, &v);
		truthy = scalar_is_truthy(&v, copy, len);
		free(copy);
		if (truthy != rows[i].truthy)
			fail_msg("truthy '%s' (%s): got %d", rows[i].text, scalar_type_name(v.type),
				 truthy);
	}
	/* a quoted "1.0" is a string, and still counts, as strToFloat64 parses it */
	v = (struct scalar_value){ .type = SCALAR_STRING };
	assert_true(scalar_is_truthy(&v, "1.0", 3));
	assert_false(scalar_is_truthy(&v, "1e999", 5));
	assert_false(scalar_is_truthy(&v, NULL, 0));
	assert_false(scalar_is_truthy(NULL, "true", 4));
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(scalar_type_name(SCALAR_NULL), "null");
	assert_string_equal(scalar_type_name(SCALAR_BOOL), "boolean");
	assert_string_equal(scalar_type_name(SCALAR_INT), "integer");
	assert_string_equal(scalar_type_name(SCALAR_FLOAT), "float");
	assert_string_equal(scalar_type_name(SCALAR_TIMESTAMP), "timestamp");
	assert_string_equal(scalar_type_name(SCALAR_STRING), "string");
	assert_string_equal(scalar_type_name(SCALAR_MERGE), "merge key");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_nulls),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_strings_and_merge),
		cmocka_unit_test(test_length_is_the_truth),
		cmocka_unit_test(test_tagged),
		cmocka_unit_test(test_truthiness),
		cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

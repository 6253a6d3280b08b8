/*
 * test_utf8.c - the one UTF-8 decoder: well-formed sequences of every length
 * give their code point; overlong forms, surrogates, values above U+10FFFF,
 * cut sequences and stray bytes give 0 (escaped by strbuf, U+FFFD to names).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "utf8.h"

static size_t decode(const char *s, size_t len, uint32_t *code)
{
	return utf8_decode((const unsigned char *)s, len, code);
}

static void test_well_formed(void **state)
{
	(void)state;
	uint32_t c = 0;
	assert_int_equal(decode("a", 1, &c), 1);
	assert_int_equal(c, 'a');
	assert_int_equal(decode("\xc2\x85", 2, &c), 2); /* NEL */
	assert_int_equal(c, 0x85);
	assert_int_equal(decode("\xe2\x80\xa8", 3, &c), 3); /* LS */
	assert_int_equal(c, 0x2028);
	assert_int_equal(decode("\xf0\x9f\x98\x80", 4, &c), 4);
	assert_int_equal(c, 0x1f600);
	assert_int_equal(decode("\xf4\x8f\xbf\xbf", 4, &c), 4);
	assert_int_equal(c, 0x10ffff);
}

static void test_ill_formed(void **state)
{
	(void)state;
	uint32_t c = 7;
	assert_int_equal(decode("\xc0\xaf", 2, &c), 0);         /* overlong '/' */
	assert_int_equal(decode("\xe0\x80\xaf", 3, &c), 0);     /* overlong */
	assert_int_equal(decode("\xed\xa0\x80", 3, &c), 0);     /* a surrogate */
	assert_int_equal(decode("\xf4\x90\x80\x80", 4, &c), 0); /* above U+10FFFF */
	assert_int_equal(decode("\xe2\x80", 2, &c), 0);         /* cut */
	assert_int_equal(decode("\xe2\x28\xa1", 3, &c), 0);     /* not a continuation */
	assert_int_equal(decode("\x80", 1, &c), 0);             /* stray */
	assert_int_equal(decode("\xff", 1, &c), 0);
	assert_int_equal(c, 7); /* untouched */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_formed),
		cmocka_unit_test(test_ill_formed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "explain.h"

/* `dkfpolicy explain` must have something useful to say about every code:
 * a title, a help text, and a before/after example that differ. */
static void test_every_code_is_explained(void **state)
{
	(void)state;
	for (size_t i = 0; i < DIAG_CODE_COUNT; i++) {
		const struct diag_info *d = diag_info((enum diag_code)i);
		const struct diag_example *ex = explain_example((enum diag_code)i);
		char what[64];
		snprintf(what, sizeof(what), "%s", d->code);
		assert_non_null(ex);
		if (!ex->before || !ex->after)
			fail_msg("%s has no before/after example in src/diag_examples.def", what);
		if (strlen(ex->before) == 0 || strlen(ex->after) == 0 ||
		    strcmp(ex->before, ex->after) == 0)
			fail_msg("%s: the example's before and after must differ", what);
		if (strlen(d->help) < 40)
			fail_msg("%s: the help text is too short to explain anything", what);
	}
}

/* Names are what users type after `explain` and into suppressions: unique,
 * kebab-case, and the code's number is stable. */
static void test_names_are_unique_kebab_case(void **state)
{
	(void)state;
	for (size_t i = 0; i < DIAG_CODE_COUNT; i++) {
		const struct diag_info *d = diag_info((enum diag_code)i);
		assert_int_equal(strlen(d->code), 6);
		assert_int_equal(strncmp(d->code, "DKF", 3), 0);
		assert_true(strspn(d->name, "abcdefghijklmnopqrstuvwxyz0123456789-") ==
			    strlen(d->name));
		for (size_t j = i + 1; j < DIAG_CODE_COUNT; j++) {
			assert_string_not_equal(d->name, diag_info((enum diag_code)j)->name);
			assert_string_not_equal(d->code, diag_info((enum diag_code)j)->code);
		}
	}
}

static void test_lookup_by_code_or_name(void **state)
{
	(void)state;
	enum diag_code code;
	assert_true(diag_lookup("DKF301", &code));
	assert_int_equal(code, DKF301);
	assert_true(diag_lookup("dkf301", &code));
	assert_int_equal(code, DKF301);
	assert_true(diag_lookup("dropped-default-exclude", &code));
	assert_int_equal(code, DKF301);
	assert_true(diag_lookup("misspelled-path-key", &code));
	assert_int_equal(code, DKF213);
	assert_false(diag_lookup("DKF999", &code));
	assert_false(diag_lookup("no-such-rule", &code));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code_is_explained),
		cmocka_unit_test(test_names_are_unique_kebab_case),
		cmocka_unit_test(test_lookup_by_code_or_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

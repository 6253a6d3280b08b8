/*
 * Unit tests for nsmatch.c (which namespaces the policy excludes, and why)
 * and kdoc.c (manifests read and written back unchanged but for our edits).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "kdoc.h"
#include "names.h"
#include "nsmatch.h"
#include "policy.h"
#include "strbuf.h"

static const char *excluded[] = { "team-?", "*-sandbox-*", "kyv*", "kyverno", "argocd" };

static struct policy make_policy(void)
{
	struct policy p;
	memset(&p, 0, sizeof(p));
	p.version = DKF_V0_1_5;
	p.kyverno_namespace = "kyverno";
	p.excluded = excluded;
	p.excluded_count = sizeof(excluded) / sizeof(excluded[0]);
	return p;
}

struct row {
	const char *ns;
	enum nsmatch_reason reason;
	const char *pattern;
};

static const struct row rows[] = {
	{ "team-1", NSMATCH_PATTERN, "team-?" },
	{ "team-12", NSMATCH_INCLUDED, NULL },
	{ "a-sandbox-b", NSMATCH_PATTERN, "*-sandbox-*" },
	{ "sandbox", NSMATCH_INCLUDED, NULL },
	/* the kyverno namespace wins over an earlier pattern that also matches */
	{ "kyverno", NSMATCH_KYVERNO_NAMESPACE, NULL },
	/* the first matching pattern is named */
	{ "kyvernox", NSMATCH_PATTERN, "kyv*" },
	{ "argocd", NSMATCH_PATTERN, "argocd" },
	{ "Argocd", NSMATCH_INCLUDED, NULL },
	{ "default", NSMATCH_INCLUDED, NULL },
};

static void test_classify(void **state)
{
	(void)state;
	struct policy p = make_policy();
	struct nsmatch m;
	nsmatch_init(&m, &p);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *pattern;
		enum nsmatch_reason r =
			nsmatch_classify(&m, rows[i].ns, strlen(rows[i].ns), &pattern);
		if (r != rows[i].reason || (rows[i].pattern == NULL) != (pattern == NULL) ||
		    (pattern && strcmp(pattern, rows[i].pattern) != 0))
			fail_msg("'%s': got reason %d pattern %s", rows[i].ns, (int)r,
				 pattern ? pattern : "(none)");
	}
	nsmatch_release(&m);
}

static void test_clone_name(void **state)
{
	(void)state;
	char buf[NSMATCH_CLONE_NAME_MAX];
	nsmatch_clone_name(12, buf, sizeof(buf));
	assert_string_equal(buf, "cloned--image-pull-secret-12");
}

static const struct yparse_limits limits = { 64, 1000, 0 };

static void parse(struct arena *arena, struct diag_list *diags, const char *text,
		  struct kdoc_file *out)
{
	kdoc_parse("t.yaml", text, strlen(text), &limits, arena, diags, out);
}

static void test_round_trip_keeps_styles(void **state)
{
	(void)state;
	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct kdoc_file f;
	parse(&arena, &diags,
	      "a: yes\nb: 'yes'\nc: !!str 3\nd: |\n  x\n  y\n---\n---\ne: [1, {f: g}]\n", &f);
	assert_false(f.failed);
	assert_int_equal(f.count, 3);
	assert_null(f.docs[1].root); /* the empty document */
	struct strbuf out;
	strbuf_init(&out);
	assert_int_equal(kdoc_emit(f.docs, f.count, &out), 0);
	assert_string_equal(out.buf, "---\na: yes\nb: \"yes\"\nc: !!str 3\nd: |\n  x\n  y\n"
				     "---\ne:\n- 1\n- f: g\n");
	strbuf_release(&out);
	diag_list_release(&diags);
	arena_free(&arena);
}

static void test_aliases_are_budgeted(void **state)
{
	(void)state;
	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct kdoc_file f;
	/* each level doubles: 2^12 values reached through aliases > 1000 */
	struct strbuf text;
	strbuf_init(&text);
	strbuf_adds(&text, "a0: &a0 [x, x]\n");
	for (int i = 1; i <= 12; i++)
		strbuf_addf(&text, "a%d: &a%d [*a%d, *a%d]\n", i, i, i - 1, i - 1);
	parse(&arena, &diags, text.buf, &f);
	assert_true(f.failed);
	assert_int_equal(diags.count, 1);
	assert_int_equal(diags.items[0].code, DKF110);
	strbuf_release(&text);
	diag_list_release(&diags);
	arena_free(&arena);
}

static void test_depth_is_budgeted(void **state)
{
	(void)state;
	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct kdoc_file f;
	char deep[200];
	memset(deep, '[', 100);
	deep[100] = '\0';
	parse(&arena, &diags, deep, &f);
	assert_true(f.failed);
	assert_int_equal(diags.items[0].code, DKF109);
	diag_list_release(&diags);
	arena_free(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_clone_name),
		cmocka_unit_test(test_round_trip_keeps_styles),
		cmocka_unit_test(test_aliases_are_budgeted),
		cmocka_unit_test(test_depth_is_budgeted),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	names_release();
	return rc;
}

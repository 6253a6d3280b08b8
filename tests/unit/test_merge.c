/*
 * test_merge.c - stacking values files as `deploykf generate -f a -f b` does: maps merge
 * key by key, lists, scalars and null replace, and every value keeps the file and line
 * that set it, so diagnostics point at the layer that won.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "load_helpers.h"
#include "merge.h"

#define KY    "deploykf_dependencies.kyverno"
#define BLOCK KY ".clusterPolicies.imagePullSecrets"

struct stack2 {
	struct arena arena;
	struct diag_list diags;
	struct node *lower, *upper, *merged;
};

static void merge_texts(struct stack2 *s, const char *lower, const char *upper)
{
	struct yparse_limits limits = { YPARSE_DEFAULT_MAX_DEPTH, YPARSE_DEFAULT_MAX_ALIAS_NODES,
					0 };
	int rc;
	arena_init(&s->arena);
	diag_list_init(&s->diags, &s->arena);
	s->lower =
		lower ? load_into(&s->arena, &s->diags, "lower.yaml", lower, &limits, &rc) : NULL;
	if (lower)
		assert_int_equal(rc, 0);
	s->upper =
		upper ? load_into(&s->arena, &s->diags, "upper.yaml", upper, &limits, &rc) : NULL;
	if (upper)
		assert_int_equal(rc, 0);
	expect_no_diags(&s->diags);
	s->merged = merge_layers(&s->arena, s->lower, s->upper);
}

static void stack2_free(struct stack2 *s)
{
	diag_list_release(&s->diags);
	arena_free(&s->arena);
}

static const char *const lower_text = "deploykf_dependencies:\n"
				      "  kyverno:\n"
				      "    namespace: kyverno\n"
				      "    clusterPolicies:\n"
				      "      imagePullSecrets:\n"
				      "        enabled: false\n"
				      "        excludeNamespaces: [argocd, kube-system]\n"
				      "        registryCredentials: []\n";

static void test_maps_merge_deeply(void **state)
{
	(void)state;
	struct stack2 s;
	merge_texts(&s, lower_text,
		    "deploykf_dependencies:\n"
		    "  kyverno:\n"
		    "    clusterPolicies:\n"
		    "      imagePullSecrets:\n"
		    "        enabled: true\n");
	/* the upper layer's value wins ... */
	const struct node *enabled = node_at(s.merged, BLOCK ".enabled");
	assert_true(enabled->value_boolean);
	assert_string_equal(enabled->mark.file, "upper.yaml");
	assert_int_equal(enabled->mark.line, 5);
	assert_int_equal(enabled->mark.col, 18);
	/* ... and the keys only the lower layer has stay, with their own marks */
	const struct node *excl = node_at(s.merged, BLOCK ".excludeNamespaces");
	assert_non_null(excl);
	assert_string_equal(excl->mark.file, "lower.yaml");
	assert_int_equal(excl->count, 2);
	assert_string_equal(text_at(s.merged, KY ".namespace"), "kyverno");
	assert_non_null(node_at(s.merged, BLOCK ".registryCredentials"));
	/* the inputs are not changed */
	assert_false(node_at(s.lower, BLOCK ".enabled")->value_boolean);
	assert_null(node_at(s.upper, BLOCK ".excludeNamespaces"));
	/* key order: lower's keys first, then keys new in upper */
	const struct node *block = node_at(s.merged, BLOCK);
	assert_int_equal(block->count, 3);
	assert_string_equal(block->pairs[0].key->text, "enabled");
	stack2_free(&s);
}

struct replace_row {
	const char *what;
	const char *upper_value; /* written as `        excludeNamespaces: <value>` */
	enum node_kind kind;
	size_t count; /* for a list */
	bool is_null;
};

static const struct replace_row replace_rows[] = {
	{ "a list replaces a list, not appends", "[only-this]", NODE_SEQ, 1, false },
	{ "an empty list replaces a list", "[]", NODE_SEQ, 0, false },
	{ "a scalar replaces a list", "argocd", NODE_SCALAR, 0, false },
	{ "null replaces a list", "~", NODE_SCALAR, 0, true },
	{ "an empty value is null and replaces", "", NODE_SCALAR, 0, true },
	{ "a map replaces a list", "{a: 1}", NODE_MAP, 1, false },
};

static void test_lists_scalars_and_null_replace(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof replace_rows / sizeof replace_rows[0]; i++) {
		const struct replace_row *row = &replace_rows[i];
		char upper[512];
		snprintf(upper, sizeof upper,
			 "deploykf_dependencies:\n"
			 "  kyverno:\n"
			 "    clusterPolicies:\n"
			 "      imagePullSecrets:\n"
			 "        excludeNamespaces: %s\n",
			 row->upper_value);
		struct stack2 s;
		merge_texts(&s, lower_text, upper);
		print_message("# %s\n", row->what);
		const struct node *v = node_at(s.merged, BLOCK ".excludeNamespaces");
		assert_non_null(v);
		assert_int_equal(v->kind, row->kind);
		assert_string_equal(v->mark.file, "upper.yaml");
		if (row->kind != NODE_SCALAR)
			assert_int_equal(v->count, row->count);
		assert_int_equal(node_is_null(v), row->is_null);
		stack2_free(&s);
	}
}

static void test_map_replaces_scalar_and_back(void **state)
{
	(void)state;
	struct stack2 s;
	merge_texts(&s, "deploykf_dependencies: off\n", lower_text);
	assert_non_null(node_at(s.merged, BLOCK ".enabled"));
	stack2_free(&s);

	merge_texts(&s, lower_text, "deploykf_dependencies: ~\n");
	assert_true(node_is_null(node_at(s.merged, "deploykf_dependencies")));
	stack2_free(&s);
}

static void test_null_layers(void **state)
{
	(void)state;
	struct stack2 s;
	merge_texts(&s, lower_text, NULL); /* an empty upper file changes nothing */
	assert_ptr_equal(s.merged, s.lower);
	stack2_free(&s);

	merge_texts(&s, NULL, lower_text);
	assert_ptr_equal(s.merged, s.upper);
	stack2_free(&s);

	merge_texts(&s, "# nothing\n", "");
	assert_null(s.merged);
	stack2_free(&s);
}

static void test_streamed_past_values_stay_streamed(void **state)
{
	(void)state;
	struct stack2 s;
	merge_texts(&s, "istio: {a: 1}\nargocd: {namespace: argocd}\n",
		    "istio: {b: 2}\nargocd: {namespace: argo-cd}\n");
	/* an unrelated top-level key is dropped at load; a near-miss of the path
	 * is kept with no value, and the upper layer's key wins */
	assert_null(pair_at(s.merged, "istio"));
	stack2_free(&s);
	merge_texts(&s, "kyvern0: {a: 1}\nargocd: {namespace: argocd}\n",
		    "kyvern0: {b: 2}\nargocd: {namespace: argo-cd}\n");
	const struct node_pair *p = pair_at(s.merged, "kyvern0");
	assert_non_null(p);
	assert_null(p->value);
	assert_string_equal(p->key->mark.file, "upper.yaml");
	assert_string_equal(text_at(s.merged, "argocd.namespace"), "argo-cd");
	stack2_free(&s);
}

static void test_three_layers(void **state)
{
	(void)state;
	struct stack2 s;
	merge_texts(&s, lower_text,
		    "deploykf_dependencies:\n"
		    "  kyverno:\n"
		    "    clusterPolicies:\n"
		    "      imagePullSecrets: {enabled: true}\n");
	struct yparse_limits limits = { YPARSE_DEFAULT_MAX_DEPTH, YPARSE_DEFAULT_MAX_ALIAS_NODES,
					0 };
	int rc;
	struct node *third =
		load_into(&s.arena, &s.diags, "third.yaml",
			  "deploykf_dependencies: {kyverno: {namespace: kyv}}\n", &limits, &rc);
	assert_int_equal(rc, 0);
	struct node *all = merge_layers(&s.arena, s.merged, third);
	assert_string_equal(node_at(all, KY ".namespace")->mark.file, "third.yaml");
	assert_string_equal(node_at(all, BLOCK ".enabled")->mark.file, "upper.yaml");
	assert_string_equal(node_at(all, BLOCK ".excludeNamespaces")->mark.file, "lower.yaml");
	assert_true(node_at(all, BLOCK)->mark.is_public);
	stack2_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maps_merge_deeply),
		cmocka_unit_test(test_lists_scalars_and_null_replace),
		cmocka_unit_test(test_map_replaces_scalar_and_back),
		cmocka_unit_test(test_null_layers),
		cmocka_unit_test(test_streamed_past_values_stay_streamed),
		cmocka_unit_test(test_three_layers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

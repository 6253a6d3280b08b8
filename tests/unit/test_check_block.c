/*
 * test_check_block.c - reading and checking the imagePullSecrets block (check_block.c) and the
 * warnings about legal but risky settings (check_risk.c): every DKF2xx/DKF3xx code with the
 * position a user must edit, and the policy deployKF would render from a valid block.
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
#include "policy.h"
#include "check_risk.h"

#define PATH_TO_BLOCK                                                                              \
	"deploykf_dependencies:\n"                                                                 \
	"  kyverno:\n"                                                                             \
	"    clusterPolicies:\n"                                                                   \
	"      imagePullSecrets:\n"
/* the first line of a block body written after PATH_TO_BLOCK */
enum { BODY = 5 };

struct checked {
	struct loaded l;
	struct ips_config config;
};

/* Load one file, read the block and run the risk checks with deployKF's default
 * expected exclusions. */
static void check_text(struct checked *c, const char *text)
{
	load_text(&c->l, text);
	if (c->l.rc != 0) {
		dump_diags(&c->l.diags);
		fail_msg("the loader refused:\n%s", text);
	}
	check_block(c->l.root, &c->l.arena, &c->l.diags, &c->config);
	struct check_risk_options options = { risk_default_excludes, risk_default_exclude_count,
					      "deployKF defaults" };
	check_risk(&c->config, &options, &c->l.diags);
}

static void checked_free(struct checked *c)
{
	loaded_free(&c->l);
}

struct code_row {
	const char *what;
	const char *text;
	enum diag_code code;
	unsigned line, col;
	/* config.unrenderable: the error dropped a setting deployKF would render */
	bool unrenderable;
};

#define B(body) PATH_TO_BLOCK body
#define CRED    "        registryCredentials: [{existingSecret: creds}]\n"
#define ON      "        enabled: true\n"

static const struct code_row code_rows[] = {
	/* DKF201 */
	{ "credential without existingSecret",
	  B(ON "        registryCredentials:\n          - existingSecretNamespace: ns\n"), DKF201,
	  BODY + 2, 13, true },
	{ "empty existingSecret", B(ON "        registryCredentials: [{existingSecret: \"\"}]\n"),
	  DKF201, BODY + 1, 48, true },
	{ "null existingSecret", B(ON "        registryCredentials: [{existingSecret: ~}]\n"),
	  DKF201, BODY + 1, 48, true },
	/* DKF202 */
	{ "kyverno is a list", "deploykf_dependencies:\n  kyverno: [a]\n", DKF202, 2, 12, true },
	{ "deploykf_dependencies is a string", "deploykf_dependencies: yes\n", DKF202, 1, 24,
	  true },
	{ "imagePullSecrets is null",
	  "deploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n"
	  "      imagePullSecrets:\n",
	  DKF202, 4, 24, true },
	{ "existingSecret is a list",
	  B(ON "        registryCredentials: [{existingSecret: [a]}]\n"), DKF202, BODY + 1, 48,
	  true },
	{ "existingSecretNamespace is a map",
	  B(ON "        registryCredentials:\n          - existingSecret: a\n"
	       "            existingSecretNamespace: {a: 1}\n"),
	  DKF202, BODY + 3, 38, true },
	/* DKF203 */
	{ "registryCredentials is a map",
	  B(ON "        registryCredentials: {existingSecret: a}\n"), DKF203, BODY + 1, 30, true },
	{ "registryCredentials is null: points at the key", B(ON "        registryCredentials:\n"),
	  DKF203, BODY + 1, 9, true },
	/* DKF204 */
	{ "credential is a plain name",
	  B(ON "        registryCredentials:\n          - my-creds\n"), DKF204, BODY + 2, 13,
	  true },
	/* DKF205 */
	{ "excludeNamespaces is null: points at the key", B(CRED "        excludeNamespaces:\n"),
	  DKF205, BODY + 1, 9, true },
	{ "excludeNamespaces is a string", B(CRED "        excludeNamespaces: argocd\n"), DKF205,
	  BODY + 1, 28, true },
	/* DKF206 */
	{ "unknown key in the block", B(CRED "        excludeNamespace: []\n"), DKF206, BODY + 1, 9,
	  false },
	{ "unknown key in a credential",
	  B(ON "        registryCredentials:\n          - existingSecret: a\n"
	       "            existingSecretNamespce: ns\n"),
	  DKF206, BODY + 3, 13, false },
	/* DKF207 */
	{ "octal secret name", B(ON "        registryCredentials: [{existingSecret: 0123}]\n"),
	  DKF207, BODY + 1, 48, true },
	{ "date as namespace",
	  B(ON
	    "        registryCredentials: [{existingSecret: a, existingSecretNamespace: 2001-12-14}]\n"),
	  DKF207, BODY + 1, 76, true },
	{ "plain true in excludes",
	  B(CRED "        excludeNamespaces: [argocd, kube-system, true]\n"), DKF207, BODY + 1, 50,
	  true },
	{ "tagged !!int secret",
	  B(ON "        registryCredentials: [{existingSecret: !!int 12}]\n"), DKF207, BODY + 1, 48,
	  true },
	/* DKF208 */
	{ "upper-case secret name",
	  B(ON "        registryCredentials: [{existingSecret: My_Creds}]\n"), DKF208, BODY + 1, 48,
	  false },
	/* DKF209 */
	{ "dotted namespace",
	  B(ON
	    "        registryCredentials: [{existingSecret: a, existingSecretNamespace: a.b}]\n"),
	  DKF209, BODY + 1, 76, false },
	{ "empty kyverno namespace", "deploykf_dependencies:\n  kyverno:\n    namespace: \"\"\n",
	  DKF209, 3, 16, true },
	{ "null kyverno namespace points at the key",
	  "deploykf_dependencies:\n  kyverno:\n    namespace:\n", DKF209, 3, 5, true },
	{ "NUL in a secret name",
	  B(ON "        registryCredentials: [{existingSecret: \"ab\\0c\"}]\n"), DKF208, BODY + 1,
	  48, true },
	{ "NUL in a namespace",
	  B(ON
	    "        registryCredentials: [{existingSecret: a, existingSecretNamespace: \"n\\0\"}]\n"),
	  DKF209, BODY + 1, 76, true },
	/* DKF210 */
	{ "regex in excludes",
	  B(CRED "        excludeNamespaces: [argocd, kube-system, \"[a-z]+\"]\n"), DKF210,
	  BODY + 1, 50, true },
	{ "upper case in excludes",
	  B(CRED "        excludeNamespaces: [argocd, kube-system, Team]\n"), DKF210, BODY + 1, 50,
	  true },
	{ "NUL in excludes", B(CRED "        excludeNamespaces: [argocd, kube-system, \"t\\0\"]\n"),
	  DKF210, BODY + 1, 50, true },
	/* DKF211 (info) */
	{ "plain no as secret name", B(ON "        registryCredentials: [{existingSecret: no}]\n"),
	  DKF211, BODY + 1, 48, false },
	/* DKF212 */
	{ "enabled is a list", B("        enabled: [true]\n"), DKF212, BODY, 18, false },
	/* DKF301 */
	{ "excludes drop argocd", B(CRED "        excludeNamespaces: [kube-system]\n"), DKF301,
	  BODY + 1, 9, false },
	/* DKF302 */
	{ "enabled without credentials", B(ON "        registryCredentials: []\n"), DKF302,
	  BODY + 1, 9, false },
	{ "enabled, credentials not set: points at enabled", B(ON), DKF302, BODY, 18, false },
	/* DKF303 */
	{ "credentials but disabled", B("        enabled: false\n" CRED), DKF303, BODY, 18, false },
	{ "credentials, enabled not set: points at the list", B(CRED), DKF303, BODY, 9, false },
	/* DKF304 */
	{ "enabled: on", B("        enabled: on\n" CRED), DKF304, BODY, 18, false },
	{ "enabled: \"y\"", B("        enabled: \"y\"\n" CRED), DKF304, BODY, 18, false },
	/* DKF305 */
	{ "kyverno in excludes",
	  B(ON CRED "        excludeNamespaces: [argocd, kube-system, kyverno]\n"), DKF305,
	  BODY + 2, 50, false },
	/* DKF306 */
	{ "duplicate exclude",
	  B(ON CRED "        excludeNamespaces: [argocd, kube-system, argocd]\n"), DKF306, BODY + 2,
	  50, false },
	/* DKF307 */
	{ "same secret twice, once with the default namespace spelt out",
	  B(ON "        registryCredentials:\n          - existingSecret: a\n"
	       "          - {existingSecret: a, existingSecretNamespace: kyverno}\n"),
	  DKF307, BODY + 3, 13, false },
};

static bool code_row_holds(const struct code_row *row)
{
	struct checked c;
	bool ok = false;
	check_text(&c, row->text);
	for (size_t i = 0; i < c.l.diags.count; i++) {
		const struct diag *d = &c.l.diags.items[i];
		if (d->code == row->code && d->at.line == row->line && d->at.col == row->col)
			ok = true;
	}
	if (c.config.unrenderable != row->unrenderable)
		ok = false;
	if (!ok) {
		print_error("%s: want %s at %u:%u (unrenderable %d), got unrenderable %d and\n",
			    row->what, diag_info(row->code)->code, row->line, row->col,
			    row->unrenderable, c.config.unrenderable);
		dump_diags(&c.l.diags);
	}
	checked_free(&c);
	return ok;
}

static void test_each_code_with_its_position(void **state)
{
	(void)state;
	size_t failed = 0;
	for (size_t i = 0; i < sizeof code_rows / sizeof code_rows[0]; i++)
		if (!code_row_holds(&code_rows[i]))
			failed++;
	assert_int_equal(failed, 0);
}

static void test_valid_block_is_clean(void **state)
{
	(void)state;
	struct checked c;
	check_text(&c, B(ON "        excludeNamespaces: [argocd, kube-system, \"team-*\", \"t?\"]\n"
			    "        registryCredentials:\n"
			    "          - existingSecret: creds\n"
			    "          - existingSecret: \"ghcr.io-creds\"\n"
			    "            existingSecretNamespace: \"no\"\n"));
	expect_no_diags(&c.l.diags);
	assert_false(c.config.unrenderable);
	assert_true(ips_config_renders(&c.config));
	assert_int_equal(c.config.credential_count, 2);
	assert_string_equal(c.config.credentials[1].source_namespace, "no");
	checked_free(&c);
}

static void test_no_block_no_findings(void **state)
{
	(void)state;
	struct checked c;
	check_text(&c, "argocd: {namespace: argocd}\n");
	expect_no_diags(&c.l.diags);
	assert_null(c.config.block);
	assert_false(ips_config_renders(&c.config));
	checked_free(&c);
}

static void test_unknown_key_suggests(void **state)
{
	(void)state;
	struct checked c;
	check_text(&c, B(ON "        registryCredentials:\n          - existingSecret: a\n"
			    "            existingSecretNamespce: ns\n"));
	const struct diag *d = find_code(&c.l.diags, DKF206);
	assert_non_null(strstr(d->message, "did you mean 'existingSecretNamespace'"));
	checked_free(&c);
}

static void test_duplicate_notes_point_at_the_first(void **state)
{
	(void)state;
	struct checked c;
	check_text(&c, B(ON CRED "        excludeNamespaces:\n"
				 "          - argocd\n"
				 "          - kube-system\n"
				 "          - argocd\n"));
	const struct diag *d = expect_diag(&c.l.diags, DKF306, BODY + 5, 13);
	assert_non_null(d->note);
	assert_int_equal(d->note_at.line, BODY + 3);
	assert_int_equal(d->note_at.col, 13);
	checked_free(&c);
}

/* Repeats of two different credentials, interleaved: each repeat names the
 * first credential equal to it, and a Secret of the same name from another
 * namespace is no repeat. */
static void test_repeated_credentials_name_their_first(void **state)
{
	(void)state;
	struct checked c;
	check_text(&c, B(ON "        registryCredentials:\n"
			    "          - {existingSecret: s, existingSecretNamespace: a}\n"
			    "          - {existingSecret: s, existingSecretNamespace: b}\n"
			    "          - {existingSecret: s, existingSecretNamespace: a}\n"
			    "          - {existingSecret: s, existingSecretNamespace: b}\n"
			    "          - {existingSecret: s, existingSecretNamespace: a}\n"
			    "          - {existingSecret: s}\n"));
	/* the repeat on each line, and the line of the credential it repeats
	 * (diagnostics are put in order only when reported) */
	unsigned first_of[BODY + 8] = { 0 };
	size_t found = 0;
	for (size_t i = 0; i < c.l.diags.count; i++) {
		const struct diag *d = &c.l.diags.items[i];
		if (d->code != DKF307)
			continue;
		assert_true(d->at.line < BODY + 8);
		first_of[d->at.line] = d->note_at.line;
		found++;
	}
	assert_int_equal(found, 3);
	assert_int_equal(first_of[BODY + 4], BODY + 2);
	assert_int_equal(first_of[BODY + 5], BODY + 3);
	assert_int_equal(first_of[BODY + 6], BODY + 2);
	checked_free(&c);
}

/* A later file that only enables the policy must not be blamed for the defaults'
 * exclusions, and the warning about a disabled policy points at the user's file. */
static void test_risk_in_a_stack(void **state)
{
	(void)state;
	struct yparse_limits limits = { YPARSE_DEFAULT_MAX_DEPTH, YPARSE_DEFAULT_MAX_ALIAS_NODES,
					0 };
	struct arena arena;
	struct diag_list diags;
	int rc;
	arena_init(&arena);
	diag_list_init(&diags, &arena);
	static const char defaults_name[] = "deployKF defaults";
	struct node *defaults = load_into(&arena, &diags, defaults_name,
					  B("        enabled: false\n"
					    "        excludeNamespaces: [argocd, kube-system]\n"
					    "        registryCredentials: []\n"),
					  &limits, &rc);
	struct node *user = load_into(&arena, &diags, "values.yaml", B(CRED), &limits, &rc);
	struct node *merged = merge_layers(&arena, defaults, user);
	struct ips_config config;
	check_block(merged, &arena, &diags, &config);
	struct check_risk_options options = { risk_default_excludes, risk_default_exclude_count,
					      defaults_name };
	check_risk(&config, &options, &diags);
	assert_int_equal(count_code(&diags, DKF301), 0);
	const struct diag *d = expect_diag(&diags, DKF303, BODY, 9);
	assert_string_equal(d->at.file, "values.yaml"); /* not into deployKF's defaults */
	assert_int_equal(diags.count, 1);
	diag_list_release(&diags);
	arena_free(&arena);
}

/* ---- ips_config_to_policy ----------------------------------------------------------------- */

static void policy_of(struct checked *c, const char *text, struct policy *p)
{
	check_text(c, text);
	assert_false(c->config.unrenderable);
	ips_config_to_policy(&c->config, DKF_VERSION_DEFAULT, &c->l.arena, p);
}

static void expect_excluded(const struct policy *p, const char *const *want, size_t count)
{
	for (size_t i = 0; i < p->excluded_count; i++)
		print_message("  excluded[%zu] = %s\n", i, p->excluded[i]);
	assert_int_equal(p->excluded_count, count);
	for (size_t i = 0; i < count; i++)
		assert_string_equal(p->excluded[i], want[i]);
}

static void test_exclude_list_order_and_dedup(void **state)
{
	(void)state;
	struct checked c;
	struct policy p;
	policy_of(&c, B(ON CRED "        excludeNamespaces: [b, argocd, kube-system, b, a]\n"), &p);
	static const char *const want1[] = { "b", "argocd", "kube-system", "a", "kyverno" };
	expect_excluded(&p, want1, 5);
	checked_free(&c);

	/* kyverno listed by the user keeps the user's position */
	policy_of(&c, B(ON CRED "        excludeNamespaces: [kyverno, argocd, kube-system]\n"), &p);
	static const char *const want2[] = { "kyverno", "argocd", "kube-system" };
	expect_excluded(&p, want2, 3);
	checked_free(&c);

	/* an empty list leaves only the kyverno namespace; a custom one is used */
	policy_of(&c,
		  "deploykf_dependencies:\n  kyverno:\n    namespace: kyv\n"
		  "    clusterPolicies:\n      imagePullSecrets:\n"
		  "        enabled: true\n        excludeNamespaces: []\n"
		  "        registryCredentials: [{existingSecret: a}]\n",
		  &p);
	static const char *const want3[] = { "kyv" };
	expect_excluded(&p, want3, 1);
	assert_string_equal(p.kyverno_namespace, "kyv");
	assert_string_equal(p.credentials[0].source_namespace, "kyv");
	checked_free(&c);
}

static void test_source_namespace_fallback(void **state)
{
	(void)state;
	struct checked c;
	struct policy p;
	policy_of(&c,
		  B(ON "        registryCredentials:\n"
		       "          - existingSecret: missing-ns\n"
		       "          - {existingSecret: empty-ns, existingSecretNamespace: \"\"}\n"
		       "          - {existingSecret: null-ns, existingSecretNamespace: ~}\n"
		       "          - {existingSecret: own-ns, existingSecretNamespace: registry}\n"),
		  &p);
	assert_int_equal(p.credential_count, 4);
	static const char *const names[] = { "missing-ns", "empty-ns", "null-ns", "own-ns" };
	static const char *const namespaces[] = { "kyverno", "kyverno", "kyverno", "registry" };
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(p.credentials[i].secret_name, names[i]);
		assert_string_equal(p.credentials[i].source_namespace, namespaces[i]);
	}
	checked_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_code_with_its_position),
		cmocka_unit_test(test_valid_block_is_clean),
		cmocka_unit_test(test_no_block_no_findings),
		cmocka_unit_test(test_unknown_key_suggests),
		cmocka_unit_test(test_duplicate_notes_point_at_the_first),
		cmocka_unit_test(test_repeated_credentials_name_their_first),
		cmocka_unit_test(test_risk_in_a_stack),
		cmocka_unit_test(test_exclude_list_order_and_dedup),
		cmocka_unit_test(test_source_namespace_fallback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

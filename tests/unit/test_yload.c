/*
 * test_yload.c - what the loader builds from a values file and what it refuses, the
 * way deployKF's YAML parser (Go yaml.v3) would: the path to the block is built,
 * everything else is streamed past; anchors and `<<` merges work as in yaml.v3; every
 * refusal has its code and a 1-based position a user can jump to.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_helpers.h"
#include "strbuf.h"

#define BLOCK "deploykf_dependencies.kyverno.clusterPolicies.imagePullSecrets"

/* ---- what is built ------------------------------------------------------------------- */

static const char *const typical = "argocd:\n"                                  /* 1 */
				   "  namespace: argo\n"                        /* 2 */
				   "  secret: hunter2\n"                        /* 3 */
				   "istio:\n"                                   /* 4 */
				   "  deep: {a: [1, 2, {b: c}]}\n"              /* 5 */
				   "deploykf_dependencies:\n"                   /* 6 */
				   "  cert_manager:\n"                          /* 7 */
				   "    enabled: true\n"                        /* 8 */
				   "  kyverno:\n"                               /* 9 */
				   "    namespace: kyv\n"                       /* 10 */
				   "    clusterPolicies:\n"                     /* 11 */
				   "      other: {x: 1}\n"                      /* 12 */
				   "      imagePullSecrets:\n"                  /* 13 */
				   "        enabled: true\n"                    /* 14 */
				   "        registryCredentials:\n"             /* 15 */
				   "          - existingSecret: \"creds\"\n"    /* 16 */
				   "            existingSecretNamespace: ns\n"; /* 17 */

static void test_wanted_path_is_built(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, typical);
	assert_int_equal(l.rc, 0);
	expect_no_diags(&l.diags);
	assert_non_null(l.root);
	assert_int_equal(l.root->kind, NODE_MAP);

	const struct node *block = node_at(l.root, BLOCK);
	assert_non_null(block);
	assert_int_equal(block->kind, NODE_MAP);
	assert_int_equal(block->mark.line, 14); /* a block map starts at its first key */
	assert_int_equal(block->mark.col, 9);
	assert_true(block->mark.is_public);

	const struct node *enabled = node_at(l.root, BLOCK ".enabled");
	assert_non_null(enabled);
	assert_int_equal(enabled->value_type, SCALAR_BOOL);
	assert_true(enabled->value_boolean);
	assert_int_equal(enabled->mark.line, 14);
	assert_int_equal(enabled->mark.col, 18);

	assert_string_equal(text_at(l.root, BLOCK ".registryCredentials[0].existingSecret"),
			    "creds");
	const struct node *secret = node_at(l.root, BLOCK ".registryCredentials[0].existingSecret");
	assert_false(secret->is_plain); /* quoted */
	assert_true(secret->mark.is_public);
	const struct node *ns =
		node_at(l.root, BLOCK ".registryCredentials[0].existingSecretNamespace");
	assert_true(ns->is_plain);
	assert_int_equal(ns->mark.line, 17);
	assert_int_equal(ns->mark.col, 38);

	assert_string_equal(text_at(l.root, "deploykf_dependencies.kyverno.namespace"), "kyv");
	assert_true(node_at(l.root, "deploykf_dependencies.kyverno")->mark.is_public);

	/* argocd.namespace is read by checks but is not on the path to the block */
	const struct node *argo_ns = node_at(l.root, "argocd.namespace");
	assert_non_null(argo_ns);
	assert_string_equal(argo_ns->text, "argo");
	assert_false(argo_ns->mark.is_public);
	assert_false(pair_at(l.root, "argocd.namespace")->key->mark.is_public);
	assert_true(pair_at(l.root, BLOCK ".enabled")->key->mark.is_public);
	assert_true(pair_at(l.root, "deploykf_dependencies")->key->mark.is_public);
	loaded_free(&l);
}

static void test_unrelated_values_are_streamed_past(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, typical);
	assert_int_equal(l.rc, 0);
	/* the value is never built; the key is dropped too unless it may be a
	 * misspelt part of the path (see test_near_path_keys_are_kept) */
	static const char *const skipped[] = {
		"istio",
		"argocd.secret",
		"deploykf_dependencies.cert_manager",
		"deploykf_dependencies.kyverno.clusterPolicies.other",
	};
	for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++) {
		const struct node_pair *p = pair_at(l.root, skipped[i]);
		if (!p)
			continue;
		if (p->value)
			fail_msg("%s was built", skipped[i]);
		/* the key's line shows the value: never quoted in an excerpt */
		assert_false(p->key->mark.is_public);
	}
	/* nothing of a password's value is in the tree */
	assert_null(node_at(l.root, "argocd.secret"));
	loaded_free(&l);
}

static void test_near_path_keys_are_kept(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "deploykf_dependecies:\n  kyverno: {}\nkubeflow_tools: {a: 1}\n");
	assert_int_equal(l.rc, 0);
	/* a misspelling of the path is kept for the did-you-mean check ... */
	const struct node_pair *typo = pair_at(l.root, "deploykf_dependecies");
	assert_non_null(typo);
	assert_null(typo->value);
	/* ... an unrelated key is dropped, so memory does not grow with it */
	assert_null(pair_at(l.root, "kubeflow_tools"));
	loaded_free(&l);
}

static void test_profiles_keep_only_their_names(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "deploykf_core:\n"
		      "  deploykf_profiles_generator:\n"
		      "    profiles:\n"
		      "      - name: team-1\n"
		      "        members: [{user: a}]\n"
		      "      - {name: team-2, tools: {}}\n"
		      "    other: 1\n");
	assert_int_equal(l.rc, 0);
	assert_string_equal(text_at(l.root,
				    "deploykf_core.deploykf_profiles_generator.profiles[0].name"),
			    "team-1");
	assert_string_equal(text_at(l.root,
				    "deploykf_core.deploykf_profiles_generator.profiles[1].name"),
			    "team-2");
	/* what a check never reads is not held: a long profiles list of
	 * members costs no memory */
	assert_null(
		pair_at(l.root, "deploykf_core.deploykf_profiles_generator.profiles[0].members"));
	assert_null(pair_at(l.root, "deploykf_core.deploykf_profiles_generator.profiles[1].tools"));
	const struct node_pair *other =
		pair_at(l.root, "deploykf_core.deploykf_profiles_generator.other");
	assert_true(!other || !other->value);
	loaded_free(&l);
}

/* ---- anchors and aliases ------------------------------------------------------------- */

static void test_aliases_share_the_anchored_node(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "common:\n"
		      "  cred: &cred {existingSecret: shared}\n"
		      "  name: &name plain-name\n"
		      "deploykf_dependencies:\n"
		      "  kyverno:\n"
		      "    clusterPolicies:\n"
		      "      imagePullSecrets:\n"
		      "        registryCredentials:\n"
		      "          - *cred\n"
		      "          - *cred\n"
		      "          - existingSecret: *name\n");
	assert_int_equal(l.rc, 0);
	expect_no_diags(&l.diags);
	const struct node *list = node_at(l.root, BLOCK ".registryCredentials");
	assert_non_null(list);
	assert_int_equal(list->count, 3);
	assert_ptr_equal(list->items[0], list->items[1]); /* shared, never copied */
	assert_string_equal(text_at(l.root, BLOCK ".registryCredentials[0].existingSecret"),
			    "shared");
	/* the anchored node keeps its own position: where the user wrote it */
	assert_int_equal(list->items[0]->mark.line, 2);
	assert_string_equal(text_at(l.root, BLOCK ".registryCredentials[2].existingSecret"),
			    "plain-name");
	/* the anchor's home is still streamed past */
	const struct node_pair *home = pair_at(l.root, "common");
	assert_true(!home || !home->value);
	loaded_free(&l);
}

static void test_redefined_anchor_applies_to_later_aliases(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "a: &x first\n"
		      "b: &x second\n"
		      "deploykf_dependencies:\n"
		      "  kyverno:\n"
		      "    namespace: *x\n");
	assert_int_equal(l.rc, 0);
	expect_no_diags(&l.diags);
	assert_string_equal(text_at(l.root, "deploykf_dependencies.kyverno.namespace"), "second");
	loaded_free(&l);
}

/* ---- `<<` merge keys, as yaml.v3 ----------------------------------------------------- */

static const char *const merge_doc =
	"one: &one {enabled: false, excludeNamespaces: [from-one], registryCredentials: []}\n"
	"two: &two {enabled: true, excludeNamespaces: [from-two], extra: 2}\n"
	"deploykf_dependencies:\n"
	"  kyverno:\n"
	"    clusterPolicies:\n"
	"      imagePullSecrets:\n"
	"        excludeNamespaces: [explicit-before]\n"
	"        <<: [*one, *two]\n"
	"        registryCredentials: [{existingSecret: explicit-after}]\n";

static void test_merge_explicit_keys_win(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, merge_doc);
	assert_int_equal(l.rc, 0);
	expect_no_diags(&l.diags);
	/* explicit keys win whether written before or after `<<` */
	assert_string_equal(text_at(l.root, BLOCK ".excludeNamespaces[0]"), "explicit-before");
	assert_string_equal(text_at(l.root, BLOCK ".registryCredentials[0].existingSecret"),
			    "explicit-after");
	/* `<<` itself is not left behind as a key */
	const struct node *block = node_at(l.root, BLOCK);
	for (size_t i = 0; i < block->count; i++)
		assert_int_not_equal(block->pairs[i].key->value_type, SCALAR_MERGE);
	loaded_free(&l);
}

static void test_merge_earlier_source_wins(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, merge_doc);
	assert_int_equal(l.rc, 0);
	/* `enabled` is in both sources: the first one listed wins */
	const struct node *enabled = node_at(l.root, BLOCK ".enabled");
	assert_non_null(enabled);
	assert_int_equal(enabled->value_type, SCALAR_BOOL);
	assert_false(enabled->value_boolean);
	assert_int_equal(enabled->mark.line, 1); /* and points where the value was written */
	/* keys only the later source has still arrive */
	assert_string_equal(text_at(l.root, BLOCK ".extra"), "2");
	loaded_free(&l);
}

static void test_merge_inline_map(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "deploykf_dependencies:\n"
		      "  kyverno:\n"
		      "    clusterPolicies:\n"
		      "      imagePullSecrets:\n"
		      "        <<: {enabled: true}\n"
		      "        <<: {enabled: false}\n");
	/* yaml.v3 checks keys by their text, and `<<` is no exception */
	assert_int_equal(l.rc, -1);
	expect_diag(&l.diags, DKF105, 6, 9);
	loaded_free(&l);

	load_text(&l, "deploykf_dependencies:\n"
		      "  kyverno:\n"
		      "    clusterPolicies:\n"
		      "      imagePullSecrets:\n"
		      "        <<: {enabled: true, registryCredentials: []}\n");
	assert_int_equal(l.rc, 0);
	expect_no_diags(&l.diags);
	assert_true(node_at(l.root, BLOCK ".enabled")->value_boolean);
	assert_non_null(node_at(l.root, BLOCK ".registryCredentials"));
	loaded_free(&l);
}

/* ---- refusals, one row each ---------------------------------------------------------- */

struct refusal_row {
	const char *what;
	const char *text;
	enum diag_code code;
	unsigned line, col;
};

#define PATH_TO_BLOCK                                                                              \
	"deploykf_dependencies:\n"                                                                 \
	"  kyverno:\n"                                                                             \
	"    clusterPolicies:\n"                                                                   \
	"      imagePullSecrets:\n"

static const struct refusal_row refusals[] = {
	{ "syntax: unclosed flow list", "a: [1, 2\nb: 3\n", DKF101, 2, 2 },
	{ "syntax: bad indentation", "a: b\n  c: d\n", DKF101, 2, 4 },
	{ "syntax: tab indentation", "a:\n\tb: 1\n", DKF101, 2, 1 },
	{ "syntax after CRLF lines", "a: 1\r\nb: 2\r\nc: [x\r\n", DKF101, 4, 1 },
	{ "top-level list", "- a\n- b\n", DKF103, 1, 1 },
	{ "top-level scalar", "just text\n", DKF103, 1, 1 },
	{ "top-level scalar after comment", "# c\n  42\n", DKF103, 2, 3 },
	/* a stray first line runs on into the values as one plain scalar: the
	 * first line is what to fix, not where libyaml gave up */
	{ "junk first line", "Hello there\nmore junk\ndeploykf_dependencies:\n  kyverno: {}\n",
	  DKF103, 1, 1 },
	{ "list as key", "? [a, b]\n: c\n", DKF104, 1, 3 },
	{ "map as key", "x:\n  ? {a: 1}\n  : c\n", DKF104, 2, 5 },
	{ "alias of a map as key", "a: &m {k: v}\nb:\n  *m : c\n", DKF104, 3, 3 },
	{ "duplicate top-level key", "a: 1\nb: 2\na: 3\n", DKF105, 3, 1 },
	{ "duplicate key in streamed-past map", "other:\n  x: 1\n  y: 2\n  x: 3\n", DKF105, 4, 3 },
	{ "duplicate key in the block",
	  PATH_TO_BLOCK "        enabled: true\n"
			"        enabled: false\n",
	  DKF105, 6, 9 },
	{ "duplicate key: plain and quoted", "a: 1\n\"a\": 2\n", DKF105, 2, 1 },
	{ "duplicate key: \"1\" and 1", "x:\n  \"1\": a\n  1: b\n", DKF105, 3, 3 },
	{ "duplicate key in a flow map", "x: {a: 1, a: 2}\n", DKF105, 1, 11 },
	{ "duplicate key in a list item", "x:\n  - a: 1\n    a: 2\n", DKF105, 3, 5 },
	{ "unknown alias", "a: *nope\n", DKF106, 1, 4 },
	{ "alias before its anchor", "a: *later\nb: &later 1\n", DKF106, 1, 4 },
	{ "unknown alias in the block", PATH_TO_BLOCK "        enabled: *nope\n", DKF106, 5, 18 },
	{ "merge of a scalar", "a: &s text\n" PATH_TO_BLOCK "        <<: *s\n", DKF107, 6, 9 },
	{ "merge of an inline scalar", PATH_TO_BLOCK "        <<: text\n", DKF107, 5, 9 },
	{ "merge of null", PATH_TO_BLOCK "        <<: ~\n", DKF107, 5, 9 },
	{ "merge of a list of scalars", PATH_TO_BLOCK "        <<: [a, b]\n", DKF107, 5, 9 },
	{ "merge of a list with a list", PATH_TO_BLOCK "        <<: [{a: 1}, [b]]\n", DKF107, 5,
	  9 },
	{ "merge of an alias to a list of maps",
	  "l: &l [{enabled: true}]\n" PATH_TO_BLOCK "        <<: *l\n", DKF107, 6, 9 },
	{ "merge of a scalar in a streamed-past map", "other:\n  <<: text\n", DKF107, 2, 3 },
	{ "merge of an alias to a scalar in a streamed-past map",
	  "a: &s text\nother:\n  x:\n    <<: *s\n", DKF107, 4, 5 },
	{ "!!int on a word", "a: !!int abc\n", DKF108, 1, 4 },
	{ "!!bool on yes", "a: !!bool yes\n", DKF108, 1, 4 },
	{ "!!null on a word", PATH_TO_BLOCK "        enabled: !!null x\n", DKF108, 5, 18 },
	{ "!!float on a word, quoted", "a: !!float \"x\"\n", DKF108, 1, 4 },
	{ "invalid UTF-8", "a: 1\nb: \xff\n", DKF112, 2, 4 },
};

/* Every row is checked before the test fails, so one run lists every wrong row. */
static bool refusal_holds(const struct refusal_row *row)
{
	struct loaded l;
	bool ok = false;
	load_text(&l, row->text);
	for (size_t i = 0; i < l.diags.count; i++) {
		const struct diag *d = &l.diags.items[i];
		if (d->code == row->code && d->at.line == row->line && d->at.col == row->col &&
		    strcmp(d->at.file, "values.yaml") == 0 && d->severity == DIAG_ERROR)
			ok = true;
	}
	ok = ok && l.rc == -1 && l.root == NULL;
	if (!ok) {
		print_error("%s: want %s at %u:%u, got rc %d and\n", row->what,
			    diag_info(row->code)->code, row->line, row->col, l.rc);
		dump_diags(&l.diags);
	}
	loaded_free(&l);
	return ok;
}

/* deployKF reads the first document that is not null and ignores the rest:
 * empty documents around the values are fine, a later one with content is a
 * warning, and a syntax error in it fails nothing (deployKF never reads it). */
static void test_documents(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool has_warning;
		unsigned line;
	} rows[] = {
		{ PATH_TO_BLOCK "        enabled: true\n---\n", false, 0 },
		{ PATH_TO_BLOCK "        enabled: true\n---\n# only a comment\n", false, 0 },
		{ PATH_TO_BLOCK "        enabled: true\n--- {}\n--- []\n--- ~\n...\n", false, 0 },
		{ "---\n# a header\n---\n" PATH_TO_BLOCK "        enabled: true\n", false, 0 },
		{ "~\n---\n" PATH_TO_BLOCK "        enabled: true\n", false, 0 },
		{ PATH_TO_BLOCK "        enabled: true\n---\nb: 2\n", true, 6 },
		{ PATH_TO_BLOCK "        enabled: true\n---\n---\nb: [1\n", true, 7 },
		{ "---\n" PATH_TO_BLOCK "        enabled: true\n...\n--- {x: 1}\n", true, 8 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct loaded l;
		load_text(&l, rows[i].text);
		if (l.rc != 0 || !l.root || !node_at(l.root, BLOCK ".enabled")) {
			print_error("row %zu: the values were not read\n", i);
			dump_diags(&l.diags);
			fail();
		}
		size_t warnings = 0;
		for (size_t k = 0; k < l.diags.count; k++) {
			const struct diag *d = &l.diags.items[k];
			if (d->code == DKF102 && d->severity == DIAG_WARNING &&
			    d->at.line == rows[i].line)
				warnings++;
			else if (d->severity >= DIAG_WARNING)
				fail_msg("row %zu: unexpected %s", i, diag_info(d->code)->code);
		}
		if (warnings != (rows[i].has_warning ? 1u : 0u)) {
			print_error("row %zu: want %s DKF102 at line %u\n", i,
				    rows[i].has_warning ? "one" : "no", rows[i].line);
			dump_diags(&l.diags);
			fail();
		}
		loaded_free(&l);
	}
}

static void test_refusals(void **state)
{
	(void)state;
	size_t failed = 0;
	for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++)
		if (!refusal_holds(&refusals[i]))
			failed++;
	assert_int_equal(failed, 0);
}

/* Keys yaml.v3 does not see as repeated: it compares the text as written (after
 * unescaping) and whether the key is an alias, nothing else. */
static const char *const accepted[] = {
	"x:\n  1: a\n  01: b\n", /* same integer, different text */
	"x:\n  true: a\n  True: b\n",
	"x:\n  ~: a\n  null: b\n",
	"x:\n  a: 1\n  A: 2\n",
	"a: &k key\nx:\n  key: 1\n  *k : 2\n", /* an alias key is not its target's text */
	"x:\n  - a: 1\n  - a: 2\n",            /* different maps */
	"x: {a: 1}\ny: {a: 1}\n",
	"a: &s {x: 1}\nb: &t {y: 1}\nc:\n  <<: [*s, *t]\n",
};

static void test_accepted_keys(void **state)
{
	(void)state;
	size_t failed = 0;
	for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
		struct loaded l;
		load_text(&l, accepted[i]);
		if (l.rc != 0 || l.diags.count) {
			print_error("refused:\n%s", accepted[i]);
			dump_diags(&l.diags);
			failed++;
		}
		loaded_free(&l);
	}
	assert_int_equal(failed, 0);
}

static void test_duplicate_key_names_the_first(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, PATH_TO_BLOCK "        enabled: true\n"
				    "        excludeNamespaces: []\n"
				    "        enabled: false\n");
	assert_int_equal(l.rc, -1);
	const struct diag *d = expect_diag(&l.diags, DKF105, 7, 9);
	assert_non_null(strstr(d->message, "'enabled'")); /* a key in the block may be named */
	assert_non_null(d->note);
	assert_int_equal(d->note_at.line, 5);
	assert_int_equal(d->note_at.col, 9);
	loaded_free(&l);

	/* outside the block the key is not quoted: values files hold secrets */
	load_text(&l, "passwords:\n  hunter2: 1\n  hunter2: 2\n");
	assert_int_equal(l.rc, -1);
	d = expect_diag(&l.diags, DKF105, 3, 3);
	assert_null(strstr(d->message, "hunter2"));
	loaded_free(&l);
}

static void test_several_problems_are_all_reported(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "a: 1\na: 2\nb: *nope\nc: !!int x\n");
	assert_int_equal(l.rc, -1);
	expect_diag(&l.diags, DKF105, 2, 1);
	expect_diag(&l.diags, DKF106, 3, 4);
	expect_diag(&l.diags, DKF108, 4, 4);
	loaded_free(&l);
}

/* ---- limits -------------------------------------------------------------------------- */

static void test_depth_limit(void **state)
{
	(void)state;
	struct yparse_limits limits = { 3, YPARSE_DEFAULT_MAX_ALIAS_NODES, 0 };
	struct loaded l;
	load_limited(&l, "a: {b: {c: 1}}\n", &limits); /* three levels: fine */
	assert_int_equal(l.rc, 0);
	loaded_free(&l);

	load_limited(&l, "a: {b: {c: {d: 1}}}\n", &limits);
	assert_int_equal(l.rc, -1);
	expect_diag(&l.diags, DKF109, 1, 12);
	assert_int_equal(count_code(&l.diags, DKF109), 1); /* reported once, then stop */
	loaded_free(&l);

	/* the default limit holds for a hostile file, streamed past or not */
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_adds(&sb, "other: ");
	for (int i = 0; i < 5000; i++)
		strbuf_addch(&sb, '[');
	for (int i = 0; i < 5000; i++)
		strbuf_addch(&sb, ']');
	strbuf_addch(&sb, '\n');
	load_text(&l, sb.buf);
	assert_int_equal(l.rc, -1);
	expect_diag(&l.diags, DKF109, 1, 8 + YPARSE_DEFAULT_MAX_DEPTH - 1);
	loaded_free(&l);
	strbuf_release(&sb);
}

static void test_alias_budget(void **state)
{
	(void)state;
	/* billion laughs: nine levels of ten aliases each expand to 10^9 values */
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_adds(&sb, "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (int i = 1; i <= 9; i++) {
		strbuf_addf(&sb, "l%d: &l%d [", i, i);
		for (int j = 0; j < 10; j++)
			strbuf_addf(&sb, "%s*l%d", j ? ", " : "", i - 1);
		strbuf_adds(&sb, "]\n");
	}
	struct loaded l;
	load_text(&l, sb.buf);
	assert_int_equal(l.rc, -1);
	const struct diag *d = find_code(&l.diags, DKF110);
	assert_true(d->at.line >= 6 && d->at.line <= 7); /* 10^6 is passed on line 6 or 7 */
	assert_int_equal(count_code(&l.diags, DKF110), 1);
	loaded_free(&l);

	/* a small budget refuses a small expansion; the same file fits a larger one */
	struct yparse_limits small = { YPARSE_DEFAULT_MAX_DEPTH, 20, 0 };
	struct yparse_limits roomy = { YPARSE_DEFAULT_MAX_DEPTH, 1000, 0 };
	const char *text = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a, *a]\n";
	load_limited(&l, text, &small);
	assert_int_equal(l.rc, -1);
	find_code(&l.diags, DKF110);
	loaded_free(&l);
	load_limited(&l, text, &roomy);
	assert_int_equal(l.rc, 0);
	expect_no_diags(&l.diags);
	loaded_free(&l);
	strbuf_release(&sb);
}

/* ---- empty input and positions ------------------------------------------------------- */

static void test_empty_input(void **state)
{
	(void)state;
	static const char *const empty[] = {
		"",    "\n",     "# only a comment\n", "# one\n\n# two", "---\n", "--- # c\n...\n",
		"~\n", "null\n",
	};
	for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
		struct loaded l;
		load_text(&l, empty[i]);
		if (l.rc != 0)
			fail_msg("refused '%s'", empty[i]);
		assert_null(l.root);
		expect_no_diags(&l.diags);
		loaded_free(&l);
	}
}

static void test_crlf_positions(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "# comment\r\n"
		      "deploykf_dependencies:\r\n"
		      "  kyverno:\r\n"
		      "    namespace: \"kyv\"\r\n"
		      "    clusterPolicies:\r\n"
		      "      imagePullSecrets:\r\n"
		      "        enabled: true\r\n");
	assert_int_equal(l.rc, 0);
	const struct node *ns = node_at(l.root, "deploykf_dependencies.kyverno.namespace");
	assert_string_equal(ns->text, "kyv"); /* no stray CR in values */
	assert_int_equal(ns->mark.line, 4);
	assert_int_equal(ns->mark.col, 16);
	const struct node *enabled = node_at(l.root, BLOCK ".enabled");
	assert_int_equal(enabled->mark.line, 7);
	assert_int_equal(enabled->mark.col, 18);
	loaded_free(&l);

	/* a bad byte after CR LF lines is reported on its own line */
	load_text(&l, "a: 1\r\nb: 2\r\nc: \xff\r\n");
	assert_int_equal(l.rc, -1);
	expect_diag(&l.diags, DKF112, 3, 4);
	loaded_free(&l);
}

static void test_columns_count_characters(void **state)
{
	(void)state;
	struct loaded l;
	/* "ü" is two bytes but one column */
	load_text(&l, "deploykf_dependencies:\n"
		      "  kyverno: {\"ü\": 1, namespace: x}\n");
	assert_int_equal(l.rc, 0);
	const struct node *ns = node_at(l.root, "deploykf_dependencies.kyverno.namespace");
	assert_int_equal(ns->mark.line, 2);
	assert_int_equal(ns->mark.col, 32);
	loaded_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wanted_path_is_built),
		cmocka_unit_test(test_unrelated_values_are_streamed_past),
		cmocka_unit_test(test_near_path_keys_are_kept),
		cmocka_unit_test(test_profiles_keep_only_their_names),
		cmocka_unit_test(test_aliases_share_the_anchored_node),
		cmocka_unit_test(test_redefined_anchor_applies_to_later_aliases),
		cmocka_unit_test(test_merge_explicit_keys_win),
		cmocka_unit_test(test_merge_earlier_source_wins),
		cmocka_unit_test(test_merge_inline_map),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_accepted_keys),
		cmocka_unit_test(test_duplicate_key_names_the_first),
		cmocka_unit_test(test_several_problems_are_all_reported),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_alias_budget),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_crlf_positions),
		cmocka_unit_test(test_columns_count_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

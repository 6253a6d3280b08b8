/*
 * Unit tests for render.c and version.c: render a policy, read the text back
 * with libyaml and check the data a user (and Kyverno) would see.
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
#include <yaml.h>

#include "embedded.h"
#include "policy.h"
#include "render.h"
#include "strbuf.h"
#include "version.h"

static const char *default_excluded[] = { "argocd", "kube-system", "kyverno" };

static struct policy_credential three_credentials[] = {
	{ "dockerhub-creds", "argocd" },
	{ "ghcr-creds", "kyverno" },
	{ "ecr-creds", "registry-auth" },
};

static struct policy make_policy(enum dkf_version version, struct policy_credential *credentials,
				 size_t credential_count)
{
	struct policy p = {
		.version = version,
		.kyverno_namespace = "kyverno",
		.excluded = default_excluded,
		.excluded_count = 3,
		.credentials = credentials,
		.credential_count = credential_count,
	};
	return p;
}

/* ---- reading the output back ------------------------------------------------------------ */

struct rendered {
	struct strbuf text;
	yaml_document_t doc;
	yaml_node_t *root;
};

/* Render the policy and parse the text; fails the test unless it is exactly one document. */
static void render_and_parse(const struct policy *policy, struct rendered *r)
{
	yaml_parser_t parser;
	yaml_document_t extra;

	strbuf_init(&r->text);
	assert_int_equal(render_policy(policy, &r->text), 0);
	assert_true(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)r->text.buf, r->text.len);
	if (!yaml_parser_load(&parser, &r->doc))
		fail_msg("rendered text is not YAML: %s\n%s", parser.problem, r->text.buf);
	r->root = yaml_document_get_root_node(&r->doc);
	assert_non_null(r->root);
	assert_true(yaml_parser_load(&parser, &extra));
	assert_null(yaml_document_get_root_node(&extra)); /* no second document */
	yaml_document_delete(&extra);
	yaml_parser_delete(&parser);
}

static void rendered_free(struct rendered *r)
{
	yaml_document_delete(&r->doc);
	strbuf_release(&r->text);
}

static const char *scalar_of(const yaml_node_t *node)
{
	assert_non_null(node);
	assert_int_equal(node->type, YAML_SCALAR_NODE);
	return (const char *)node->data.scalar.value;
}

static yaml_node_t *map_get(yaml_document_t *doc, const yaml_node_t *map, const char *key)
{
	assert_non_null(map);
	assert_int_equal(map->type, YAML_MAPPING_NODE);
	for (yaml_node_pair_t *pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(doc, pair->key);
		if (k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, pair->value);
	}
	return NULL;
}

static size_t seq_len(const yaml_node_t *seq)
{
	assert_non_null(seq);
	assert_int_equal(seq->type, YAML_SEQUENCE_NODE);
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

static yaml_node_t *seq_get(yaml_document_t *doc, const yaml_node_t *seq, size_t i)
{
	assert_true(i < seq_len(seq));
	return yaml_document_get_node(doc, seq->data.sequence.items.start[i]);
}

/*
 * The node at a path like "spec.rules[2].match.any[0].resources.kinds[0]",
 * or NULL if a key is missing. Keys with dots need map_get().
 */
static yaml_node_t *at(yaml_document_t *doc, yaml_node_t *node, const char *path)
{
	const char *p = path;
	while (*p && node) {
		if (*p == '.')
			p++;
		if (*p == '[') {
			char *end;
			unsigned long i = strtoul(p + 1, &end, 10);
			assert_int_equal(*end, ']');
			if (node->type != YAML_SEQUENCE_NODE || i >= seq_len(node))
				return NULL;
			node = seq_get(doc, node, i);
			p = end + 1;
			continue;
		}
		size_t n = strcspn(p, ".[");
		char key[64];
		assert_true(n < sizeof key);
		memcpy(key, p, n);
		key[n] = '\0';
		if (node->type != YAML_MAPPING_NODE)
			return NULL;
		node = map_get(doc, node, key);
		p += n;
	}
	return node;
}

static const char *scalar_at(struct rendered *r, const char *path)
{
	yaml_node_t *node = at(&r->doc, r->root, path);
	if (!node)
		fail_msg("no node at %s", path);
	return scalar_of(node);
}

static yaml_node_t *rules(struct rendered *r)
{
	yaml_node_t *node = at(&r->doc, r->root, "spec.rules");
	assert_non_null(node);
	return node;
}

static const char *rule_name(struct rendered *r, size_t i)
{
	return scalar_of(map_get(&r->doc, seq_get(&r->doc, rules(r), i), "name"));
}

static void assert_string_list(yaml_document_t *doc, const yaml_node_t *seq,
			       const char *const *want, size_t count)
{
	assert_int_equal(seq_len(seq), count);
	for (size_t i = 0; i < count; i++)
		assert_string_equal(scalar_of(seq_get(doc, seq, i)), want[i]);
}

/* The rule names a policy of that shape must have, in deployKF's order. */
static void assert_rule_names(struct rendered *r, size_t credential_count, bool has_annotate)
{
	char want[64];
	size_t rule = 0;
	for (size_t i = 0; i < credential_count; i++) {
		snprintf(want, sizeof want, "clone-image-pull-secret-%zu", i);
		assert_string_equal(rule_name(r, rule++), want);
		if (has_annotate) {
			snprintf(want, sizeof want, "annotate-cloned-secret-%zu", i);
			assert_string_equal(rule_name(r, rule++), want);
		}
	}
	assert_string_equal(rule_name(r, rule++), "add-image-pull-secrets-to-pods");
	assert_int_equal(seq_len(rules(r)), rule);
}

/* Parse the patchesJson6902 text of the last rule; check one append op per credential. */
static void assert_patch(struct rendered *r, size_t credential_count)
{
	size_t last = seq_len(rules(r)) - 1;
	char path[80];
	snprintf(path, sizeof path, "spec.rules[%zu].mutate.patchesJson6902", last);
	yaml_node_t *patch = at(&r->doc, r->root, path);
	assert_non_null(patch);
	assert_int_equal(patch->type, YAML_SCALAR_NODE);
	assert_int_equal(patch->data.scalar.style, YAML_LITERAL_SCALAR_STYLE);

	yaml_parser_t parser;
	yaml_document_t ops;
	assert_true(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, patch->data.scalar.value, patch->data.scalar.length);
	assert_true(yaml_parser_load(&parser, &ops));
	yaml_node_t *list = yaml_document_get_root_node(&ops);
	assert_int_equal(seq_len(list), credential_count);
	for (size_t i = 0; i < credential_count; i++) {
		char want[64];
		yaml_node_t *op = seq_get(&ops, list, i);
		snprintf(want, sizeof want, "cloned--image-pull-secret-%zu", i);
		assert_string_equal(scalar_of(map_get(&ops, op, "op")), "add");
		assert_string_equal(scalar_of(map_get(&ops, op, "path")),
				    "/spec/imagePullSecrets/-");
		assert_string_equal(scalar_of(at(&ops, op, "value.name")), want);
		assert_int_equal(op->data.mapping.pairs.top - op->data.mapping.pairs.start, 3);
	}
	yaml_document_delete(&ops);
	yaml_parser_delete(&parser);
}

/* Check the clone rule of credential i (at rule index rule). */
static void assert_clone_rule(struct rendered *r, size_t rule, size_t i, const char *secret,
			      const char *source_ns, const char *const *excluded,
			      size_t excluded_count)
{
	char base[64], path[128], want[64];
	snprintf(base, sizeof base, "spec.rules[%zu]", rule);
	yaml_node_t *node = at(&r->doc, r->root, base);
	assert_non_null(node);

	snprintf(path, sizeof path, "%s.match.any[0].resources.kinds", base);
	assert_string_list(&r->doc, at(&r->doc, r->root, path), (const char *[]){ "Namespace" }, 1);
	snprintf(path, sizeof path, "%s.exclude.any[0].resources.names", base);
	assert_string_list(&r->doc, at(&r->doc, r->root, path), excluded, excluded_count);

	yaml_node_t *gen = map_get(&r->doc, node, "generate");
	snprintf(want, sizeof want, "cloned--image-pull-secret-%zu", i);
	assert_string_equal(scalar_of(map_get(&r->doc, gen, "apiVersion")), "v1");
	assert_string_equal(scalar_of(map_get(&r->doc, gen, "kind")), "Secret");
	assert_string_equal(scalar_of(map_get(&r->doc, gen, "name")), want);
	assert_string_equal(scalar_of(map_get(&r->doc, gen, "namespace")),
			    "{{ request.object.metadata.name }}");
	assert_string_equal(scalar_of(map_get(&r->doc, gen, "synchronize")), "true");
	assert_string_equal(scalar_of(at(&r->doc, gen, "clone.namespace")), source_ns);
	assert_string_equal(scalar_of(at(&r->doc, gen, "clone.name")), secret);
	assert_int_equal(gen->data.mapping.pairs.top - gen->data.mapping.pairs.start, 6);
}

static void assert_annotate_rule(struct rendered *r, size_t rule, size_t i,
				 const char *const *excluded, size_t excluded_count)
{
	char base[64], path[160], want[64];
	snprintf(base, sizeof base, "spec.rules[%zu]", rule);
	snprintf(want, sizeof want, "cloned--image-pull-secret-%zu", i);

	snprintf(path, sizeof path, "%s.match.any[0].resources", base);
	yaml_node_t *res = at(&r->doc, r->root, path);
	assert_string_list(&r->doc, map_get(&r->doc, res, "kinds"), (const char *[]){ "Secret" },
			   1);
	assert_string_list(&r->doc, map_get(&r->doc, res, "names"), (const char *[]){ want }, 1);
	assert_string_list(&r->doc, map_get(&r->doc, res, "operations"),
			   (const char *[]){ "CREATE", "UPDATE" }, 2);
	yaml_node_t *labels = at(&r->doc, res, "selector.matchLabels");
	assert_string_equal(scalar_of(map_get(&r->doc, labels, "generate.kyverno.io/policy-name")),
			    "clone-image-pull-secrets");

	snprintf(path, sizeof path, "%s.exclude.any[0].resources.namespaces", base);
	assert_string_list(&r->doc, at(&r->doc, r->root, path), excluded, excluded_count);

	snprintf(path, sizeof path, "%s.mutate.patchStrategicMerge.metadata.annotations", base);
	yaml_node_t *ann = at(&r->doc, r->root, path);
	assert_string_equal(scalar_of(map_get(&r->doc, ann, "argocd.argoproj.io/compare-options")),
			    "IgnoreExtraneous");
	assert_string_equal(scalar_of(map_get(&r->doc, ann, "argocd.argoproj.io/sync-options")),
			    "Prune=false");
}

static void assert_pod_rule(struct rendered *r, const char *const *excluded, size_t excluded_count)
{
	char base[64], path[128];
	snprintf(base, sizeof base, "spec.rules[%zu]", seq_len(rules(r)) - 1);
	snprintf(path, sizeof path, "%s.match.any[0].resources", base);
	yaml_node_t *res = at(&r->doc, r->root, path);
	assert_string_list(&r->doc, map_get(&r->doc, res, "kinds"), (const char *[]){ "Pod" }, 1);
	assert_string_list(&r->doc, map_get(&r->doc, res, "operations"),
			   (const char *[]){ "CREATE" }, 1);
	snprintf(path, sizeof path, "%s.exclude.any[0].resources.namespaces", base);
	assert_string_list(&r->doc, at(&r->doc, r->root, path), excluded, excluded_count);
}

/*
 * Every value scalar is double-quoted (or the patch's literal block), except the two
 * booleans: Kubernetes tools read YAML 1.1, where a plain on/no/yes is a boolean.
 */
static void assert_values_quoted(yaml_document_t *doc, yaml_node_t *node, int depth)
{
	assert_true(depth < 32);
	if (node->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = node->data.sequence.items.start;
		     it < node->data.sequence.items.top; it++)
			assert_values_quoted(doc, yaml_document_get_node(doc, *it), depth + 1);
	} else if (node->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
		     pair < node->data.mapping.pairs.top; pair++)
			assert_values_quoted(doc, yaml_document_get_node(doc, pair->value),
					     depth + 1);
	} else if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		assert_string_equal((const char *)node->data.scalar.value, "true");
	} else if (node->data.scalar.style != YAML_LITERAL_SCALAR_STYLE) {
		assert_int_equal(node->data.scalar.style, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	}
}

/* ---- tests ------------------------------------------------------------------------------ */

static void test_templates_are_embedded(void **state)
{
	(void)state;
	assert_non_null(embedded_find("templates/clusterpolicy-v0.1.3.yaml"));
	assert_non_null(embedded_find("templates/clusterpolicy-v0.1.4.yaml"));
	assert_null(embedded_find("templates/clusterpolicy-v0.1.5.yaml"));
	assert_null(embedded_find(""));
}

static void test_one_credential(void **state)
{
	(void)state;
	struct policy_credential creds[] = { { "my-docker-config", "argocd" } };
	struct policy policy = make_policy(DKF_V0_1_5, creds, 1);
	struct rendered r;
	render_and_parse(&policy, &r);

	assert_string_equal(scalar_at(&r, "apiVersion"), "kyverno.io/v1");
	assert_string_equal(scalar_at(&r, "kind"), "ClusterPolicy");
	assert_string_equal(scalar_at(&r, "metadata.name"), "clone-image-pull-secrets");
	yaml_node_t *ann = at(&r.doc, r.root, "metadata.annotations");
	assert_string_equal(scalar_of(map_get(&r.doc, ann, "argocd.argoproj.io/sync-wave")), "10");
	assert_string_equal(scalar_of(map_get(&r.doc, ann, "argocd.argoproj.io/sync-options")),
			    "Replace=true");
	assert_string_equal(scalar_of(map_get(&r.doc, ann,
					      "pod-policies.kyverno.io/autogen-controllers")),
			    "none");
	assert_int_equal(ann->data.mapping.pairs.top - ann->data.mapping.pairs.start, 3);
	assert_string_equal(scalar_at(&r, "spec.generateExisting"), "true");

	assert_rule_names(&r, 1, true);
	assert_clone_rule(&r, 0, 0, "my-docker-config", "argocd", default_excluded, 3);
	assert_annotate_rule(&r, 1, 0, default_excluded, 3);
	assert_pod_rule(&r, default_excluded, 3);
	assert_patch(&r, 1);
	assert_values_quoted(&r.doc, r.root, 0);
	rendered_free(&r);
}

static void test_three_credentials_v0_1_4(void **state)
{
	(void)state;
	struct policy policy = make_policy(DKF_V0_1_4, three_credentials, 3);
	struct rendered r;
	render_and_parse(&policy, &r);

	assert_rule_names(&r, 3, true);
	for (size_t i = 0; i < 3; i++) {
		assert_clone_rule(&r, 2 * i, i, three_credentials[i].secret_name,
				  three_credentials[i].source_namespace, default_excluded, 3);
		assert_annotate_rule(&r, 2 * i + 1, i, default_excluded, 3);
	}
	assert_pod_rule(&r, default_excluded, 3);
	assert_patch(&r, 3);
	assert_values_quoted(&r.doc, r.root, 0);
	rendered_free(&r);
}

static void test_three_credentials_v0_1_3_has_no_annotate_rules(void **state)
{
	(void)state;
	struct policy policy = make_policy(DKF_V0_1_3, three_credentials, 3);
	struct rendered r;
	render_and_parse(&policy, &r);

	assert_rule_names(&r, 3, false);
	for (size_t i = 0; i < 3; i++)
		assert_clone_rule(&r, i, i, three_credentials[i].secret_name,
				  three_credentials[i].source_namespace, default_excluded, 3);
	assert_pod_rule(&r, default_excluded, 3);
	assert_patch(&r, 3);
	assert_values_quoted(&r.doc, r.root, 0);
	assert_null(strstr(r.text.buf, "annotate"));
	rendered_free(&r);
}

static void test_v0_1_5_renders_like_v0_1_4(void **state)
{
	(void)state;
	struct policy p4 = make_policy(DKF_V0_1_4, three_credentials, 3);
	struct policy p5 = make_policy(DKF_V0_1_5, three_credentials, 3);
	struct strbuf a, b;
	strbuf_init(&a);
	strbuf_init(&b);
	assert_int_equal(render_policy(&p4, &a), 0);
	assert_int_equal(render_policy(&p5, &b), 0);
	/* Only the version named in the header comment differs. */
	char *v4 = strstr(a.buf, "v0.1.4");
	assert_non_null(v4);
	v4[5] = '5';
	assert_string_equal(a.buf, b.buf);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void test_one_credential_v0_1_3(void **state)
{
	(void)state;
	struct policy_credential creds[] = { { "dockerhub-creds", "kyverno" } };
	struct policy policy = make_policy(DKF_V0_1_3, creds, 1);
	struct rendered r;
	render_and_parse(&policy, &r);
	assert_rule_names(&r, 1, false);
	assert_clone_rule(&r, 0, 0, "dockerhub-creds", "kyverno", default_excluded, 3);
	assert_patch(&r, 1);
	rendered_free(&r);
}

static void test_hostile_values_stay_strings(void **state)
{
	(void)state;
	static const char hostile[] = "a\"b\nc: d # e {{ x }}";
	static const char hostile_ns[] = "x\\y\tz'\"\n- [evil]: {a: b}\r\x01\x7f";
	const char *excluded[] = { "on", "no",       "yes", "~", "null",
				   "*",  "a\", \"b", "#c",  "",  "@INDEX@" };
	struct policy_credential creds[] = { { hostile, hostile_ns }, { "@SECRET@", "@CLONED@" } };
	struct policy policy = make_policy(DKF_V0_1_5, creds, 2);
	policy.excluded = excluded;
	policy.excluded_count = sizeof excluded / sizeof excluded[0];
	struct rendered r;
	render_and_parse(&policy, &r);

	assert_rule_names(&r, 2, true);
	assert_clone_rule(&r, 0, 0, hostile, hostile_ns, excluded, policy.excluded_count);
	assert_clone_rule(&r, 2, 1, "@SECRET@", "@CLONED@", excluded, policy.excluded_count);
	assert_annotate_rule(&r, 1, 0, excluded, policy.excluded_count);
	assert_pod_rule(&r, excluded, policy.excluded_count);
	assert_patch(&r, 2);
	assert_values_quoted(&r.doc, r.root, 0);
	rendered_free(&r);
}

static void test_empty_exclude_list(void **state)
{
	(void)state;
	struct policy policy = make_policy(DKF_V0_1_4, three_credentials, 1);
	policy.excluded = NULL;
	policy.excluded_count = 0;
	struct rendered r;
	render_and_parse(&policy, &r);
	assert_clone_rule(&r, 0, 0, "dockerhub-creds", "argocd", NULL, 0);
	assert_annotate_rule(&r, 1, 0, NULL, 0);
	assert_pod_rule(&r, NULL, 0);
	rendered_free(&r);
}

static void test_missing_source_namespace_falls_back(void **state)
{
	(void)state;
	struct policy_credential creds[] = { { "a", NULL }, { "b", "" } };
	struct policy policy = make_policy(DKF_V0_1_5, creds, 2);
	policy.kyverno_namespace = "kyverno-system";
	struct rendered r;
	render_and_parse(&policy, &r);
	assert_clone_rule(&r, 0, 0, "a", "kyverno-system", default_excluded, 3);
	assert_clone_rule(&r, 2, 1, "b", "kyverno-system", default_excluded, 3);
	rendered_free(&r);
}

static void test_appends_to_out(void **state)
{
	(void)state;
	struct policy policy = make_policy(DKF_V0_1_5, three_credentials, 1);
	struct strbuf out, alone;
	strbuf_init(&out);
	strbuf_init(&alone);
	strbuf_adds(&out, "# before\n");
	assert_int_equal(render_policy(&policy, &out), 0);
	assert_int_equal(render_policy(&policy, &alone), 0);
	assert_int_equal(out.len, strlen("# before\n") + alone.len);
	assert_memory_equal(out.buf, "# before\n", strlen("# before\n"));
	assert_string_equal(out.buf + strlen("# before\n"), alone.buf);
	/* No template syntax reaches the output. */
	assert_null(strstr(alone.buf, "#@"));
	assert_null(strchr(alone.buf, '@'));
	assert_int_equal(alone.buf[alone.len - 1], '\n');
	strbuf_release(&out);
	strbuf_release(&alone);
}

static void test_no_credentials_leaves_out_untouched(void **state)
{
	(void)state;
	struct policy policy = make_policy(DKF_V0_1_5, NULL, 0);
	struct strbuf out;
	strbuf_init(&out);
	strbuf_adds(&out, "kept");
	assert_int_equal(render_policy(&policy, &out), -1);
	assert_string_equal(out.buf, "kept");
	assert_int_equal(out.len, 4);
	strbuf_release(&out);
}

static void test_many_credentials(void **state)
{
	(void)state;
	enum { COUNT = 500 };
	struct policy_credential *creds = calloc(COUNT, sizeof *creds);
	assert_non_null(creds);
	for (size_t i = 0; i < COUNT; i++) {
		creds[i].secret_name = "pull-secret";
		creds[i].source_namespace = "kyverno";
	}
	struct policy policy = make_policy(DKF_V0_1_4, creds, COUNT);
	struct rendered r;
	render_and_parse(&policy, &r);
	assert_rule_names(&r, COUNT, true);
	assert_patch(&r, COUNT);
	rendered_free(&r);
	free(creds);
}

/* What render_policy_stream handed over: the pieces joined, and their count and largest. */
struct pieces {
	struct strbuf text;
	size_t count, largest;
};

static void take_piece(void *ctx, const char *data, size_t len)
{
	struct pieces *p = ctx;
	strbuf_add(&p->text, data, len);
	p->count++;
	if (len > p->largest)
		p->largest = len;
}

static void test_streamed_equals_whole_in_bounded_pieces(void **state)
{
	(void)state;
	enum { COUNT = 400 }; /* some 400 KB: several chunks */
	struct policy_credential *creds = calloc(COUNT, sizeof *creds);
	assert_non_null(creds);
	for (size_t i = 0; i < COUNT; i++) {
		creds[i].secret_name = i % 2 ? "pull-secret" : "other \"quoted\" secret";
		creds[i].source_namespace = i % 3 ? "kyverno" : "registry-auth";
	}
	for (int v = 0; v < 2; v++) {
		struct policy policy = make_policy(v ? DKF_V0_1_4 : DKF_V0_1_3, creds, COUNT);
		struct strbuf whole;
		strbuf_init(&whole);
		assert_int_equal(render_policy(&policy, &whole), 0);
		struct pieces p = { .count = 0, .largest = 0 };
		strbuf_init(&p.text);
		assert_int_equal(render_policy_stream(&policy, take_piece, &p), 0);
		assert_int_equal(p.text.len, whole.len);
		assert_memory_equal(p.text.buf, whole.buf, whole.len);
		assert_true(p.count >= whole.len / (2 * RENDER_CHUNK));
		assert_true(p.count > 1);
		/* a piece is a chunk plus at most one credential's section */
		assert_true(p.largest < RENDER_CHUNK + 4096);
		strbuf_release(&p.text);
		strbuf_release(&whole);
	}
	free(creds);
}

/* ---- version ---------------------------------------------------------------------------- */

static void test_version_parse(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum version_parse want;
		enum dkf_version version;
	} cases[] = {
		{ "v0.1.3", VERSION_OK, DKF_V0_1_3 }, { "0.1.3", VERSION_OK, DKF_V0_1_3 },
		{ "v0.1.4", VERSION_OK, DKF_V0_1_4 }, { "0.1.4", VERSION_OK, DKF_V0_1_4 },
		{ "v0.1.5", VERSION_OK, DKF_V0_1_5 }, { "0.1.5", VERSION_OK, DKF_V0_1_5 },
		{ "v0.1.0", VERSION_TOO_OLD, 0 },     { "0.1.1", VERSION_TOO_OLD, 0 },
		{ "v0.1.2", VERSION_TOO_OLD, 0 },     { "v0.0.1", VERSION_TOO_OLD, 0 },
		{ "0.0.12", VERSION_TOO_OLD, 0 },     { "v0.0.0", VERSION_TOO_OLD, 0 },
		{ "", VERSION_UNKNOWN, 0 },           { "v", VERSION_UNKNOWN, 0 },
		{ "vv0.1.5", VERSION_UNKNOWN, 0 },    { "V0.1.5", VERSION_UNKNOWN, 0 },
		{ "v0.1.6", VERSION_UNKNOWN, 0 },     { "v0.2.0", VERSION_UNKNOWN, 0 },
		{ "v1.0.0", VERSION_UNKNOWN, 0 },     { "v0.1.5 ", VERSION_UNKNOWN, 0 },
		{ " v0.1.5", VERSION_UNKNOWN, 0 },    { "v0.1.5-rc.1", VERSION_UNKNOWN, 0 },
		{ "v0.1", VERSION_UNKNOWN, 0 },       { "v0.1.05", VERSION_UNKNOWN, 0 },
		{ "v0.0.", VERSION_UNKNOWN, 0 },      { "v0.0.01", VERSION_UNKNOWN, 0 },
		{ "v0.0.1x", VERSION_UNKNOWN, 0 },    { "0.0.-1", VERSION_UNKNOWN, 0 },
		{ "latest", VERSION_UNKNOWN, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum dkf_version got = DKF_V0_1_4;
		enum version_parse result = version_parse(cases[i].text, &got);
		if (result != cases[i].want)
			fail_msg("version_parse(\"%s\") = %d, want %d", cases[i].text, (int)result,
				 (int)cases[i].want);
		if (result == VERSION_OK)
			assert_int_equal(got, cases[i].version);
		else
			assert_int_equal(got, DKF_V0_1_4); /* untouched */
	}
}

static void test_version_name(void **state)
{
	(void)state;
	assert_string_equal(version_name(DKF_V0_1_3), "v0.1.3");
	assert_string_equal(version_name(DKF_V0_1_4), "v0.1.4");
	assert_string_equal(version_name(DKF_V0_1_5), "v0.1.5");
	assert_string_equal(version_name(DKF_VERSION_DEFAULT), "v0.1.5");
	/* Every name parses back to its version. */
	for (int v = DKF_V0_1_3; v <= DKF_V0_1_5; v++) {
		enum dkf_version got;
		assert_int_equal(version_parse(version_name((enum dkf_version)v), &got),
				 VERSION_OK);
		assert_int_equal(got, v);
	}
}

static void test_version_has_annotate_rules(void **state)
{
	(void)state;
	assert_false(version_has_annotate_rules(DKF_V0_1_3));
	assert_true(version_has_annotate_rules(DKF_V0_1_4));
	assert_true(version_has_annotate_rules(DKF_V0_1_5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_templates_are_embedded),
		cmocka_unit_test(test_one_credential),
		cmocka_unit_test(test_three_credentials_v0_1_4),
		cmocka_unit_test(test_three_credentials_v0_1_3_has_no_annotate_rules),
		cmocka_unit_test(test_v0_1_5_renders_like_v0_1_4),
		cmocka_unit_test(test_one_credential_v0_1_3),
		cmocka_unit_test(test_hostile_values_stay_strings),
		cmocka_unit_test(test_empty_exclude_list),
		cmocka_unit_test(test_missing_source_namespace_falls_back),
		cmocka_unit_test(test_appends_to_out),
		cmocka_unit_test(test_no_credentials_leaves_out_untouched),
		cmocka_unit_test(test_many_credentials),
		cmocka_unit_test(test_streamed_equals_whole_in_bounded_pieces),
		cmocka_unit_test(test_version_parse),
		cmocka_unit_test(test_version_name),
		cmocka_unit_test(test_version_has_annotate_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

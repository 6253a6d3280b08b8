/*
 * Round-trip property over generated inputs: for every values file the
 * tool accepts, the rendered policy parses back with libyaml, and the
 * secret names, source namespaces and exclude list in it are exactly those
 * of the input, with deployKF's defaults applied (kyverno namespace appended
 * to the excludes, first occurrence kept; an unset source namespace is the
 * kyverno namespace). Inputs come from a fixed-seed generator, so a failure
 * is reproducible; names include ones that look like numbers, booleans and
 * dates when unquoted, dots, wildcards and the longest legal names.
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

#include "arena.h"
#include "check_block.h"
#include "diag.h"
#include "render.h"
#include "check_risk.h"
#include "source.h"
#include "stack.h"
#include "strbuf.h"
#include "yload.h"

enum { CASES = 300, MAX_ITEMS = 6 };

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	/* xorshift64*: deterministic across platforms */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 2685821657736338717ull) >> 33) % n;
}

/* names that need quoting to stay strings, and plain ones */
static const char *const tricky[] = { "0123",       "true", "no",   "on", "1e3",
				      "2001-12-14", "null", "0x1f", "08", "y" };

static void random_label(char *out, size_t max_len)
{
	if (rnd(4) == 0) {
		strcpy(out, tricky[rnd(sizeof(tricky) / sizeof(tricky[0]))]);
		return;
	}
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t len = 1 + rnd(rnd(8) == 0 ? (unsigned)max_len : 12);
	for (size_t i = 0; i < len; i++) {
		bool edge = i == 0 || i + 1 == len;
		out[i] = (!edge && rnd(6) == 0) ? '-' : alnum[rnd(36)];
	}
	out[len] = '\0';
}

static void random_secret(char *out)
{
	random_label(out, 63);
	if (rnd(4) == 0) { /* a dotted subdomain */
		size_t len = strlen(out);
		out[len] = '.';
		random_label(out + len + 1, 40);
	}
}

static void random_pattern(char *out)
{
	random_label(out, 63);
	size_t len = strlen(out);
	if (rnd(5) == 0 && len < 62) {
		out[len] = rnd(2) ? '*' : '?';
		out[len + 1] = '\0';
	}
}

/* Always double-quoted: the property is about the names, not the resolver. */
static void add_name(struct strbuf *sb, const char *name)
{
	strbuf_add_json_string(sb, name, strlen(name));
}

struct input {
	char kyverno_ns[64];
	bool has_kyverno_ns;
	char excludes[MAX_ITEMS][64];
	size_t exclude_count;
	char secrets[MAX_ITEMS][128];
	char namespaces[MAX_ITEMS][64]; /* "" = unset */
	size_t credential_count;
};

static void generate(struct input *in, struct strbuf *yaml)
{
	memset(in, 0, sizeof(*in));
	in->has_kyverno_ns = rnd(3) == 0;
	if (in->has_kyverno_ns)
		random_label(in->kyverno_ns, 63);
	else
		strcpy(in->kyverno_ns, "kyverno");
	in->exclude_count = rnd(MAX_ITEMS + 1);
	for (size_t i = 0; i < in->exclude_count; i++) {
		if (i && rnd(5) == 0)
			strcpy(in->excludes[i], in->excludes[rnd((unsigned)i)]); /* a repeat */
		else
			random_pattern(in->excludes[i]);
	}
	in->credential_count = 1 + rnd(MAX_ITEMS);
	for (size_t i = 0; i < in->credential_count; i++) {
		random_secret(in->secrets[i]);
		if (rnd(2))
			random_label(in->namespaces[i], 63);
	}

	strbuf_adds(yaml, "unrelated: {password: \"x\"}\ndeploykf_dependencies:\n  kyverno:\n");
	if (in->has_kyverno_ns) {
		strbuf_adds(yaml, "    namespace: ");
		add_name(yaml, in->kyverno_ns);
		strbuf_adds(yaml, "\n");
	}
	strbuf_adds(yaml, "    clusterPolicies:\n      imagePullSecrets:\n        enabled: true\n"
			  "        excludeNamespaces: [");
	for (size_t i = 0; i < in->exclude_count; i++) {
		if (i)
			strbuf_adds(yaml, ", ");
		add_name(yaml, in->excludes[i]);
	}
	strbuf_adds(yaml, "]\n        registryCredentials:\n");
	for (size_t i = 0; i < in->credential_count; i++) {
		strbuf_adds(yaml, "          - existingSecret: ");
		add_name(yaml, in->secrets[i]);
		strbuf_adds(yaml, "\n");
		if (in->namespaces[i][0]) {
			strbuf_adds(yaml, "            existingSecretNamespace: ");
			add_name(yaml, in->namespaces[i]);
			strbuf_adds(yaml, "\n");
		}
	}
}

/* ---- reading the rendered policy back (libyaml's document API: our own output) */

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		if (k && k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static yaml_node_t *seq_at(yaml_document_t *doc, yaml_node_t *seq, size_t i)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return NULL;
	yaml_node_item_t *items = seq->data.sequence.items.start;
	if (i >= (size_t)(seq->data.sequence.items.top - items))
		return NULL;
	return yaml_document_get_node(doc, items[i]);
}

static size_t seq_len(yaml_node_t *seq)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *path(yaml_document_t *doc, yaml_node_t *n, const char *const *keys)
{
	for (; *keys && n; keys++)
		n = map_get(doc, n, *keys);
	return n;
}

/* Returns whether the input was accepted (and so checked). */
static bool check_case(const struct input *in, const char *yaml_text, size_t yaml_len)
{
	struct stack_options options = { 0 };
	options.max_bytes = SOURCE_DEFAULT_MAX_BYTES;
	options.limits.max_depth = YPARSE_DEFAULT_MAX_DEPTH;
	options.limits.max_alias_nodes = YPARSE_DEFAULT_MAX_ALIAS_NODES;
	options.limits.max_nodes = YPARSE_DEFAULT_MAX_NODES;
	options.expected_excludes = risk_default_excludes;
	options.expected_exclude_count = risk_default_exclude_count;
	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct stack stack;
	char err[256];
	assert_int_equal(stack_init(&stack, &options, &arena, &diags, err, sizeof(err)), 0);
	struct source src;
	source_from_memory(&src, "generated.yaml", yaml_text, yaml_len);
	struct stack_layer layer = { "generated.yaml", NULL, false };
	layer.failed =
		yload(&src, block_wanted_keys, &options.limits, &arena, &diags, &layer.root) != 0;
	struct stack_result result;
	assert_true(stack_evaluate(&stack, &layer, 1, &arena, &result));
	const struct ips_config config = result.config;

	if (config.unrenderable || diag_count_at_least(&diags, DIAG_ERROR)) {
		/* refused input is outside the property */
		diag_list_release(&diags);
		arena_free(&arena);
		return false;
	}
	assert_true(ips_config_renders(&config));
	for (int v = 0; v < 2; v++) {
		struct policy policy;
		ips_config_to_policy(&config, v ? DKF_V0_1_5 : DKF_V0_1_3, &arena, &policy);
		struct strbuf out;
		strbuf_init(&out);
		assert_int_equal(render_policy(&policy, &out), 0);

		yaml_parser_t parser;
		yaml_document_t doc;
		assert_true(yaml_parser_initialize(&parser));
		yaml_parser_set_input_string(&parser, (const unsigned char *)out.buf, out.len);
		if (!yaml_parser_load(&parser, &doc)) {
			print_error("rendered policy does not parse: %s\n%s\n", parser.problem,
				    out.buf);
			fail();
		}
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		static const char *const rules_path[] = { "spec", "rules", NULL };
		yaml_node_t *rules = path(&doc, root, rules_path);
		size_t clone_rules = 0;
		for (size_t r = 0; r < seq_len(rules); r++) {
			yaml_node_t *rule = seq_at(&doc, rules, r);
			const char *name = scalar(map_get(&doc, rule, "name"));
			assert_non_null(name);
			/* every rule's exclude list: input excludes, deduplicated, then kyverno */
			static const char *const names_path[] = { "exclude", "any", NULL };
			yaml_node_t *res =
				map_get(&doc, seq_at(&doc, path(&doc, rule, names_path), 0),
					"resources");
			yaml_node_t *ex = map_get(&doc, res, "names");
			if (!ex)
				ex = map_get(&doc, res, "namespaces");
			const char *want[MAX_ITEMS + 1];
			size_t want_count = 0;
			for (size_t i = 0; i <= in->exclude_count; i++) {
				const char *e =
					i < in->exclude_count ? in->excludes[i] : in->kyverno_ns;
				bool seen = false;
				for (size_t j = 0; j < want_count; j++)
					seen = seen || strcmp(want[j], e) == 0;
				if (!seen)
					want[want_count++] = e;
			}
			assert_int_equal(seq_len(ex), want_count);
			for (size_t i = 0; i < want_count; i++)
				assert_string_equal(scalar(seq_at(&doc, ex, i)), want[i]);

			if (strncmp(name, "clone-image-pull-secret-", 24) != 0)
				continue;
			size_t i = (size_t)strtoul(name + 24, NULL, 10);
			assert_true(i < in->credential_count);
			static const char *const clone_path[] = { "generate", "clone", NULL };
			yaml_node_t *clone = path(&doc, rule, clone_path);
			assert_string_equal(scalar(map_get(&doc, clone, "name")), in->secrets[i]);
			assert_string_equal(scalar(map_get(&doc, clone, "namespace")),
					    in->namespaces[i][0] ? in->namespaces[i]
								 : in->kyverno_ns);
			clone_rules++;
		}
		assert_int_equal(clone_rules, in->credential_count);
		yaml_document_delete(&doc);
		yaml_parser_delete(&parser);
		strbuf_release(&out);
	}
	diag_list_release(&diags);
	arena_free(&arena);
	return true;
}

static void test_generated_inputs_round_trip(void **state)
{
	(void)state;
	size_t accepted = 0;
	for (int c = 0; c < CASES; c++) {
		struct input in;
		struct strbuf yaml;
		strbuf_init(&yaml);
		generate(&in, &yaml);
		if (check_case(&in, yaml.buf, yaml.len))
			accepted++;
		strbuf_release(&yaml);
	}
	/* the generator makes valid names: nearly every case must be checked */
	print_message("%zu of %d generated inputs accepted and round-tripped\n", accepted, CASES);
	assert_true(accepted >= CASES * 9 / 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_inputs_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

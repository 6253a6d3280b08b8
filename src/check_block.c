#include "check_block.h"

#include <string.h>
#include <strings.h>

#include "names.h"
#include "strbuf.h"
#include "strset.h"
#include "suggest.h"

/* The path deployKF reads the block from, and the other values checks use. */
static const struct yload_want kyverno_policies_keys[] = {
	{ .key = "imagePullSecrets", .keep_all = true, .is_public = true },
	{ 0 },
};
static const struct yload_want kyverno_keys[] = {
	{ .key = "enabled", .keep_all = true, .is_public = true },
	{ .key = "namespace", .keep_all = true, .is_public = true },
	{ .key = "clusterPolicies", .is_public = true, .children = kyverno_policies_keys },
	{ 0 },
};
static const struct yload_want dependencies_keys[] = {
	{ .key = "kyverno", .is_public = true, .children = kyverno_keys },
	{ 0 },
};
/* Of a profile only its name is read (its namespace); members and tools,
 * most of a long profiles list, are streamed past. */
static const struct yload_want profile_keys[] = {
	{ .key = "name", .keep_all = true },
	{ 0 },
};
static const struct yload_want profiles_generator_keys[] = {
	{ .key = "profiles", .items = profile_keys },
	{ 0 },
};
static const struct yload_want core_keys[] = {
	{ .key = "deploykf_profiles_generator", .children = profiles_generator_keys },
	{ 0 },
};
static const struct yload_want argocd_keys[] = {
	{ .key = "namespace", .keep_all = true },
	{ 0 },
};
const struct yload_want block_wanted_keys[] = {
	/* a file that has both is a Kubernetes manifest, not values (plugin.h) */
	{ .key = "apiVersion", .keep_all = true },
	{ .key = "kind", .keep_all = true },
	{ .key = "deploykf_dependencies", .is_public = true, .children = dependencies_keys },
	{ .key = "deploykf_core", .children = core_keys },
	{ .key = "argocd", .children = argocd_keys },
	{ 0 },
};

const char *const block_setting_keys[BLOCK_SETTING_KEY_COUNT] = {
	"enabled",
	"excludeNamespaces",
	"registryCredentials",
};
const char *const block_credential_keys[BLOCK_CREDENTIAL_KEY_COUNT] = {
	"existingSecret",
	"existingSecretNamespace",
};

#define PATH_BLOCK "deploykf_dependencies.kyverno.clusterPolicies.imagePullSecrets"

struct reader {
	struct arena *arena;
	struct diag_list *diags;
	struct ips_config *out;
};

/*
 * What a diagnostic calls a value: "list[index].key", "list[index]", or just
 * key when list is NULL. Kept in parts and spelled out only when a diagnostic
 * needs it: thousands of valid credentials need no text at all.
 */
struct label {
	const char *list;
	size_t index;
	const char *key;
};

static const char *label_text(struct arena *arena, const struct label *l)
{
	if (!l->list)
		return l->key;
	if (!l->key)
		return arena_printf(arena, "%s[%zu]", l->list, l->index);
	return arena_printf(arena, "%s[%zu].%s", l->list, l->index, l->key);
}

/* After an error that dropped a setting deployKF would use (see check_block.h). */
static void drop_setting(struct reader *r)
{
	r->out->unrenderable = true;
}

/*
 * A plain scalar that yaml.v3 types as something other than a string, where
 * a name is expected: say what deployKF reads and how to quote it.
 */
static const char *typed_reading(struct arena *arena, const struct node *n)
{
	switch (n->value_type) {
	case SCALAR_NULL: return "null (no value)";
	case SCALAR_BOOL: return arena_printf(arena, "the boolean %s", n->canonical);
	case SCALAR_INT: return arena_printf(arena, "the integer %s", n->canonical);
	case SCALAR_FLOAT: return arena_printf(arena, "the number %s", n->canonical);
	case SCALAR_TIMESTAMP: return arena_printf(arena, "the timestamp %s", n->canonical);
	default: return "a value that is not a string";
	}
}

/*
 * Check that n is a string usable as a name. Reports wrong types and typed
 * plain scalars; returns the text, or NULL after reporting.
 */
static const char *expect_name(struct reader *r, const struct node *n, const struct label *label)
{
	if (n->kind != NODE_SCALAR) {
		diag_add(r->diags, DKF202, n->mark, "%s is a %s; write a name as a string",
			 label_text(r->arena, label), node_kind_name(n));
		drop_setting(r);
		return NULL;
	}
	if (n->value_type != SCALAR_STRING) {
		const char *what = label_text(r->arena, label);
		if (n->is_plain)
			diag_add(r->diags, DKF207, n->mark,
				 "%s is the plain value %s, which deployKF reads as %s; quote it: "
				 "\"%s\"",
				 what, n->len ? n->text : "(empty)", typed_reading(r->arena, n),
				 n->text);
		else
			diag_add(r->diags, DKF207, n->mark,
				 "%s is tagged as %s; write a name as a plain or quoted string",
				 what, scalar_type_name(n->value_type));
		drop_setting(r);
		return NULL;
	}
	return n->text;
}

/* YAML 1.1 booleans that yaml.v3 keeps as strings. */
static bool is_yaml11_bool_word(const char *s)
{
	static const char *const words[] = { "y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
					     "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

static void note_yaml11(struct reader *r, const struct node *n, const struct label *label)
{
	if (n->is_plain && is_yaml11_bool_word(n->text))
		diag_add(r->diags, DKF211, n->mark,
			 "%s is the plain word '%s': a string to deployKF, but a boolean to YAML 1.1 "
			 "tools; quote it (\"%s\") to be read the same everywhere",
			 label_text(r->arena, label), n->text, n->text);
}

/*
 * A name holding a NUL byte (written "a\0b" in double quotes): the name a
 * C string holds ends there, so it can be neither checked nor rendered as
 * written. Reports it, and the policy is not built.
 */
static bool nul_in_name(struct reader *r, const struct node *n, const struct label *label,
			enum diag_code code)
{
	if (strlen(n->text) == n->len)
		return false;
	diag_add(r->diags, code, n->mark,
		 "%s holds a NUL character (\\0), which no Kubernetes name may hold; remove it",
		 label_text(r->arena, label));
	drop_setting(r);
	return true;
}

static void check_name(struct reader *r, const struct node *n, const char *text,
		       const struct label *label, bool subdomain)
{
	if (nul_in_name(r, n, label, subdomain ? DKF208 : DKF209))
		return;
	size_t len = n->len;
	enum name_problem p =
		subdomain ? names_check_subdomain(text, len) : names_check_label(text, len);
	if (p == NAME_OK)
		return;
	const char *what = label_text(r->arena, label);
	if (subdomain)
		diag_add(r->diags, DKF208, n->mark,
			 "%s '%s' %s; a Secret name is lower-case letters, digits, '-' and '.', "
			 "at most 253 characters",
			 what, text, names_problem_text_for(p, NAMES_SUBDOMAIN_MAX));
	else
		diag_add(r->diags, DKF209, n->mark,
			 "%s '%s' %s; a namespace name is lower-case letters, digits and '-', at "
			 "most 63 characters",
			 what, text, names_problem_text_for(p, NAMES_LABEL_MAX));
}

static void unknown_key(struct reader *r, const struct node *key, const struct label *label,
			const char *const *known, size_t known_count)
{
	const char *where = label_text(r->arena, label);
	const char *close = suggest_closest(key->text, key->len, known, known_count);
	struct strbuf list;
	strbuf_init(&list);
	for (size_t i = 0; i < known_count; i++)
		strbuf_addf(&list, "%s'%s'", i ? ", " : "", known[i]);
	if (close)
		diag_add(r->diags, DKF206, key->mark,
			 "unknown key '%s' in %s; did you mean '%s'? deployKF ignores keys it does "
			 "not know",
			 key->text, where, close);
	else
		diag_add(r->diags, DKF206, key->mark,
			 "unknown key '%s' in %s; deployKF ignores it (known keys: %s)", key->text,
			 where, list.buf);
	strbuf_release(&list);
}

/* Step down one map on the path; reports a wrong type. */
static const struct node *path_step(struct reader *r, const struct node *map, const char *key,
				    const char *path)
{
	const struct node_pair *p = node_map_get(map, key);
	if (!p || !p->value)
		return NULL;
	const struct node *v = p->value;
	if (v->kind != NODE_MAP) {
		diag_add(r->diags, DKF202, v->mark,
			 "'%s' is %s%s; it must be a map of settings (deployKF cannot read the "
			 "policy below it)",
			 path, node_is_null(v) ? "" : "a ",
			 node_is_null(v) ? "null" : node_kind_name(v));
		drop_setting(r);
		return NULL;
	}
	return v;
}

static void read_enabled(struct reader *r, const struct node *n)
{
	struct ips_config *out = r->out;
	out->enabled = n;
	if (n->kind != NODE_SCALAR) {
		diag_add(r->diags, DKF212, n->mark,
			 "'enabled' is a %s; write 'enabled: true' or 'enabled: false'",
			 node_kind_name(n));
		return;
	}
	out->is_enabled = node_is_truthy(n);
	if (out->is_enabled || n->value_type == SCALAR_NULL)
		return;
	if (n->value_type == SCALAR_BOOL)
		return;
	/* Not true, yet not written as false either: the user probably meant yes. */
	static const char *const falsy[] = { "false", "f", "no", "n", "off", "0", "" };
	if (n->value_type == SCALAR_STRING) {
		for (size_t i = 0; i < sizeof(falsy) / sizeof(falsy[0]); i++)
			if (strcasecmp(n->text, falsy[i]) == 0)
				return;
	} else if (n->value_type == SCALAR_INT && node_number(n) == 0) {
		return;
	}
	diag_add(r->diags, DKF304, n->mark,
		 "'enabled: %s%s%s' is read by deployKF as false (only true, 1, \"t\", \"true\" and "
		 "\"yes\" are true), so the policy is off; write 'enabled: true'",
		 n->is_plain ? "" : "\"", n->text, n->is_plain ? "" : "\"");
}

static void read_excludes(struct reader *r, const struct node_pair *pair)
{
	struct ips_config *out = r->out;
	const struct node *list = pair->value;
	out->excludes_pair = pair;
	if (list->kind != NODE_SEQ) {
		diag_add(r->diags, DKF205, node_is_null(list) ? pair->key->mark : list->mark,
			 "'excludeNamespaces' is %s%s, not a list; deployKF fails appending the "
			 "kyverno namespace to it; write a list such as [\"argocd\", \"kube-system\"] "
			 "(or [] for none)",
			 node_is_null(list) ? "" : "a ",
			 node_is_null(list) ? "empty (null)" : node_kind_name(list));
		drop_setting(r);
		return;
	}
	out->excludes = arena_alloc(r->arena, (list->count + 1) * sizeof(*out->excludes));
	for (size_t i = 0; i < list->count; i++) {
		const struct node *item = list->items[i];
		const struct label what = { "excludeNamespaces", i, NULL };
		const char *text = expect_name(r, item, &what);
		if (!text)
			continue;
		note_yaml11(r, item, &what);
		if (nul_in_name(r, item, &what, DKF210))
			continue;
		enum name_problem p = names_check_wildcard(text, item->len);
		if (p != NAME_OK) {
			diag_add(r->diags, DKF210, item->mark,
				 "%s '%s' %s, so it can never match a namespace; use a namespace name, "
				 "with '*' for any run of characters and '?' for exactly one",
				 label_text(r->arena, &what), text,
				 names_problem_text_for(p, NAMES_LABEL_MAX));
			drop_setting(r);
			continue;
		}
		out->excludes[out->exclude_count].node = item;
		out->excludes[out->exclude_count].pattern = text;
		out->exclude_count++;
	}
}

static void read_credential(struct reader *r, const struct node *item, size_t index)
{
	struct ips_config *out = r->out;
	const struct label where = { "registryCredentials", index, NULL };
	if (item->kind != NODE_MAP) {
		diag_add(r->diags, DKF204, item->mark,
			 "%s is a %s; each credential must be a map such as "
			 "{existingSecret: \"my-registry-creds\"}",
			 label_text(r->arena, &where), node_kind_name(item));
		drop_setting(r);
		return;
	}
	struct ips_credential *c = &out->credentials[out->credential_count++];
	c->item = item;
	for (size_t i = 0; i < item->count; i++) {
		const struct node_pair *p = &item->pairs[i];
		if (node_is_string(p->key) && strcmp(p->key->text, "existingSecret") == 0)
			c->secret = p->value;
		else if (node_is_string(p->key) &&
			 strcmp(p->key->text, "existingSecretNamespace") == 0)
			c->namespace = p->value;
		else
			unknown_key(r, p->key, &where, block_credential_keys,
				    BLOCK_CREDENTIAL_KEY_COUNT);
	}
	const struct label ns_label = { "registryCredentials", index, "existingSecretNamespace" };
	if (c->namespace && !node_is_null(c->namespace)) {
		const char *ns = expect_name(r, c->namespace, &ns_label);
		if (ns && *ns) {
			note_yaml11(r, c->namespace, &ns_label);
			check_name(r, c->namespace, ns, &ns_label, false);
			c->source_namespace = ns;
		}
	}
	const char *fallback = out->kyverno_namespace ? out->kyverno_namespace : "kyverno";
	const struct label secret_label = { "registryCredentials", index, "existingSecret" };
	if (!c->secret || node_is_null(c->secret) ||
	    (node_is_string(c->secret) && c->secret->len == 0)) {
		diag_add(r->diags, DKF201, c->secret ? c->secret->mark : item->mark,
			 "%s: 'existingSecret' is %s; add the name of a Secret in namespace '%s'",
			 label_text(r->arena, &where), c->secret ? "empty" : "missing",
			 c->source_namespace ? c->source_namespace : fallback);
		drop_setting(r);
		return;
	}
	const char *secret = expect_name(r, c->secret, &secret_label);
	if (!secret)
		return;
	note_yaml11(r, c->secret, &secret_label);
	check_name(r, c->secret, secret, &secret_label, true);
	c->secret_name = secret;
}

static void read_credentials(struct reader *r, const struct node_pair *pair)
{
	struct ips_config *out = r->out;
	const struct node *list = pair->value;
	out->credentials_pair = pair;
	if (list->kind != NODE_SEQ) {
		diag_add(r->diags, DKF203, node_is_null(list) ? pair->key->mark : list->mark,
			 "'registryCredentials' is %s%s, not a list; write a list of maps such as "
			 "[{existingSecret: \"my-registry-creds\"}] (or [] for none)",
			 node_is_null(list) ? "" : "a ",
			 node_is_null(list) ? "empty (null)" : node_kind_name(list));
		drop_setting(r);
		return;
	}
	out->credentials = arena_alloc(r->arena, (list->count + 1) * sizeof(*out->credentials));
	for (size_t i = 0; i < list->count; i++)
		read_credential(r, list->items[i], i);
}

static void read_kyverno_namespace(struct reader *r, const struct node *kyverno)
{
	const struct node_pair *p = node_map_get(kyverno, "namespace");
	if (!p || !p->value)
		return;
	const struct node *n = p->value;
	const char *what = "deploykf_dependencies.kyverno.namespace";
	r->out->kyverno_namespace_node = n;
	if (node_is_null(n) || (node_is_string(n) && n->len == 0)) {
		diag_add(r->diags, DKF209, node_is_null(n) ? p->key->mark : n->mark,
			 "%s is empty; deployKF installs Kyverno and its policy into this namespace; "
			 "name it (the default is \"kyverno\")",
			 what);
		drop_setting(r);
		return;
	}
	const struct label label = { NULL, 0, what };
	const char *ns = expect_name(r, n, &label);
	if (!ns)
		return;
	note_yaml11(r, n, &label);
	check_name(r, n, ns, &label, false);
	r->out->kyverno_namespace = ns;
}

void check_block(const struct node *root, struct arena *arena, struct diag_list *diags,
		 struct ips_config *out)
{
	struct reader r = { arena, diags, out };
	memset(out, 0, sizeof(*out));
	out->kyverno_namespace = "kyverno";

	const struct node *deps =
		path_step(&r, root, "deploykf_dependencies", "deploykf_dependencies");
	const struct node *kyverno =
		path_step(&r, deps, "kyverno", "deploykf_dependencies.kyverno");
	if (kyverno)
		read_kyverno_namespace(&r, kyverno);
	const struct node *policies = path_step(&r, kyverno, "clusterPolicies",
						"deploykf_dependencies.kyverno.clusterPolicies");
	const struct node *block = path_step(&r, policies, "imagePullSecrets", PATH_BLOCK);
	out->block = block;
	if (!block)
		return;

	const struct node_pair *excludes = NULL, *credentials = NULL;
	for (size_t i = 0; i < block->count; i++) {
		const struct node_pair *p = &block->pairs[i];
		const char *key = node_is_string(p->key) ? p->key->text : NULL;
		if (key && strcmp(key, "enabled") == 0)
			read_enabled(&r, p->value);
		else if (key && strcmp(key, "excludeNamespaces") == 0)
			excludes = p;
		else if (key && strcmp(key, "registryCredentials") == 0)
			credentials = p;
		else
			unknown_key(&r, p->key,
				    &(const struct label){ NULL, 0, "imagePullSecrets" },
				    block_setting_keys, BLOCK_SETTING_KEY_COUNT);
	}
	if (excludes)
		read_excludes(&r, excludes);
	if (credentials)
		read_credentials(&r, credentials);
}

bool ips_config_renders(const struct ips_config *config)
{
	return config->block && config->is_enabled && config->credential_count > 0;
}

void ips_config_to_policy(const struct ips_config *config, enum dkf_version version,
			  struct arena *arena, struct policy *out)
{
	memset(out, 0, sizeof(*out));
	out->version = version;
	out->kyverno_namespace = config->kyverno_namespace;

	/* deployKF: `.Release.Namespace | append excludeNamespaces | uniq` */
	out->excluded = arena_alloc(arena, (config->exclude_count + 1) * sizeof(*out->excluded));
	struct strset seen;
	strset_init(&seen);
	for (size_t i = 0; i <= config->exclude_count; i++) {
		const char *name = i < config->exclude_count ? config->excludes[i].pattern
							     : config->kyverno_namespace;
		if (strset_insert(&seen, name, strlen(name), i, NULL))
			out->excluded[out->excluded_count++] = name;
	}
	strset_release(&seen);

	/* `existingSecretNamespace | default $.Release.Namespace` */
	out->credentials =
		arena_alloc(arena, (config->credential_count + 1) * sizeof(*out->credentials));
	for (size_t i = 0; i < config->credential_count; i++) {
		const struct ips_credential *c = &config->credentials[i];
		out->credentials[i].secret_name = c->secret_name;
		out->credentials[i].source_namespace =
			c->source_namespace ? c->source_namespace : config->kyverno_namespace;
	}
	out->credential_count = config->credential_count;
}

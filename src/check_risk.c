#include "check_risk.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "strset.h"
#include "xalloc.h"

const char *const risk_default_excludes[] = { "argocd", "kube-system" };
const size_t risk_default_exclude_count = 2;

static bool is_excluded(const struct ips_config *c, const char *ns)
{
	if (strcmp(ns, c->kyverno_namespace) == 0)
		return true;
	for (size_t i = 0; i < c->exclude_count; i++) {
		struct wildcard *w =
			wildcard_compile(c->excludes[i].pattern, strlen(c->excludes[i].pattern));
		bool hit = wildcard_match(w, ns, strlen(ns));
		wildcard_free(w);
		if (hit)
			return true;
	}
	return false;
}

/* The headline check: a user's excludeNamespaces replaces deployKF's default
 * list, so argocd and kube-system are gone unless listed again. */
static void check_dropped_defaults(const struct ips_config *c, const struct check_risk_options *o,
				   struct diag_list *diags)
{
	const struct node_pair *p = c->excludes_pair;
	if (!p || p->value->kind != NODE_SEQ)
		return;
	if (o->defaults_name && p->value->mark.file == o->defaults_name)
		return; /* the defaults themselves */
	for (size_t i = 0; i < o->expected_exclude_count; i++) {
		const char *ns = o->expected_excludes[i];
		if (is_excluded(c, ns))
			continue;
		diag_add(diags, DKF301, p->key->mark,
			 "'excludeNamespaces' replaces deployKF's default list and drops '%s', so "
			 "the policy now copies secrets into '%s' and patches its Pods; add "
			 "'- \"%s\"' to the list",
			 ns, ns, ns);
	}
}

static void check_enabled(const struct ips_config *c, const struct check_risk_options *o,
			  struct diag_list *diags)
{
	bool is_list = !c->credentials_pair || c->credentials_pair->value->kind == NODE_SEQ;
	if (!is_list)
		return; /* an error already says what is wrong */
	bool has_credentials = c->credentials_pair && c->credentials_pair->value->count > 0;
	if (c->is_enabled && !has_credentials) {
		struct mark at =
			c->credentials_pair ? c->credentials_pair->key->mark : c->enabled->mark;
		diag_add(diags, DKF302, at,
			 "the policy is enabled but 'registryCredentials' is empty, so deployKF "
			 "renders nothing; add a credential such as "
			 "{existingSecret: \"my-registry-creds\"}");
	}
	if (!c->is_enabled && has_credentials) {
		/* DKF304 already covers an `enabled` that looks like yes */
		if (c->enabled &&
		    (c->enabled->kind != NODE_SCALAR || (c->enabled->value_type != SCALAR_BOOL &&
							 c->enabled->value_type != SCALAR_NULL)))
			return;
		/* point at a line the user can edit, never into deployKF's defaults */
		bool enabled_is_users = c->enabled && c->enabled->mark.file != o->defaults_name;
		struct mark at =
			enabled_is_users ? c->enabled->mark : c->credentials_pair->key->mark;
		diag_add(diags, DKF303, at,
			 "'registryCredentials' has %zu entr%s but the policy is not enabled, so "
			 "deployKF renders nothing; set 'enabled: true'",
			 c->credentials_pair->value->count,
			 c->credentials_pair->value->count == 1 ? "y" : "ies");
	}
}

static void check_excludes(const struct ips_config *c, struct diag_list *diags)
{
	struct strset seen;
	strset_init(&seen);
	strset_reserve(&seen, c->exclude_count);
	for (size_t i = 0; i < c->exclude_count; i++) {
		const struct ips_exclude *e = &c->excludes[i];
		size_t first;
		if (strcmp(e->pattern, c->kyverno_namespace) == 0)
			diag_add(diags, DKF305, e->node->mark,
				 "'%s' is the kyverno namespace, which deployKF always excludes; "
				 "remove it from the list",
				 e->pattern);
		if (!strset_insert(&seen, e->pattern, strlen(e->pattern), i, &first)) {
			struct diag *d = diag_add(diags, DKF306, e->node->mark,
						  "'%s' is already in excludeNamespaces; remove "
						  "this repeat",
						  e->pattern);
			diag_set_note(diags, d, c->excludes[first].node->mark, "first listed here");
		}
	}
	strset_release(&seen);
}

/* The namespace a credential clones from (deployKF's default applied). */
static const char *clone_namespace(const struct ips_config *c, const struct ips_credential *cred)
{
	return cred->source_namespace ? cred->source_namespace : c->kyverno_namespace;
}

/* '/' is in neither name, so "ns/secret" names the pair unambiguously. */
static unsigned long long hash_clone_source(const char *ns, const char *secret)
{
	unsigned long long h = strset_hash(STRSET_HASH_START, ns, strlen(ns));
	return strset_hash(strset_hash(h, "/", 1), secret, strlen(secret));
}

/*
 * Two credentials that clone the same Secret from the same namespace. An
 * open-addressing table of credential numbers, sized once: thousands of
 * credentials cost one small array, no joined "ns/secret" strings, and
 * linear time.
 */
static void check_credentials(const struct ips_config *c, struct diag_list *diags)
{
	size_t alloc = 16;
	while (alloc * 3 < c->credential_count * 4 + 4)
		alloc *= 2;
	size_t *slots = xcalloc(alloc, sizeof(*slots)); /* credential index + 1; 0: free */
	for (size_t i = 0; i < c->credential_count; i++) {
		const struct ips_credential *cred = &c->credentials[i];
		if (!cred->secret_name)
			continue;
		const char *ns = clone_namespace(c, cred);
		size_t j = (size_t)hash_clone_source(ns, cred->secret_name) & (alloc - 1);
		for (; slots[j]; j = (j + 1) & (alloc - 1)) {
			const struct ips_credential *first = &c->credentials[slots[j] - 1];
			if (strcmp(first->secret_name, cred->secret_name) != 0 ||
			    strcmp(clone_namespace(c, first), ns) != 0)
				continue;
			struct diag *d = diag_add(diags, DKF307, cred->item->mark,
						  "registryCredentials[%zu] clones '%s' from '%s' "
						  "again; remove one of the two",
						  i, cred->secret_name, ns);
			diag_set_note(diags, d, first->item->mark,
				      "registryCredentials[%zu] clones it first", slots[j] - 1);
			break;
		}
		if (!slots[j])
			slots[j] = i + 1;
	}
	free(slots);
}

void check_risk(const struct ips_config *config, const struct check_risk_options *options,
		struct diag_list *diags)
{
	if (!config->block)
		return;
	check_dropped_defaults(config, options, diags);
	check_enabled(config, options, diags);
	check_excludes(config, diags);
	check_credentials(config, diags);
}

#include "risk.h"

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
		struct wildcard *w = wildcard_compile(c->excludes[i].pattern,
						      strlen(c->excludes[i].pattern));
		bool hit = wildcard_match(w, ns, strlen(ns));
		wildcard_free(w);
		if (hit)
			return true;
	}
	return false;
}

/* The headline check: a user's excludeNamespaces replaces deployKF's default
 * list, so argocd and kube-system are gone unless listed again. */
static void check_dropped_defaults(const struct ips_config *c, const struct risk_options *o,
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

static void check_enabled(const struct ips_config *c, const struct risk_options *o,
			  struct diag_list *diags)
{
	bool is_list = !c->credentials_pair || c->credentials_pair->value->kind == NODE_SEQ;
	if (!is_list)
		return; /* an error already says what is wrong */
	bool has_credentials = c->credentials_pair && c->credentials_pair->value->count > 0;
	if (c->is_enabled && !has_credentials) {
		struct mark at = c->credentials_pair ? c->credentials_pair->key->mark : c->enabled->mark;
		diag_add(diags, DKF302, at,
			 "the policy is enabled but 'registryCredentials' is empty, so deployKF "
			 "renders nothing; add a credential such as "
			 "{existingSecret: \"my-registry-creds\"}");
	}
	if (!c->is_enabled && has_credentials) {
		/* DKF304 already covers an `enabled` that looks like yes */
		if (c->enabled && (c->enabled->kind != NODE_SCALAR ||
				   (c->enabled->value.type != SCALAR_BOOL &&
				    c->enabled->value.type != SCALAR_NULL)))
			return;
		/* point at a line the user can edit, never into deployKF's defaults */
		bool enabled_is_users = c->enabled && c->enabled->mark.file != o->defaults_name;
		struct mark at = enabled_is_users ? c->enabled->mark : c->credentials_pair->key->mark;
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

/* One credential for the duplicate check: what it clones, and where it is. */
struct clone_source {
	const char *ns;
	const char *secret;
	size_t index;
};

static int compare_clone_sources(const void *pa, const void *pb)
{
	const struct clone_source *a = pa, *b = pb;
	int r = strcmp(a->ns, b->ns);
	if (r == 0)
		r = strcmp(a->secret, b->secret);
	if (r == 0)
		r = a->index < b->index ? -1 : a->index > b->index;
	return r;
}

/*
 * Two credentials that clone the same Secret from the same namespace. Sorted,
 * equal pairs are neighbours, each group led by the first one written: a
 * sort of small records touches far less memory than a hash set of every
 * credential (thousands, in a long list), in n log n.
 */
static void check_credentials(const struct ips_config *c, struct diag_list *diags)
{
	struct clone_source *sources = xmalloc((c->credential_count + 1) * sizeof(*sources));
	size_t count = 0;
	for (size_t i = 0; i < c->credential_count; i++) {
		const struct ips_credential *cred = &c->credentials[i];
		if (!cred->secret_name)
			continue;
		sources[count].ns = cred->source_namespace ? cred->source_namespace
							   : c->kyverno_namespace;
		sources[count].secret = cred->secret_name;
		sources[count].index = i;
		count++;
	}
	qsort(sources, count, sizeof(*sources), compare_clone_sources);
	for (size_t k = 1, first = 0; k < count; k++) {
		const struct clone_source *s = &sources[k];
		if (strcmp(s->ns, sources[first].ns) != 0 ||
		    strcmp(s->secret, sources[first].secret) != 0) {
			first = k;
			continue;
		}
		size_t i = s->index, j = sources[first].index;
		struct diag *d = diag_add(diags, DKF307, c->credentials[i].item->mark,
					  "registryCredentials[%zu] clones '%s' from '%s' again; "
					  "remove one of the two",
					  i, s->secret, s->ns);
		diag_set_note(diags, d, c->credentials[j].item->mark,
			      "registryCredentials[%zu] clones it first", j);
	}
	free(sources);
}

void risk_check(const struct ips_config *config, const struct risk_options *options,
		struct diag_list *diags)
{
	if (!config->block)
		return;
	check_dropped_defaults(config, options, diags);
	check_enabled(config, options, diags);
	check_excludes(config, diags);
	check_credentials(config, diags);
}

#include "check_reach.h"

#include <string.h>

#include "names.h"
#include "strbuf.h"
#include "strset.h"

const char *const reach_deploykf_namespaces[] = {
	"kubeflow",       "kubeflow-argo-workflows", "istio-system",           "cert-manager",
	"deploykf-auth",  "deploykf-dashboard",      "deploykf-istio-gateway", "deploykf-minio",
	"deploykf-mysql",
};
const size_t reach_deploykf_namespace_count =
	sizeof(reach_deploykf_namespaces) / sizeof(reach_deploykf_namespaces[0]);

enum { NAMED_MAX = 4 }; /* namespaces named in one message; the rest are counted */

static const struct node *get(const struct node *map, const char *key)
{
	if (!map || map->kind != NODE_MAP)
		return NULL;
	const struct node_pair *p = node_map_get(map, key);
	return p ? p->value : NULL;
}

static bool matches(const char *pattern, const char *ns)
{
	struct wildcard *w = wildcard_compile(pattern, strlen(pattern));
	bool hit = wildcard_match(w, ns, strlen(ns));
	wildcard_free(w);
	return hit;
}

/* Namespaces the team relies on: deployKF's own, each profile's, and the
 * config's knownNamespaces, each once, without the kyverno namespace and
 * the expected excludes (excluded on purpose, so never "swallowed"). Profile
 * names come from deploykf_core.deploykf_profiles_generator.profiles[].name. */
struct namespace_list {
	const char **names;
	size_t count;
};

/* Append ns unless seen holds it; a hash set, since a profile may repeat a
 * deployKF name and 20,000 profiles compared pairwise took seconds. */
static void add_once(struct namespace_list *out, struct strset *seen, const char *ns)
{
	if (strset_insert(seen, ns, strlen(ns), 0, NULL))
		out->names[out->count++] = ns;
}

static void collect_namespaces(const struct ips_config *c, const struct node *root,
			       const struct check_reach_options *o, struct arena *arena,
			       struct namespace_list *out)
{
	const struct node *profiles =
		get(get(get(root, "deploykf_core"), "deploykf_profiles_generator"), "profiles");
	size_t profile_count = profiles && profiles->kind == NODE_SEQ ? profiles->count : 0;
	size_t most = reach_deploykf_namespace_count + profile_count + o->known_namespace_count;
	struct strset seen;
	strset_init(&seen);
	strset_reserve(&seen, most + o->expected_exclude_count + 1);
	/* in the set first, so they are never added */
	strset_insert(&seen, c->kyverno_namespace, strlen(c->kyverno_namespace), 0, NULL);
	for (size_t i = 0; i < o->expected_exclude_count; i++)
		strset_insert(&seen, o->expected_excludes[i], strlen(o->expected_excludes[i]), 0,
			      NULL);
	out->names = arena_alloc(arena, (most + 1) * sizeof(*out->names));
	out->count = 0;
	for (size_t i = 0; i < reach_deploykf_namespace_count; i++)
		add_once(out, &seen, reach_deploykf_namespaces[i]);
	for (size_t i = 0; i < profile_count; i++) {
		const struct node *name = get(profiles->items[i], "name");
		if (node_is_string(name) && name->len &&
		    names_check_label(name->text, name->len) == NAME_OK)
			add_once(out, &seen, name->text);
	}
	for (size_t i = 0; i < o->known_namespace_count; i++)
		add_once(out, &seen, o->known_namespaces[i]);
	strset_release(&seen);
}

static void check_swallowed(const struct ips_exclude *e, const struct namespace_list *spaces,
			    struct diag_list *diags)
{
	struct strbuf hits;
	strbuf_init(&hits);
	size_t hit_count = 0;
	/* compiled once for all the namespaces, on the first that needs it */
	struct wildcard *w = NULL;
	for (size_t i = 0; i < spaces->count; i++) {
		const char *ns = spaces->names[i];
		if (strcmp(ns, e->pattern) == 0)
			continue;
		if (!w)
			w = wildcard_compile(e->pattern, strlen(e->pattern));
		if (!wildcard_match(w, ns, strlen(ns)))
			continue;
		if (hit_count < NAMED_MAX)
			strbuf_addf(&hits, "%s'%s'", hit_count ? ", " : "", ns);
		hit_count++;
	}
	if (hit_count > NAMED_MAX)
		strbuf_addf(&hits, " and %zu more", hit_count - NAMED_MAX);
	if (hit_count)
		diag_add(diags, DKF216, e->node->mark,
			 "'%s' also matches %s, used by deployKF or your profiles; Pods there get no pull secret "
			 "from this policy; use a narrower pattern or the exact name",
			 e->pattern, hits.buf);
	strbuf_release(&hits);
	wildcard_free(w);
}

/* `?` is exactly one character in Kyverno; `?*` and `*?` are the
 * one-or-more idioms and need no remark. */
static void check_question_mark(const struct ips_exclude *e, struct arena *arena,
				struct diag_list *diags)
{
	const char *p = e->pattern;
	size_t len = strlen(p), at = len;
	for (size_t i = 0; i < len; i++) {
		if (p[i] != '?')
			continue;
		if ((i + 1 < len && p[i + 1] == '*') || (i > 0 && p[i - 1] == '*'))
			continue;
		at = i;
		break;
	}
	if (at == len)
		return;
	/* examples: '?' as 'a' and '*' as nothing matches; the lone '?' as
	 * 'ab' does not (checked, since a '*' elsewhere may absorb it) */
	char *yes = arena_alloc(arena, len + 1), *no = arena_alloc(arena, len + 2);
	char *fix = arena_alloc(arena, len + 2);
	size_t ny = 0, nn = 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '*')
			continue;
		yes[ny++] = p[i] == '?' ? 'a' : p[i];
		no[nn++] = p[i] == '?' ? 'a' : p[i];
		if (i == at)
			no[nn++] = 'b';
	}
	yes[ny] = no[nn] = '\0';
	memcpy(fix, p, at + 1);
	fix[at + 1] = '*';
	memcpy(fix + at + 2, p + at + 1, len - at); /* with the NUL */
	if (matches(p, no))
		diag_add(diags, DKF217, e->node->mark,
			 "in Kyverno '?' matches exactly one character: '%s' matches '%s'; write "
			 "'%s' for one or more characters",
			 p, yes, fix);
	else
		diag_add(diags, DKF217, e->node->mark,
			 "in Kyverno '?' matches exactly one character: '%s' matches '%s' but not "
			 "'%s'; write '%s' for one or more characters",
			 p, yes, no, fix);
}

static void check_patterns(const struct ips_config *c, const struct node *root,
			   const struct check_reach_options *o, struct arena *arena,
			   struct diag_list *diags)
{
	struct namespace_list spaces;
	collect_namespaces(c, root, o, arena, &spaces);
	for (size_t i = 0; i < c->exclude_count; i++) {
		const struct ips_exclude *e = &c->excludes[i];
		size_t len = strlen(e->pattern);
		if (!names_has_wildcard(e->pattern, len))
			continue;
		if (names_wildcard_matches_everything(e->pattern, len)) {
			diag_add(diags, DKF215, e->node->mark,
				 "'%s' matches every namespace, so the policy excludes them all and "
				 "does nothing; list the namespaces to leave alone instead",
				 e->pattern);
			continue;
		}
		check_question_mark(e, arena, diags);
		check_swallowed(e, &spaces, diags);
	}
}

static bool is_excluded(const struct ips_config *c, const char *ns)
{
	if (c->kyverno_namespace && strcmp(ns, c->kyverno_namespace) == 0)
		return true;
	for (size_t i = 0; i < c->exclude_count; i++)
		if (matches(c->excludes[i].pattern, ns))
			return true;
	return false;
}

/* deployKF's default exclude is the literal `argocd`; argocd.namespace may
 * move Argo CD elsewhere. */
static void check_argocd(const struct ips_config *c, const struct node *root,
			 const struct check_reach_options *o, struct diag_list *diags)
{
	const struct node *ns = get(get(root, "argocd"), "namespace");
	if (!node_is_string(ns) || ns->len == 0 || strcmp(ns->text, "argocd") == 0 ||
	    names_check_label(ns->text, ns->len) != NAME_OK || !c->excludes_pair ||
	    c->excludes_pair->value->kind != NODE_SEQ || is_excluded(c, ns->text))
		return;
	bool user_list = c->excludes_pair->value->mark.file != o->defaults_name;
	struct diag *d =
		diag_add(diags, DKF308, user_list ? c->excludes_pair->key->mark : ns->mark,
			 "Argo CD runs in '%s' (argocd.namespace), but excludeNamespaces "
			 "does not exclude it, so the policy patches Argo CD's Pods there; "
			 "add '- \"%s\"' to excludeNamespaces",
			 ns->text, ns->text);
	if (user_list)
		diag_set_note(diags, d, ns->mark, "Argo CD's namespace is set here");
}

static void check_kyverno_enabled(const struct ips_config *c, const struct node *root,
				  const struct check_reach_options *o, struct diag_list *diags)
{
	const struct node *enabled =
		get(get(get(root, "deploykf_dependencies"), "kyverno"), "enabled");
	if (!ips_config_renders(c) || !enabled || enabled->kind != NODE_SCALAR ||
	    enabled->mark.file == o->defaults_name)
		return;
	if (node_is_truthy(enabled))
		return;
	struct diag *d =
		diag_add(diags, DKF309, enabled->mark,
			 "deploykf_dependencies.kyverno.enabled is not true, so deployKF "
			 "deploys neither Kyverno nor this policy and no namespace receives "
			 "the pull secrets; set it to true or install the policy another way");
	if (c->enabled)
		diag_set_note(diags, d, c->enabled->mark, "the policy is enabled here");
}

void check_reach(const struct ips_config *config, const struct node *root,
		 const struct check_reach_options *options, struct arena *arena,
		 struct diag_list *diags)
{
	if (!config->block || !config->kyverno_namespace)
		return;
	check_patterns(config, root, options, arena, diags);
	check_argocd(config, root, options, diags);
	check_kyverno_enabled(config, root, options, diags);
}

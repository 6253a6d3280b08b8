#include "check_pathkeys.h"

#include <stdio.h>
#include <string.h>

#include "suggest.h"

enum { PATH_DEPTH = 4 };

static const char *const path_keys[PATH_DEPTH] = {
	"deploykf_dependencies",
	"kyverno",
	"clusterPolicies",
	"imagePullSecrets",
};
static const char path_text[] = "deploykf_dependencies.kyverno.clusterPolicies.imagePullSecrets";

/* Settings of the block that users also put one or two levels too high.
 * `enabled` is left out: kyverno.enabled is a real key one level up. */
static const char *const block_only_keys[] = { "excludeNamespaces", "registryCredentials" };

/* Compare with case folded and '_' and '-' dropped: image_pull_secrets,
 * ImagePullSecrets and image-pull-secrets are all imagePullSecrets. */
static bool fold_equal(const char *a, size_t alen, const char *b)
{
	size_t i = 0, j = 0, blen = strlen(b);
	for (;;) {
		while (i < alen && (a[i] == '_' || a[i] == '-'))
			i++;
		while (j < blen && (b[j] == '_' || b[j] == '-'))
			j++;
		if (i == alen || j == blen)
			return i == alen && j == blen;
		char ca = a[i], cb = b[j];
		if (ca >= 'A' && ca <= 'Z')
			ca = (char)(ca - 'A' + 'a');
		if (cb >= 'A' && cb <= 'Z')
			cb = (char)(cb - 'A' + 'a');
		if (ca != cb)
			return false;
		i++;
		j++;
	}
}

/* Whether word is a plausible misspelling of target: equal after folding
 * case and dropping '_' and '-', or within suggest.h's typo distance. */
static bool is_near(const char *word, size_t len, const char *target)
{
	if (fold_equal(word, len, target))
		return true;
	/* suggest.h's third of the word, but at most 3 edits: deploykf_* and
	 * kubeflow_* keys share long tails and are different sections. */
	size_t tlen = strlen(target), limit = (len < tlen ? len : tlen) / 3;
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	return suggest_within(word, len, target, tlen, limit);
}

bool check_pathkeys_may_matter(const char *word, size_t len)
{
	/* a near key differs in length by at most 3 edits, or by dropped '_'/'-' */
	for (size_t i = 0; i < PATH_DEPTH + 2; i++) {
		const char *target =
			i < PATH_DEPTH ? path_keys[i] : block_only_keys[i - PATH_DEPTH];
		size_t tlen = strlen(target);
		if (len + 6 < tlen || len > tlen + 6)
			continue;
		if (is_near(word, len, target))
			return true;
	}
	return false;
}

static const struct node *child_map(const struct node *map, const char *key)
{
	if (!map || map->kind != NODE_MAP)
		return NULL;
	const struct node_pair *p = node_map_get(map, key);
	return p && p->value && p->value->kind == NODE_MAP ? p->value : NULL;
}

static bool has_key(const struct node *map, const struct node *key)
{
	if (!map || map->kind != NODE_MAP)
		return false;
	for (size_t i = 0; i < map->count; i++) {
		const struct node *k = map->pairs[i].key;
		if (node_is_string(k) && k->len == key->len &&
		    memcmp(k->text, key->text, k->len) == 0)
			return true;
	}
	return false;
}

/* "deploykf_dependencies.kyverno" for depth 2; "the top level" for 0. */
static void path_prefix(char *buf, size_t size, size_t depth)
{
	if (depth == 0) {
		snprintf(buf, size, "the top level");
		return;
	}
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < depth && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? "." : "",
					 path_keys[i]);
}

static const char *levels_word(size_t from, size_t to)
{
	size_t n = from > to ? from - to : to - from;
	return n == 1   ? "one level"
	       : n == 2 ? "two levels"
	       : n == 3 ? "three levels"
			: "four levels";
}

/* ", as 'imagePullSecrets'" when the key is also misspelt. */
static const char *as_spelled(char *buf, size_t size, const struct node *key, const char *right)
{
	if (strcmp(key->text, right) == 0)
		return "";
	snprintf(buf, size, " as '%s'", right);
	return buf;
}

static void where_note(struct diag_list *diags, struct diag *d, const struct node *key)
{
	diag_set_note(diags, d, key->mark, "deployKF reads the policy only from %s", path_text);
}

static void check_key(const struct node *key, size_t depth, struct diag_list *diags)
{
	char here[128], there[128], spelled[64];
	struct diag *d;
	path_prefix(here, sizeof(here), depth);
	if (is_near(key->text, key->len, path_keys[depth])) {
		d = diag_add(diags, DKF213, key->mark,
			     "'%s' is not a key deployKF reads; did you mean '%s'? everything below "
			     "it is ignored, so the image-pull-secrets policy is not what you wrote",
			     key->text, path_keys[depth]);
		where_note(diags, d, key);
		return;
	}
	for (size_t j = 0; j < PATH_DEPTH; j++) {
		if (j == depth || !is_near(key->text, key->len, path_keys[j]))
			continue;
		path_prefix(there, sizeof(there), j);
		d = diag_add(diags, DKF214, key->mark,
			     "'%s' %s%s is %s too %s, so deployKF ignores it; move it %s%s%s",
			     key->text, depth ? "in " : "at ", here, levels_word(depth, j),
			     j > depth ? "high" : "low", j ? "under " : "to ",
			     j ? there : "the top level",
			     as_spelled(spelled, sizeof(spelled), key, path_keys[j]));
		where_note(diags, d, key);
		return;
	}
	for (size_t j = 0; j < sizeof(block_only_keys) / sizeof(block_only_keys[0]); j++) {
		if (!is_near(key->text, key->len, block_only_keys[j]))
			continue;
		d = diag_add(diags, DKF214, key->mark,
			     "'%s' %s%s is %s too high, so deployKF ignores it; move it into "
			     "imagePullSecrets%s",
			     key->text, depth ? "in " : "at ", here, levels_word(depth, PATH_DEPTH),
			     as_spelled(spelled, sizeof(spelled), key, block_only_keys[j]));
		where_note(diags, d, key);
		return;
	}
}

void check_pathkeys(const struct node *layer, const struct node *defaults, struct diag_list *diags)
{
	const struct node *map = layer, *known = defaults;
	/* Iterative: the path is four maps deep, whatever the file holds. */
	for (size_t depth = 0; depth < PATH_DEPTH && map && map->kind == NODE_MAP; depth++) {
		for (size_t i = 0; i < map->count; i++) {
			const struct node *key = map->pairs[i].key;
			if (!node_is_string(key) || strcmp(key->text, path_keys[depth]) == 0)
				continue;
			if (has_key(known, key))
				continue; /* a key deployKF has at this place */
			if (depth == 2 && strcmp(key->text, "enabled") == 0)
				continue;
			check_key(key, depth, diags);
		}
		map = child_map(map, path_keys[depth]);
		known = child_map(known, path_keys[depth]);
	}
}

#include "merge.h"

#include <stdint.h>
#include <string.h>

#include "xalloc.h"

static bool keys_equal(const struct node *a, const struct node *b)
{
	if (a->value_type != b->value_type)
		return false;
	if (a->value_type == SCALAR_STRING)
		return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
	return strcmp(a->canonical, b->canonical) == 0;
}

/* Maps this small are searched, larger ones indexed (a block of thousands
 * of keys stacked on another must not cost the product of the two). */
enum { INDEX_FROM = 16 };

/* Where each key of map is, for map->count at least INDEX_FROM. */
struct key_index {
	const struct node *map;
	bool is_built;
	struct node_keyset keys;
};

static void index_init(struct key_index *ix, const struct node *map)
{
	ix->map = map;
	ix->is_built = map->count >= INDEX_FROM;
	if (!ix->is_built)
		return;
	node_keyset_init(&ix->keys);
	for (size_t i = 0; i < map->count; i++)
		(void)node_keyset_insert(&ix->keys, map->pairs[i].key, i, NULL);
}

static void index_release(struct key_index *ix)
{
	if (ix->is_built)
		node_keyset_release(&ix->keys);
}

static const struct node_pair *find_key(struct key_index *ix, const struct node *key)
{
	const struct node *map = ix->map;
	if (!ix->is_built) {
		for (size_t i = 0; i < map->count; i++)
			if (keys_equal(map->pairs[i].key, key))
				return &map->pairs[i];
		return NULL;
	}
	/* look up by inserting: a new key goes in with an impossible index */
	size_t at;
	if (node_keyset_insert(&ix->keys, key, SIZE_MAX, &at))
		return NULL;
	return at == SIZE_MAX ? NULL : &map->pairs[at];
}

/* Recursion depth is bounded by the loader's nesting limit. */
struct node *merge_layers(struct arena *arena, struct node *lower, struct node *upper)
{
	if (!lower)
		return upper;
	if (!upper)
		return lower;
	if (lower->kind != NODE_MAP || upper->kind != NODE_MAP)
		return upper;

	struct node *out = arena_alloc(arena, sizeof(*out));
	*out = *upper;
	out->mark.is_public = lower->mark.is_public || upper->mark.is_public;
	out->pairs = arena_alloc(arena, (lower->count + upper->count) * sizeof(*out->pairs));
	out->count = 0;
	struct key_index in_upper, in_lower;
	index_init(&in_upper, upper);
	index_init(&in_lower, lower);
	for (size_t i = 0; i < lower->count; i++) {
		const struct node_pair *low = &lower->pairs[i];
		const struct node_pair *up = find_key(&in_upper, low->key);
		struct node_pair merged = *low;
		if (up) {
			merged.key = up->key;
			/* a streamed-past value on either side stays streamed past */
			merged.value = (low->value && up->value)
					       ? merge_layers(arena, low->value, up->value)
					       : up->value;
		}
		out->pairs[out->count++] = merged;
	}
	for (size_t i = 0; i < upper->count; i++)
		if (!find_key(&in_lower, upper->pairs[i].key))
			out->pairs[out->count++] = upper->pairs[i];
	index_release(&in_upper);
	index_release(&in_lower);
	return out;
}

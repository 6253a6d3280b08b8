#include "merge.h"

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

static const struct node_pair *find_key(const struct node *map, const struct node *key)
{
	for (size_t i = 0; i < map->count; i++)
		if (keys_equal(map->pairs[i].key, key))
			return &map->pairs[i];
	return NULL;
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
	for (size_t i = 0; i < lower->count; i++) {
		const struct node_pair *low = &lower->pairs[i];
		const struct node_pair *up = find_key(upper, low->key);
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
		if (!find_key(lower, upper->pairs[i].key))
			out->pairs[out->count++] = upper->pairs[i];
	return out;
}

#include "node.h"

#include <string.h>

const struct node_pair *node_map_get(const struct node *map, const char *key)
{
	if (!map || map->kind != NODE_MAP)
		return NULL;
	size_t len = strlen(key);
	for (size_t i = 0; i < map->count; i++) {
		const struct node *k = map->pairs[i].key;
		if (node_is_string(k) && k->len == len && memcmp(k->text, key, len) == 0)
			return &map->pairs[i];
	}
	return NULL;
}

const char *node_kind_name(const struct node *n)
{
	if (!n)
		return "nothing";
	switch (n->kind) {
	case NODE_MAP: return "map";
	case NODE_SEQ: return "list";
	case NODE_SCALAR: return scalar_type_name(n->value.type);
	}
	return "?";
}

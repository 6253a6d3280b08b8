#include "node.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"
#include "xalloc.h"

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

void node_set_value(struct node *n, struct arena *arena, const struct scalar_value *value)
{
	n->value_type = value->type;
	n->value_boolean = value->boolean;
	n->canonical = value->canonical[0] ? arena_strdup(arena, value->canonical) : "";
}

double node_number(const struct node *n)
{
	if (!n || n->kind != NODE_SCALAR ||
	    (n->value_type != SCALAR_INT && n->value_type != SCALAR_FLOAT))
		return 0;
	/* canonical is Go's text of the number: "83", "1e+06", "+Inf", "NaN" */
	return strtod(n->canonical, NULL);
}

bool node_is_truthy(const struct node *n)
{
	if (!n || n->kind != NODE_SCALAR)
		return false;
	struct scalar_value v = { .type = n->value_type,
				  .boolean = n->value_boolean,
				  .number = node_number(n) };
	return scalar_is_truthy(&v, n->text, n->len);
}

const char *node_kind_name(const struct node *n)
{
	if (!n)
		return "nothing";
	switch (n->kind) {
	case NODE_MAP: return "map";
	case NODE_SEQ: return "list";
	case NODE_SCALAR: return scalar_type_name(n->value_type);
	}
	return "?";
}

/* Old node -> its copy, open addressing; alloc is a power of two. */
struct copy_map {
	const struct node **from;
	struct node **to;
	size_t used, alloc;
};

static size_t slot_of(const struct copy_map *m, const struct node *n)
{
	uintptr_t h = (uintptr_t)n;
	h ^= h >> 17;
	h *= (uintptr_t)0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 7) & (m->alloc - 1);
	while (m->from[i] && m->from[i] != n)
		i = (i + 1) & (m->alloc - 1);
	return i;
}

static void remember(struct copy_map *m, const struct node *from, struct node *to)
{
	if (2 * (m->used + 1) > m->alloc) {
		struct copy_map bigger = { NULL, NULL, 0, m->alloc ? 2 * m->alloc : 256 };
		bigger.from = xcalloc(bigger.alloc, sizeof(*bigger.from));
		bigger.to = xcalloc(bigger.alloc, sizeof(*bigger.to));
		for (size_t i = 0; i < m->alloc; i++)
			if (m->from[i])
				remember(&bigger, m->from[i], m->to[i]);
		free(m->from);
		free(m->to);
		*m = bigger;
	}
	size_t i = slot_of(m, from);
	m->from[i] = from;
	m->to[i] = to;
	m->used++;
}

static struct node *copy_node(struct arena *arena, struct copy_map *m, const struct node *n)
{
	if (!n)
		return NULL;
	if (m->alloc) {
		size_t i = slot_of(m, n);
		if (m->from[i])
			return m->to[i];
	}
	struct node *out = arena_alloc(arena, sizeof(*out));
	*out = *n;
	remember(m, n, out);
	if (n->kind == NODE_SCALAR && n->text)
		out->text = arena_strndup(arena, n->text, n->len);
	if (n->canonical && n->canonical[0])
		out->canonical = arena_strdup(arena, n->canonical);
	if (n->kind == NODE_MAP && n->pairs) {
		out->pairs = arena_alloc(arena, (n->count ? n->count : 1) * sizeof(*out->pairs));
		for (size_t i = 0; i < n->count; i++) {
			out->pairs[i].key = copy_node(arena, m, n->pairs[i].key);
			out->pairs[i].value = copy_node(arena, m, n->pairs[i].value);
		}
	}
	if (n->kind == NODE_SEQ && n->items) {
		out->items = arena_alloc(arena, (n->count ? n->count : 1) * sizeof(*out->items));
		for (size_t i = 0; i < n->count; i++)
			out->items[i] = copy_node(arena, m, n->items[i]);
	}
	return out;
}

struct node *node_copy_tree(struct arena *arena, const struct node *root)
{
	struct copy_map m = { NULL, NULL, 0, 0 };
	struct node *out = copy_node(arena, &m, root);
	free(m.from);
	free(m.to);
	return out;
}

void node_keyset_init(struct node_keyset *ks)
{
	strset_init(&ks->set);
	arena_init(&ks->arena);
}

void node_keyset_release(struct node_keyset *ks)
{
	strset_release(&ks->set);
	arena_free(&ks->arena);
}

bool node_keyset_insert(struct node_keyset *ks, const struct node *key, size_t value,
			size_t *existing)
{
	/* the identity: the type as one byte, then the string's text or the
	 * text Go prints for any other scalar */
	bool is_string = key->value_type == SCALAR_STRING;
	const char *text = is_string ? key->text : key->canonical;
	size_t len = is_string ? key->len : strlen(key->canonical);
	char *id = arena_alloc(&ks->arena, len + 1);
	id[0] = (char)('0' + key->value_type);
	memcpy(id + 1, text, len);
	return strset_insert(&ks->set, id, len + 1, value, existing);
}

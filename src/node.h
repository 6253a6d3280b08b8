#ifndef DKF_NODE_H
#define DKF_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "mark.h"
#include "scalar.h"
#include "strset.h"

/*
 * The part of a values file a check needs, as a tree: the path to the
 * imagePullSecrets block, the block, and what they refer to. Every node
 * remembers where it was written, so a diagnostic can point at the line a
 * user must edit. Nodes live in the run's arena; an alias is the anchored
 * node itself (shared, never copied).
 */
enum node_kind {
	NODE_SCALAR,
	NODE_MAP,
	NODE_SEQ,
};

struct node;

struct node_pair {
	struct node *key;   /* always a scalar */
	struct node *value; /* NULL when the loader streamed past a value no check needs */
};

/*
 * 48 bytes: a list of 2,000 credentials is some 7,500 nodes, and every page
 * they fill is one the process must fault in. What only a scalar or only a
 * collection has shares its place, read by kind (every reader checks it). A
 * scalar's meaning is struct scalar_value cut down to what checks read: its
 * type, its boolean, and the text Go prints for it (in the arena; "" for
 * strings, most scalars), from which node_number() reads the number.
 */
struct node {
	struct mark mark; /* mark.is_public: on the path to the block or in it */
	union {
		const char *text;        /* NODE_SCALAR: as written, after YAML unescaping;
					  * NUL-terminated */
		struct node_pair *pairs; /* NODE_MAP: pairs[count] */
		struct node **items;     /* NODE_SEQ: items[count] */
	};
	union {
		size_t len;   /* NODE_SCALAR: bytes of text */
		size_t count; /* NODE_MAP, NODE_SEQ */
	};
	const char *canonical; /* NODE_SCALAR: see scalar_value.canonical; "" for strings */
	/* nodes in this subtree with aliases expanded (alias budget); never more
	 * than --max-alias-nodes, which is below 2^32 */
	uint32_t weight;
	unsigned kind : 2;          /* enum node_kind */
	unsigned value_type : 3;    /* enum scalar_type, for NODE_SCALAR */
	unsigned value_boolean : 1; /* SCALAR_BOOL */
	unsigned is_plain : 1;      /* unquoted and untagged: typed by yaml.v3's resolver */
};
_Static_assert(NODE_SEQ < (1 << 2) && SCALAR_MERGE < (1 << 3),
	       "the bit-fields of struct node hold every kind and scalar type");

static inline bool node_is_string(const struct node *n)
{
	return n && n->kind == NODE_SCALAR && n->value_type == SCALAR_STRING;
}

static inline bool node_is_null(const struct node *n)
{
	return n && n->kind == NODE_SCALAR && n->value_type == SCALAR_NULL;
}

/* Give scalar n the meaning value (canonical is copied into arena). */
void node_set_value(struct node *n, struct arena *arena, const struct scalar_value *value);

/* The number an SCALAR_INT or SCALAR_FLOAT scalar holds (0 otherwise). */
double node_number(const struct node *n);

/* Whether deployKF's templates read the scalar n as true (scalar_is_truthy). */
bool node_is_truthy(const struct node *n);

/* The pair whose key is the string `key`, or NULL. */
const struct node_pair *node_map_get(const struct node *map, const char *key);
/*
 * A deep copy of the tree at root (NULL for NULL) with every node, pair
 * array and text in arena, so the arenas root's nodes live in can be freed.
 * A node reached twice (an alias: the anchored node itself) is copied once
 * and stays shared. Marks are copied as they are (their file names are not
 * the tree's). Recursion depth is the tree's depth (the loader's limit).
 */
struct node *node_copy_tree(struct arena *arena, const struct node *root);

/*
 * Map keys as yaml.v3's merge keys (`<<`) and deployKF's stacking compare
 * them: by type and text (the text Go prints, for scalars that are not
 * strings), so that merging maps of thousands of keys stays linear.
 */
struct node_keyset {
	struct strset set;
	struct arena arena; /* the identities */
};
void node_keyset_init(struct node_keyset *ks);
void node_keyset_release(struct node_keyset *ks);
/* Insert key (a scalar) with value; false, with *existing (may be NULL) set
 * to the value stored first, when an equal key is in the set. */
bool node_keyset_insert(struct node_keyset *ks, const struct node *key, size_t value,
			size_t *existing);

/* "map", "list", or the scalar's type name ("string", "integer", ...). */
const char *node_kind_name(const struct node *n);

#endif

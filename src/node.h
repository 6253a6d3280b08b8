#ifndef DKF_NODE_H
#define DKF_NODE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "mark.h"
#include "scalar.h"

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

/* A scalar's meaning: struct scalar_value, with the text Go prints for it
 * held in the arena (most scalars are strings, which have none), so a node
 * stays small: a list of 2,000 credentials is 10,000 nodes. */
struct node_value {
	double number;         /* SCALAR_INT and SCALAR_FLOAT */
	const char *canonical; /* see scalar_value.canonical; "" for strings */
	enum scalar_type type;
	bool boolean;          /* SCALAR_BOOL */
};

struct node {
	struct mark mark;
	/* NODE_SCALAR */
	const char *text;    /* as written, after YAML unescaping; NUL-terminated */
	size_t len;
	struct node_value value;
	/* NODE_MAP: pairs[count]; NODE_SEQ: items[count] (read by kind) */
	union {
		struct node_pair *pairs;
		struct node **items;
	};
	size_t count;
	size_t weight;       /* nodes in this subtree with aliases expanded (alias budget) */
	enum node_kind kind;
	bool is_public;      /* on the path to the block or in it: may be quoted in excerpts */
	bool is_plain;       /* unquoted and untagged: typed by yaml.v3's resolver */
};

static inline bool node_is_string(const struct node *n)
{
	return n && n->kind == NODE_SCALAR && n->value.type == SCALAR_STRING;
}

static inline bool node_is_null(const struct node *n)
{
	return n && n->kind == NODE_SCALAR && n->value.type == SCALAR_NULL;
}

/* A resolved scalar as a node holds it; canonical is copied into arena. */
struct node_value node_value_of(struct arena *arena, const struct scalar_value *value);

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

/* "map", "list", or the scalar's type name ("string", "integer", ...). */
const char *node_kind_name(const struct node *n);

#endif

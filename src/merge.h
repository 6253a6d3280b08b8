#ifndef DKF_MERGE_H
#define DKF_MERGE_H

#include "arena.h"
#include "node.h"

/*
 * Stack two layers of values the way `deploykf generate -f a -f b` does:
 * maps merge key by key, recursively; anything else in upper (a list, a
 * scalar, null) replaces what lower had. Either side may be NULL (an empty
 * file). Returns a tree sharing the inputs' nodes; new map nodes live in the
 * arena. Every value keeps the mark of the file that set it, so diagnostics
 * point at the layer that won.
 */
struct node *merge_layers(struct arena *arena, struct node *lower, struct node *upper);

#endif

#ifndef DKF_YLOAD_H
#define DKF_YLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "node.h"
#include "source.h"
#include "yparse.h"

/*
 * Load the first YAML document of a values file with libyaml's event API,
 * building nodes only where a check needs them. Everything else is streamed
 * past: a 10 MB values file costs no 10 MB tree. Anchored values are always
 * built (an alias in the block may refer to them), and aliases are shared
 * nodes, never copies.
 */

/* Which keys to build, as a tree of tables ending with a NULL key. */
struct yload_want {
	const char *key;
	bool keep_all;                     /* build the whole value */
	bool is_public;                    /* on the path to the block or in it */
	const struct yload_want *children; /* for a map on the path, or NULL */
	/* for a list of which only some keys of each map item are read (the
	 * profiles' names): those keys, or NULL to keep a list whole */
	const struct yload_want *items;
};

/*
 * Parse src. top lists the wanted top-level keys. On success returns 0 and
 * sets *root to the top-level map, or to NULL for an empty document (a file
 * of comments is valid and sets nothing). On a problem deployKF could not
 * load (syntax, duplicate key, several documents, a top level that is not a
 * map, limits) adds error diagnostics and returns -1. When reading a
 * streamed file fails (an I/O error, even halfway), adds nothing, sets errno
 * and returns YLOAD_READ_ERROR: the caller reports it naming the file (exit
 * status 2). Nodes are owned by the arena.
 */
enum { YLOAD_READ_ERROR = -2 };

int yload(const struct source *src, const struct yload_want *top,
	  const struct yparse_limits *limits, struct arena *arena, struct diag_list *diags,
	  struct node **root);

/* The same for a text inside another file (origin: the values string of an
 * Argo CD Application), whose positions are given in that file. */
int yload_embedded(const struct source *src, const struct yparse_origin *origin,
		   const struct yload_want *top, const struct yparse_limits *limits,
		   struct arena *arena, struct diag_list *diags, struct node **root);

#endif

#ifndef DKF_KDOC_H
#define DKF_KDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "mark.h"
#include "node.h"
#include "strbuf.h"
#include "yparse.h"

/*
 * Kubernetes documents (manifests, `kubectl get ns -o json|yaml` output):
 * every document of a stream, built whole, read with libyaml's event API
 * and written back with its emitter. Unlike yload.c these are not values
 * files: they are not typed by deployKF's rules, and a tree keeps what it
 * needs to be written back unchanged (tags and scalar styles). JSON is YAML,
 * so JSON input goes through the same path.
 */
struct kdoc_pair;

struct kdoc_node {
	enum node_kind kind;
	struct mark mark;
	unsigned end_line; /* a scalar's last line (where its text ends) */
	const char *tag;   /* explicit tag as written (resolved), or NULL */
	int style;         /* a yaml_scalar_style_t, for scalars */
	const char *text;  /* scalar text, NUL-terminated */
	size_t len;
	struct kdoc_pair *pairs;  /* NODE_MAP: pairs[count] */
	struct kdoc_node **items; /* NODE_SEQ: items[count] */
	size_t count;
	size_t weight; /* nodes in this subtree with aliases expanded */
};

struct kdoc_pair {
	struct kdoc_node *key;
	struct kdoc_node *value;
};

struct kdoc_doc {
	struct kdoc_node *root; /* NULL for an empty document */
	struct mark mark;       /* where the document starts */
};

struct kdoc_file {
	const char *name;      /* as in diagnostics: the path, or "<stdin>" */
	struct kdoc_doc *docs; /* arena */
	size_t count;
	bool failed;    /* not valid YAML or over a limit; diagnostics were added */
	int read_errno; /* reading the file failed (kdoc_load says so) */
};

/*
 * Read the whole of path ("-" is standard input) into buf, at most max_bytes.
 * *name is set to the name to show ("<stdin>" for "-"; else path). Returns 0,
 * or -1 with a one-line reason in err.
 */
int kdoc_read_text(const char *path, size_t max_bytes, struct strbuf *buf, const char **name,
		   char *err, size_t errlen);

/*
 * Parse every document of data[0..size). Nodes live in the arena; name must
 * live as long. Problems (syntax, encoding, depth and alias budgets) become
 * DKF101, DKF112, DKF109 and DKF110 diagnostics and set out->failed; the
 * documents before the problem are kept.
 */
void kdoc_parse(const char *name, const char *data, size_t size, const struct yparse_limits *limits,
		struct arena *arena, struct diag_list *diags, struct kdoc_file *out);

/*
 * kdoc_read_text then kdoc_parse: load every document of path ("-" is
 * standard input). Returns 0 (check out->failed), or -1 with a one-line
 * reason in err for an I/O problem.
 */
int kdoc_load(const char *path, size_t max_bytes, const struct yparse_limits *limits,
	      struct arena *arena, struct diag_list *diags, struct kdoc_file *out, char *err,
	      size_t errlen);

/* The value of the map entry whose key is the scalar key, or NULL. */
struct kdoc_node *kdoc_get(const struct kdoc_node *map, const char *key);
/* The pair itself, for replacing its value; NULL when missing. */
struct kdoc_pair *kdoc_get_pair(const struct kdoc_node *map, const char *key);
/* The text of a scalar that is neither null nor tagged as something other
 * than a string, or NULL. */
const char *kdoc_string(const struct kdoc_node *n);
bool kdoc_is_null(const struct kdoc_node *n);

/* New nodes for edits; in the arena. A new string scalar is written
 * double-quoted, so no name can change the structure around it. */
struct kdoc_node *kdoc_new_string(struct arena *arena, const char *text, struct mark at,
				  bool is_key);
struct kdoc_node *kdoc_new_map(struct arena *arena, size_t count, struct mark at);
struct kdoc_node *kdoc_new_seq(struct arena *arena, size_t count, struct mark at);
/* Append key: value to map (pairs are reallocated in the arena). */
void kdoc_map_append(struct arena *arena, struct kdoc_node *map, struct kdoc_node *key,
		     struct kdoc_node *value);

/*
 * Write the non-empty documents as a YAML stream, each starting with `---`,
 * block style, no line folding, aliases expanded. Appends to out; returns 0,
 * or -1 if libyaml's emitter refused (out is then unchanged).
 */
int kdoc_emit(const struct kdoc_doc *docs, size_t count, struct strbuf *out);

#endif

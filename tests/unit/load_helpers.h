/*
 * load_helpers.h - shared by the unit tests that load YAML text: load a string the
 * way the tool loads a values file, walk the node tree by a path, find diagnostics.
 * Include after <cmocka.h>. Everything is static: each test binary gets its own copy.
 */
#ifndef DKF_TEST_LOAD_HELPERS_H
#define DKF_TEST_LOAD_HELPERS_H

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check_block.h"
#include "diag.h"
#include "node.h"
#include "source.h"
#include "yload.h"

struct loaded {
	struct arena arena;
	struct diag_list diags;
	struct source src;
	struct node *root;
	int rc;
};

/* Load text named `name` into an arena the caller already set up. */
static inline struct node *load_into(struct arena *arena, struct diag_list *diags, const char *name,
				     const char *text, const struct yparse_limits *limits, int *rc)
{
	struct source src;
	struct node *root = NULL;
	source_from_memory(&src, name, text, strlen(text));
	*rc = yload(&src, block_wanted_keys, limits, arena, diags, &root);
	return root;
}

static inline void load_limited(struct loaded *l, const char *text,
				const struct yparse_limits *limits)
{
	arena_init(&l->arena);
	diag_list_init(&l->diags, &l->arena);
	l->root = load_into(&l->arena, &l->diags, "values.yaml", text, limits, &l->rc);
}

static inline void load_text(struct loaded *l, const char *text)
{
	struct yparse_limits limits = { YPARSE_DEFAULT_MAX_DEPTH, YPARSE_DEFAULT_MAX_ALIAS_NODES,
					0 };
	load_limited(l, text, &limits);
}

static inline void loaded_free(struct loaded *l)
{
	diag_list_release(&l->diags);
	arena_free(&l->arena);
}

/*
 * The pair at a path like "deploykf_dependencies.kyverno.namespace" or
 * "a.list[1].key" (the last step must be a key), or NULL when a step is missing.
 */
static inline const struct node_pair *pair_at(const struct node *node, const char *path)
{
	const struct node_pair *pair = NULL;
	const char *p = path;
	while (*p) {
		if (*p == '.')
			p++;
		if (*p == '[') {
			char *end;
			unsigned long i = strtoul(p + 1, &end, 10);
			if (!node || node->kind != NODE_SEQ || i >= node->count)
				return NULL;
			node = node->items[i];
			pair = NULL;
			p = end + 1;
			continue;
		}
		size_t n = strcspn(p, ".[");
		char key[128];
		assert_true(n < sizeof key);
		memcpy(key, p, n);
		key[n] = '\0';
		pair = node_map_get(node, key);
		if (!pair)
			return NULL;
		node = pair->value;
		p += n;
	}
	return pair;
}

/* The node at a path (keys and [i] items), or NULL. */
static inline const struct node *node_at(const struct node *root, const char *path)
{
	const struct node *node = root;
	const char *p = path;
	while (*p && node) {
		if (*p == '.')
			p++;
		if (*p == '[') {
			char *end;
			unsigned long i = strtoul(p + 1, &end, 10);
			if (node->kind != NODE_SEQ || i >= node->count)
				return NULL;
			node = node->items[i];
			p = end + 1;
			continue;
		}
		size_t n = strcspn(p, ".[");
		char key[128];
		assert_true(n < sizeof key);
		memcpy(key, p, n);
		key[n] = '\0';
		const struct node_pair *pair = node_map_get(node, key);
		node = pair ? pair->value : NULL;
		p += n;
	}
	return node;
}

/* The text of the scalar at path; fails the test when there is none. */
static inline const char *text_at(const struct node *root, const char *path)
{
	const struct node *n = node_at(root, path);
	if (!n || n->kind != NODE_SCALAR)
		fail_msg("no scalar at %s", path);
	return n->text;
}

static inline size_t count_code(const struct diag_list *diags, enum diag_code code)
{
	size_t n = 0;
	for (size_t i = 0; i < diags->count; i++)
		if (diags->items[i].code == code)
			n++;
	return n;
}

static inline void dump_diags(const struct diag_list *diags)
{
	for (size_t i = 0; i < diags->count; i++) {
		const struct diag *d = &diags->items[i];
		print_message("  %s:%u:%u: %s [%s]\n", d->at.file ? d->at.file : "-", d->at.line,
			      d->at.col, d->message, diag_info(d->code)->code);
	}
}

/* The first diagnostic with code; fails the test (listing what there is) if none. */
static inline const struct diag *find_code(const struct diag_list *diags, enum diag_code code)
{
	for (size_t i = 0; i < diags->count; i++)
		if (diags->items[i].code == code)
			return &diags->items[i];
	dump_diags(diags);
	fail_msg("no %s among %zu diagnostics", diag_info(code)->code, diags->count);
	return NULL;
}

/* Assert a diagnostic with code at line:col exists. */
static inline const struct diag *expect_diag(const struct diag_list *diags, enum diag_code code,
					     unsigned line, unsigned col)
{
	for (size_t i = 0; i < diags->count; i++) {
		const struct diag *d = &diags->items[i];
		if (d->code == code && d->at.line == line && d->at.col == col)
			return d;
	}
	dump_diags(diags);
	fail_msg("no %s at %u:%u", diag_info(code)->code, line, col);
	return NULL;
}

static inline void expect_no_diags(const struct diag_list *diags)
{
	if (diags->count) {
		dump_diags(diags);
		fail_msg("expected no diagnostics, got %zu", diags->count);
	}
}

#endif

#include "stack.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "merge.h"
#include "check_pathkeys.h"
#include "check_reach.h"
#include "source.h"
#include "xalloc.h"

static const char embedded_defaults_name[] = "deployKF defaults";

/* Returns 0, or the errno of a read error (the layer then failed). */
static int load_source(struct stack *stack, const struct source *src,
		       const struct yparse_limits *limits, struct arena *arena,
		       struct stack_layer *out)
{
	out->name = src->name;
	out->root = NULL;
	int rc = yload(src, block_wanted_keys, limits, arena, stack->diags, &out->root);
	out->failed = rc != 0;
	if (rc == YLOAD_READ_ERROR)
		return errno ? errno : EIO;
	if (!out->failed && !out->root) {
		struct mark at = mark_at(src->name, 0, 0);
		diag_add(stack->diags, DKF114, at,
			 "the file sets no values (it is empty or holds only comments)");
	}
	return 0;
}

int stack_init(struct stack *stack, const struct stack_options *options, struct arena *arena,
	       struct diag_list *diags, char *err, size_t errlen)
{
	memset(stack, 0, sizeof(*stack));
	stack->options = options;
	stack->diags = diags;
	if (options->source_path) {
		/* diagnostics point at the name: it lives as long as they do,
		 * also when arena (the defaults' nodes) goes first */
		const char *path = arena_printf(diags->arena, "%s/generator/default_values.yaml",
						options->source_path);
		stack->defaults_name = path;
		if (stack_load(stack, path, arena, &stack->defaults, err, errlen) != 0)
			return -1;
		return 0;
	}
	const struct embedded_file *f = embedded_find("data/default_values.yaml");
	if (!f) {
		snprintf(err, errlen, "internal error: the embedded defaults are missing");
		return -1;
	}
	struct source src;
	source_from_memory(&src, embedded_defaults_name, f->data, f->size);
	stack->defaults_name = embedded_defaults_name;
	/* our own embedded text: the user's input limits are not for it */
	static const struct yparse_limits embedded_limits = { YPARSE_DEFAULT_MAX_DEPTH,
							      YPARSE_DEFAULT_MAX_ALIAS_NODES,
							      YPARSE_DEFAULT_MAX_NODES };
	(void)load_source(stack, &src, &embedded_limits, arena, &stack->defaults); /* no I/O */
	return 0;
}

int stack_load(struct stack *stack, const char *path, struct arena *arena, struct stack_layer *out,
	       char *err, size_t errlen)
{
	struct source src;
	if (source_open(&src, path, stack->options->max_bytes, err, errlen) != 0)
		return -1;
	int read_errno = load_source(stack, &src, &stack->options->limits, arena, out);
	source_close(&src);
	if (read_errno) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(read_errno));
		return -1;
	}
	return 0;
}

/* One more layer on merged (checks its path keys first). */
static struct node *stack_layer_on(struct stack *stack, struct arena *arena, struct node *merged,
				   const struct stack_layer *layer)
{
	check_pathkeys(layer->root, stack->defaults.root, stack->diags);
	return merge_layers(arena, merged, layer->root);
}

bool stack_layer_is_manifest(const struct stack_layer *layer)
{
	const struct node *root = layer->root;
	if (!root || root->kind != NODE_MAP)
		return false;
	const struct node_pair *api = node_map_get(root, "apiVersion");
	const struct node_pair *kind = node_map_get(root, "kind");
	return api && kind && node_is_string(api->value) && node_is_string(kind->value);
}

static void check_merged(struct stack *stack, struct node *merged, struct arena *arena,
			 struct stack_result *out);

bool stack_evaluate(struct stack *stack, const struct stack_layer *layers, size_t count,
		    struct arena *arena, struct stack_result *out)
{
	memset(out, 0, sizeof(*out));
	out->files = arena_alloc(arena, (count + 1) * sizeof(*out->files));
	out->files[out->file_count++] = stack->defaults_name;
	for (size_t i = 0; i < count; i++)
		out->files[out->file_count++] = layers[i].name;
	if (stack->defaults.failed)
		return false;
	struct node *merged = stack->defaults.root;
	for (size_t i = 0; i < count; i++) {
		if (layers[i].failed)
			return false;
		merged = stack_layer_on(stack, arena, merged, &layers[i]);
	}
	check_merged(stack, merged, arena, out);
	return true;
}

/* Read the block of merged and run the checks on it. */
static void check_merged(struct stack *stack, struct node *merged, struct arena *arena,
			 struct stack_result *out)
{
	out->merged = merged;
	struct ips_config *config = &out->config;
	check_block(merged, arena, stack->diags, config);
	struct check_risk_options risk = {
		stack->options->expected_excludes,
		stack->options->expected_exclude_count,
		stack->defaults_name,
	};
	check_risk(config, &risk, stack->diags);
	struct check_reach_options reach = {
		stack->options->known_namespaces,
		stack->options->known_namespace_count,
		stack->options->expected_excludes,
		stack->options->expected_exclude_count,
		stack->defaults_name,
	};
	check_reach(config, merged, &reach, arena, stack->diags);
}

void stack_fold_begin(struct stack *stack, struct stack_fold *fold)
{
	fold->stack = stack;
	fold->result = xmalloc(sizeof(*fold->result));
	arena_init(fold->result);
	fold->last = NULL;
	fold->merged = stack->defaults.root;
	fold->failed = stack->defaults.failed;
}

static void free_arena(struct arena **a)
{
	if (*a) {
		arena_free(*a);
		free(*a);
	}
	*a = NULL;
}

int stack_fold_add(struct stack_fold *fold, const char *path, char *err, size_t errlen)
{
	struct stack *stack = fold->stack;
	if (fold->last) {
		/*
		 * The result so far shares nodes with the last file's arena (and
		 * merge_layers' new maps live there too): copy it into a fresh
		 * arena, then the older result and the last file's tree can go.
		 * The copy is the size of the merged tree, not of the files read
		 * so far; a single file is never copied.
		 */
		struct arena *next = xmalloc(sizeof(*next));
		arena_init(next);
		fold->merged = fold->failed ? NULL : node_copy_tree(next, fold->merged);
		free_arena(&fold->result);
		free_arena(&fold->last);
		fold->result = next;
	}
	struct arena *layer_arena = xmalloc(sizeof(*layer_arena));
	arena_init(layer_arena);
	struct stack_layer layer;
	int rc = stack_load(stack, path, layer_arena, &layer, err, errlen);
	fold->last_is_manifest = rc == 0 && stack_layer_is_manifest(&layer);
	if (rc == 0 && !fold->failed && layer.failed)
		fold->failed = true; /* later files are still loaded, for their diagnostics */
	if (rc == 0 && !fold->failed && !fold->last_is_manifest) {
		fold->merged = stack_layer_on(stack, layer_arena, fold->merged, &layer);
		fold->last = layer_arena;
	} else {
		free_arena(&layer_arena);
	}
	return rc;
}

bool stack_fold_finish(struct stack_fold *fold, struct stack_result *out)
{
	memset(out, 0, sizeof(*out));
	if (fold->failed)
		return false;
	check_merged(fold->stack, fold->merged, fold->result, out);
	return true;
}

void stack_fold_release(struct stack_fold *fold)
{
	free_arena(&fold->result);
	free_arena(&fold->last);
	fold->merged = NULL;
}

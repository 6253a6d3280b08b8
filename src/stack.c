#include "stack.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "embedded.h"
#include "merge.h"
#include "pathkeys.h"
#include "reach.h"
#include "source.h"
#include "xalloc.h"

static const char embedded_defaults_name[] = "deployKF defaults";

/* Returns 0, or the errno of a read error (the layer then failed). */
static int load_source(struct stack *stack, const struct source *src,
		       const struct yload_limits *limits, struct stack_layer *out)
{
	out->name = src->name;
	out->root = NULL;
	int rc = yload(src, block_wanted_keys, limits, stack->arena, stack->diags, &out->root);
	out->failed = rc != 0;
	if (rc == YLOAD_READ_ERROR)
		return errno ? errno : EIO;
	if (!out->failed && !out->root) {
		struct mark at = { src->name, 0, 0 };
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
	stack->arena = arena;
	stack->diags = diags;
	if (options->source_path) {
		const char *path = arena_printf(arena, "%s/generator/default_values.yaml",
						options->source_path);
		stack->defaults_name = path;
		if (stack_load(stack, path, &stack->defaults, err, errlen) != 0)
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
	static const struct yload_limits embedded_limits = {
		YLOAD_DEFAULT_MAX_DEPTH, YLOAD_DEFAULT_MAX_ALIAS_NODES, YLOAD_DEFAULT_MAX_NODES
	};
	(void)load_source(stack, &src, &embedded_limits, &stack->defaults); /* memory: no I/O */
	return 0;
}

int stack_load(struct stack *stack, const char *path, struct stack_layer *out, char *err,
	       size_t errlen)
{
	struct source src;
	if (source_open(&src, path, stack->options->max_bytes, err, errlen) != 0)
		return -1;
	int read_errno = load_source(stack, &src, &stack->options->limits, out);
	source_close(&src);
	if (read_errno) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(read_errno));
		return -1;
	}
	return 0;
}

bool stack_evaluate(struct stack *stack, const struct stack_layer *layers, size_t count,
		    struct ips_config *config)
{
	memset(config, 0, sizeof(*config));
	stack->merged = NULL;
	if (stack->defaults.failed)
		return false;
	struct node *merged = stack->defaults.root;
	for (size_t i = 0; i < count; i++) {
		if (layers[i].failed)
			return false;
		stack->diags->quote_public = true; /* every check below is about the path */
		pathkeys_check(layers[i].root, stack->defaults.root, stack->diags);
		stack->diags->quote_public = false;
		merged = merge_layers(stack->arena, merged, layers[i].root);
	}
	stack->merged = merged;
	/* block.c and risk.c only look at the path and the block */
	stack->diags->quote_public = true;
	block_read(merged, stack->arena, stack->diags, config);
	struct risk_options risk = {
		stack->options->expected_excludes,
		stack->options->expected_exclude_count,
		stack->defaults_name,
	};
	risk_check(config, &risk, stack->arena, stack->diags);
	struct reach_options reach = {
		stack->options->known_namespaces,
		stack->options->known_namespace_count,
		stack->options->expected_excludes,
		stack->options->expected_exclude_count,
		stack->defaults_name,
	};
	reach_check(config, merged, &reach, stack->arena, stack->diags);
	stack->diags->quote_public = false;
	return true;
}

const struct node *stack_merged_root(const struct stack *stack)
{
	return stack->merged;
}

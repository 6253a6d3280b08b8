#ifndef DKF_STACK_H
#define DKF_STACK_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "block.h"
#include "diag.h"
#include "risk.h"
#include "yload.h"

/*
 * A values stack as `deploykf generate -f a -f b` sees it: deployKF's
 * defaults, then each file in order, merged; then the block read, checked
 * and turned into a policy. Files are loaded once and kept, so lint can
 * check many files on top of one shared stack.
 */
struct stack_options {
	const char *source_path;      /* a deployKF source tree for the defaults, or NULL */
	size_t max_bytes;
	struct yload_limits limits;
	const char *const *expected_excludes;
	size_t expected_exclude_count;
	const char *const *known_namespaces; /* config: more namespaces to protect */
	size_t known_namespace_count;
};

struct stack_layer {
	const char *name;
	struct node *root; /* NULL: empty file */
	bool failed;       /* could not be loaded; diagnostics were added */
};

struct stack {
	const struct stack_options *options;
	struct arena *arena;
	struct diag_list *diags;
	struct stack_layer defaults;
	const char *defaults_name;
	const struct node *merged; /* root of the last stack_evaluate, or NULL */
};

/*
 * Load the defaults layer. Returns 0, or -1 with a one-line reason in err
 * (an I/O problem: exit status 2).
 */
int stack_init(struct stack *stack, const struct stack_options *options, struct arena *arena,
	       struct diag_list *diags, char *err, size_t errlen);

/* Load one file ("-" is standard input) into a layer. Returns 0 (the layer
 * may have failed with diagnostics), or -1 with err set for an I/O problem. */
int stack_load(struct stack *stack, const char *path, struct stack_layer *out, char *err,
	       size_t errlen);

/*
 * Merge defaults + layers[0..count), read and check the block. Returns
 * false when a layer failed to load (the block is then not read).
 */
bool stack_evaluate(struct stack *stack, const struct stack_layer *layers, size_t count,
		    struct ips_config *config);

/* The merged values of the last successful stack_evaluate (only the parts the
 * loader builds: the block's path, profile names, argocd.namespace), or NULL.
 * Owned by the stack's arena. */
const struct node *stack_merged_root(const struct stack *stack);

#endif

#ifndef DKF_STACK_H
#define DKF_STACK_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "check_block.h"
#include "diag.h"
#include "check_risk.h"
#include "yload.h"

/*
 * A values stack as `deploykf generate -f a -f b` sees it: deployKF's
 * defaults, then each file in order, merged; then the block read, checked
 * and turned into a policy. Files are loaded once and kept, so lint can
 * check many files on top of one shared stack.
 */
struct stack_options {
	const char *source_path; /* a deployKF source tree for the defaults, or NULL */
	size_t max_bytes;
	struct yparse_limits limits;
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
	struct diag_list *diags;
	struct stack_layer defaults; /* in the arena given to stack_init */
	const char *defaults_name;
};

/*
 * What a stack evaluates to: the merged values (only the parts the loader
 * builds: the block's path, profile names, argocd.namespace) and the block
 * read from them. It points into the arenas of the layers and of the merge,
 * so it lives exactly as long as they do; nothing keeps it after that.
 */
struct stack_result {
	const struct node *merged; /* NULL: empty */
	struct ips_config config;
	/* stack_evaluate: the defaults' name and every layer's, in order (which
	 * files its findings can be in); stack_fold_finish leaves them out */
	const char **files;
	size_t file_count;
};

/*
 * Load the defaults layer into arena (it must outlive every evaluation).
 * Returns 0, or -1 with a one-line reason in err (an I/O problem: exit 2).
 */
int stack_init(struct stack *stack, const struct stack_options *options, struct arena *arena,
	       struct diag_list *diags, char *err, size_t errlen);

/* Load one file ("-" is standard input) into a layer whose nodes live in
 * arena. Returns 0 (the layer may have failed with diagnostics), or -1 with
 * err set for an I/O problem. */
int stack_load(struct stack *stack, const char *path, struct arena *arena, struct stack_layer *out,
	       char *err, size_t errlen);

/*
 * Whether the layer loaded from a file is a Kubernetes manifest rather than
 * values: its top level has apiVersion and kind (deployKF's values have
 * neither). Such a file (an Argo CD Application of deployKF's plugin, say)
 * is read as manifests instead (plugin.h).
 */
bool stack_layer_is_manifest(const struct stack_layer *layer);

/*
 * Merge defaults + layers[0..count) (new maps in arena), read and check the
 * block. Returns false when a layer failed to load (the block is then not
 * read and *out is empty).
 */
bool stack_evaluate(struct stack *stack, const struct stack_layer *layers, size_t count,
		    struct arena *arena, struct stack_result *out);

/*
 * Stacking file by file, for a long -f list: each file is merged into the
 * running result as soon as it is read, and its own nodes are freed, so
 * memory is one file's tree plus the result, however many files there are.
 * Diagnostics are those of stack_load for every file followed by
 * stack_evaluate. Use: stack_fold_begin, stack_fold_add per file,
 * stack_fold_finish once, stack_fold_release always (after which the result
 * of stack_fold_finish is gone too).
 */
struct stack_fold {
	struct stack *stack;
	struct arena *result; /* the merged tree (heap, its own arena) ... */
	struct arena *last;   /* ... and the last file's tree, which it shares, or NULL */
	struct node *merged;
	bool failed;           /* a file failed to load: no block is read */
	bool last_is_manifest; /* the file added last is a manifest (not merged) */
};

void stack_fold_begin(struct stack *stack, struct stack_fold *fold);
/* Load path and merge it in. Returns 0, or -1 with err set for an I/O problem. */
int stack_fold_add(struct stack_fold *fold, const char *path, char *err, size_t errlen);
/* stack_evaluate on the folded result, which lives in the fold. */
bool stack_fold_finish(struct stack_fold *fold, struct stack_result *out);
void stack_fold_release(struct stack_fold *fold);

#endif

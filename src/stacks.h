#ifndef DKF_STACKS_H
#define DKF_STACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "arena.h"
#include "config.h"
#include "diag.h"
#include "strset.h"
#include "version.h"

/*
 * The stacks a repository declares in .dkfpolicy.yaml (`stacks:`), checked
 * and resolved: every path made relative to the working folder (they are
 * written relative to the configuration file's folder), every file looked up
 * once. A bad entry is a DKF123 finding at its position in the configuration,
 * and that stack is not checked; the others are.
 *
 * A file is known by what it is (device and inode), not by how a path
 * spells it, so `lint ./values/prod.yaml` finds the stacks that list
 * `values/prod.yaml`. Findings name it as the stacks do: an Application's
 * values_files are spelled the same way (the configuration's folder is the
 * repository's top), so a file is one file in every stack.
 */
struct file_id {
	dev_t dev;
	ino_t ino;
};

struct stack_decl {
	const struct config_stack *entry; /* as written, with positions */
	const char *name;
	const char **values; /* paths, in -f order; arena */
	size_t value_count;
	const char *application;      /* an Application file instead of values, or NULL */
	const char *application_name; /* which Application of it, or NULL: the only one */
	bool has_version;             /* deploykfVersion given */
	enum dkf_version version;
	const char *source_path; /* a deployKF source tree for the defaults, or NULL */
	const char *output;      /* the committed policy, or NULL */
	bool is_valid;           /* false: DKF123 said why; it is not checked */
};

struct stack_decls {
	const char *config_path;  /* the file that declares them */
	const char *folder;       /* its folder ("." for the working folder): the
				    * repository's top, for Applications' values_files */
	struct stack_decl *items; /* arena, in declaration order */
	size_t count;
	/* file identity ("dev:ino") -> first holder + 1; holders chain on */
	struct strset by_file;
	struct stack_holder *holders; /* heap */
	size_t holder_count, holder_alloc;
};

/* A file of a stack: values[layer], or its Application (layer SIZE_MAX), or
 * its output (is_output). */
struct stack_holder {
	size_t stack, layer;
	bool is_output;
	size_t next; /* index + 1 of the next holder of the same file, 0: none */
};

#define STACK_APPLICATION_LAYER SIZE_MAX
/* a values_files entry of a stack's Application (not in the declaration) */
#define STACK_APPLICATION_VALUES (SIZE_MAX - 1)

/* Check and resolve config's stacks (none declared: count 0). Findings are
 * DKF123 at the entry's position. Release with stacks_release. */
void stacks_resolve(const struct dkf_config *config, struct arena *arena, struct diag_list *diags,
		    struct stack_decls *out);
void stacks_release(struct stack_decls *decls);

/* The stack named name, or NULL. */
const struct stack_decl *stacks_find(const struct stack_decls *decls, const char *name);

/* Whether path names an existing file; its identity in *id. */
bool stacks_file_id(const char *path, struct file_id *id);

/* The first holder of file id, or NULL; go on with stacks_next_holder. */
const struct stack_holder *stacks_first_holder(const struct stack_decls *decls,
					       const struct file_id *id);
const struct stack_holder *stacks_next_holder(const struct stack_decls *decls,
					      const struct stack_holder *h);

/* Record that stack (an application stack) holds file id through its
 * Application's values_files, so that lint of that file checks the stack. */
void stacks_add_application_file(struct stack_decls *decls, size_t stack, const struct file_id *id,
				 struct arena *arena);

#endif

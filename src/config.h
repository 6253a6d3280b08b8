#ifndef DKF_CONFIG_H
#define DKF_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "version.h"

/*
 * The tool's own settings, .dkfpolicy.yaml (a document we own, so libcyaml):
 *
 *   rules:                      # per-rule severity; codes or names
 *     off: [duplicate-exclude]
 *     error: [DKF301]
 *     warning: []
 *     info: []
 *   expectedExcludes: [argocd, kube-system, monitoring]
 *   deploykfVersion: v0.1.4
 *   knownNamespaces: [ml-platform]
 *   stacks:                     # the repository's stacks (stacks.h)
 *     - name: prod
 *       values: [values/common.yaml, values/prod.yaml]
 *       deploykfVersion: v0.1.5
 *       sourcePath: vendor/deploykf
 *       output: manifests/prod/clusterpolicy.yaml
 *     - name: staging
 *       application: apps/staging.yaml
 *       applicationName: deploykf-staging
 */
enum config_severity {
	CONFIG_DEFAULT, /* the code's own severity */
	CONFIG_INFO,
	CONFIG_WARNING,
	CONFIG_ERROR,
	CONFIG_OFF,
};

/* A text of the file as written, with where it was written. */
struct config_text {
	const char *text; /* NULL: not given */
	struct mark at;
};

/* One entry of stacks:, as written; stacks.c checks and resolves it. */
struct config_stack {
	struct mark at; /* the entry */
	struct config_text name;
	struct config_text *values; /* values[value_count] */
	size_t value_count;
	bool has_values; /* the key is there (maybe with an empty list) */
	struct config_text application, application_name;
	struct config_text deploykf_version, source_path, output;
};

struct dkf_config {
	const char *path; /* the file used, or NULL */
	enum config_severity severity[DIAG_CODE_COUNT];
	const char **expected_excludes; /* arena; NULL: the defaults */
	size_t expected_exclude_count;
	bool has_version;
	enum dkf_version version;
	const char **known_namespaces; /* arena */
	size_t known_namespace_count;
	struct config_stack *stacks; /* arena */
	size_t stack_count;
};

enum { CONFIG_MAX_BYTES = 1024 * 1024 };

/*
 * Find and load the configuration: explicit (--config; must exist), else
 * the nearest .dkfpolicy.yaml in the working folder or a parent (up to the
 * repository's top or $HOME, and only a file of one's own), else none.
 * A bad file adds DKF120 at its position and leaves the defaults in out.
 * Returns 0, or -1 with a reason in err when an explicit file cannot be read.
 */
int config_load(const char *explicit_path, struct arena *arena, struct diag_list *diags,
		struct dkf_config *out, char *err, size_t errlen);

/*
 * The same from text already in memory (config_load reads the file and calls
 * this; the fuzz harness feeds bytes here). path names the text in
 * diagnostics; text[size] must be '\0'.
 */
void config_load_memory(const char *path, const char *text, size_t size, struct arena *arena,
			struct diag_list *diags, struct dkf_config *out);

#endif

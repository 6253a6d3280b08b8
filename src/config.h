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
 */
enum config_severity {
	CONFIG_DEFAULT, /* the code's own severity */
	CONFIG_INFO,
	CONFIG_WARNING,
	CONFIG_ERROR,
	CONFIG_OFF,
};

struct dkf_config {
	const char *path;                         /* the file used, or NULL */
	enum config_severity severity[DIAG_CODE_COUNT];
	const char **expected_excludes;           /* arena; NULL: the defaults */
	size_t expected_exclude_count;
	bool has_version;
	enum dkf_version version;
	const char **known_namespaces;            /* arena */
	size_t known_namespace_count;
};

enum { CONFIG_MAX_BYTES = 1024 * 1024 };

/*
 * Find and load the configuration: explicit (--config; must exist), else
 * the nearest .dkfpolicy.yaml in the working folder or a parent, else none.
 * A bad file adds DKF120 at its position and leaves the defaults in out.
 * Returns 0, or -1 with a reason in err when an explicit file cannot be read.
 */
int config_load(const char *explicit_path, struct arena *arena, struct diag_list *diags,
		struct dkf_config *out, char *err, size_t errlen);

/*
 * The same from text already in memory (config_load reads the file and calls
 * this; the fuzz harness feeds bytes here). path names the text in
 * diagnostics; text[size] must be '\0' (names are looked up with strstr).
 */
void config_load_memory(const char *path, const char *text, size_t size, struct arena *arena,
			struct diag_list *diags, struct dkf_config *out);

#endif

#ifndef DKF_PLUGIN_H
#define DKF_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "excerpt.h"
#include "kdoc.h"
#include "stack.h"
#include "version.h"
#include "yparse.h"

/*
 * deployKF's Argo CD plugin mode: the values live inside an Argo CD
 * Application (the "app-of-apps") as parameters of the `deploykf` Config
 * Management Plugin, and deployKF's plugin (its plugin.yaml `init` script)
 * stacks them as `deploykf generate` would:
 *
 *   deployKF's defaults (--source-version from source_version, or
 *   --source-path from source_path: exactly one of the two),
 *   one --values per values_files entry, in the order bash lists
 *   ${!PARAM_VALUES_FILES_@} (as text: 0, 1, 10, 11, 2, ...),
 *   the values string (written to a file),
 *   {"argocd":{"source":{"plugin":{"enabled":true}}}}.
 *
 * A file given where values were expected whose first document is a
 * Kubernetes manifest (top-level apiVersion and kind) is read here instead:
 * every document that is such an Application becomes one stack; other
 * Applications, ApplicationSets and other manifests get one info each.
 *
 * Positions inside the values string are those of the Application file, and
 * its excerpts follow the values files' rule: of the Application file, only
 * the lines of the values string that hold the path to the block or the
 * block may ever be quoted.
 */

/* A parameter's value as the plugin gets it, with where it was written. */
struct plugin_value {
	const char *text; /* NUL-terminated; NULL: not given (or empty: the plugin's -n) */
	size_t len;
	struct mark at;
};

/* Maps positions of the values string to the file that holds it. */
struct plugin_string_origin;

/* One stack deployKF's plugin would generate. */
struct plugin_app {
	const char *name; /* metadata.name (ARGOCD_APP_NAME for --plugin-env) */
	bool is_named;    /* name names an Application */
	struct mark at;   /* where the Application starts */
	struct plugin_value source_version, source_path;
	struct plugin_value *values_files; /* in the plugin's order; arena */
	size_t values_file_count;
	struct plugin_value values;                /* the values string */
	const struct yparse_origin *values_origin; /* its positions (NULL: its own) */
	const char *repo_url;                      /* of the source holding the plugin, or NULL */
	const char *base_dir; /* values_files are relative to it, on this machine */
	bool is_refused;      /* the plugin fails before generating (both or neither
					 * version parameter; an unknown version) */
	bool has_version;
	enum dkf_version version; /* from source_version */
};

/* What reading plugin stacks needs from the run. */
struct plugin_context {
	const struct stack_options *options; /* as for -f stacks; source_path replaced per app */
	struct arena *arena;                 /* the run's */
	struct diag_list *diags;             /* and diags->book */
	const char *repo_root;               /* --repo-root, or NULL: found per file */
	bool is_strict;                      /* --strict: a missing values file is an error */
	bool has_version_option;             /* --deploykf-version given: it wins */
	enum dkf_version version_option;
};

/* An Argo CD manifest file read where values were expected. */
struct plugin_file {
	const char *name;
	struct plugin_app *apps; /* arena: the deployKF plugin Applications, in file order */
	size_t app_count;
};

/*
 * Read path as Argo CD manifests: every document; the Applications that use
 * deployKF's plugin become out->apps; parameter problems and every other
 * document are diagnostics (DKF14x). Returns 0, or -1 with a one-line reason
 * in err for an I/O problem.
 */
int plugin_read_file(const struct plugin_context *ctx, const char *path, struct plugin_file *out,
		     char *err, size_t errlen);

/*
 * The stack deployKF's plugin sees in an Argo CD CMP server's environment
 * (`dkfpolicy lint --plugin-env` at the top of its init script): the
 * PARAM_* variables of env (NULL-terminated "NAME=value" strings), values
 * files relative to the working folder. Positions refer to the parameters:
 * PARAM_VALUES:LINE:COL inside the values string.
 */
void plugin_from_environment(const struct plugin_context *ctx, char *const *env,
			     struct plugin_app *out);

/* Where values_files entry i of app is on this machine (in arena). */
const char *plugin_values_path(const struct plugin_app *app, size_t i, struct arena *arena);

/*
 * Evaluate app's stack as deployKF's plugin would (defaults, values files,
 * the values string, the plugin's own layer), in arena (whose lifetime the
 * result shares). Returns false when it cannot be evaluated (a layer did not
 * load, the plugin refuses the parameters); diagnostics say why. *version is
 * the deployKF version the policy is rendered for.
 */
bool plugin_evaluate(const struct plugin_context *ctx, const struct plugin_app *app,
		     struct arena *arena, struct stack_result *out, enum dkf_version *version);

#endif

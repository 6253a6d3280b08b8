#ifndef DKF_CMD_PREVIEW_H
#define DKF_CMD_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "kdoc.h"
#include "policy.h"
#include "strbuf.h"

/*
 * `dkfpolicy preview`: what the policy's add-image-pull-secrets-to-pods rule
 * does to a Pod created from each manifest (a Pod, or the Pod template of a
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob): the
 * resulting imagePullSecrets, or why it is left alone.
 */
struct preview_options {
	const char *default_namespace; /* for manifests without metadata.namespace */
	bool yaml;                     /* print the mutated manifests, not a summary */
};

/*
 * Preview every document of files[0..count) against the policy of a valid
 * block (renders: whether deployKF renders it at all). Appends a summary
 * (one line per manifest) or, with options->yaml, every document with the
 * Pod templates mutated, to out. Mutates the trees in place for yaml.
 * Adds DKF131 errors for manifests that cannot be previewed.
 */
void cmd_preview(const struct policy *policy, bool renders, struct kdoc_file *files,
		 size_t count, const struct preview_options *options, struct arena *arena,
		 struct diag_list *diags, struct strbuf *out);

#endif

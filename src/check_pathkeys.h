#ifndef DKF_CHECK_PATHKEYS_H
#define DKF_CHECK_PATHKEYS_H

#include "diag.h"
#include "node.h"

/*
 * Misspelt and misplaced keys on the path to the block. deployKF reads the
 * policy from exactly deploykf_dependencies.kyverno.clusterPolicies.
 * imagePullSecrets and ignores every other key, so `deployKF_dependencies`,
 * `clusterPolicy`, a top-level `kyverno:` or `registryCredentials` one level
 * too high quietly leave the policy off.
 *
 * Checks one user layer (as loaded, before merging) against the defaults
 * layer: a key the defaults also have at that place is one deployKF knows
 * and is never reported. Either root may be NULL. Adds warnings only.
 */
void check_pathkeys(const struct node *layer, const struct node *defaults, struct diag_list *diags);

/* Whether a key may be a misspelt or misplaced part of the block's path, so
 * the loader keeps it for check_pathkeys. Cheap enough for every top-level key. */
bool check_pathkeys_may_matter(const char *word, size_t len);

#endif

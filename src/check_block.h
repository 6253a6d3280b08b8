#ifndef DKF_CHECK_BLOCK_H
#define DKF_CHECK_BLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "node.h"
#include "policy.h"
#include "yload.h"

/*
 * Find deploykf_dependencies.kyverno.clusterPolicies.imagePullSecrets in the
 * merged values, check every type, key and name on the path and in the
 * block, and read it into plain data with deployKF's defaults applied.
 */

/* The keys deployKF reads in the block and in each credential; the
 * validator and the JSON Schema (schema.c) both use these tables. */
enum { BLOCK_SETTING_KEY_COUNT = 3, BLOCK_CREDENTIAL_KEY_COUNT = 2 };
extern const char *const block_setting_keys[BLOCK_SETTING_KEY_COUNT];
extern const char *const block_credential_keys[BLOCK_CREDENTIAL_KEY_COUNT];

/* What the loader must build for this module (and later checks). */
extern const struct yload_want block_wanted_keys[];

struct ips_credential {
	const struct node *item;      /* the list item */
	const struct node *secret;    /* existingSecret value, or NULL */
	const struct node *namespace; /* existingSecretNamespace value, or NULL */
	const char *secret_name;      /* effective, valid when the block is valid */
	const char *source_namespace; /* effective: the kyverno namespace when unset */
};

struct ips_exclude {
	const struct node *node;
	const char *pattern;
};

struct ips_config {
	const struct node *block;              /* the imagePullSecrets map, or NULL */
	const struct node *enabled;            /* value node, or NULL */
	bool is_enabled;                       /* as deployKF reads it */
	const struct node_pair *excludes_pair; /* key + list, or NULL */
	struct ips_exclude *excludes;          /* arena */
	size_t exclude_count;
	const struct node_pair *credentials_pair;
	struct ips_credential *credentials; /* arena */
	size_t credential_count;
	const struct node *kyverno_namespace_node;
	const char *kyverno_namespace;
	/* An error left no faithful policy: deployKF fails on the values, or a
	 * setting it would render was dropped here (a credential that is not a
	 * map, a name of the wrong type, ...). Other errors (a bad Secret name,
	 * an unknown key) leave the policy deployKF renders, so a user who
	 * silences them still gets it. */
	bool unrenderable;
};

/* Reads and checks; adds diagnostics; never fails otherwise. */
void check_block(const struct node *root, struct arena *arena, struct diag_list *diags,
		 struct ips_config *out);

/* Whether deployKF renders anything for this block. */
bool ips_config_renders(const struct ips_config *config);

/*
 * The policy deployKF renders (exclude list deduplicated, source namespaces
 * defaulted). Arrays live in the arena. Only for a block without errors.
 */
void ips_config_to_policy(const struct ips_config *config, enum dkf_version version,
			  struct arena *arena, struct policy *out);

#endif

#ifndef DKF_CMD_NAMESPACES_H
#define DKF_CMD_NAMESPACES_H

#include <stdbool.h>

#include "arena.h"
#include "block.h"
#include "diag.h"
#include "nslist.h"
#include "policy.h"
#include "strbuf.h"

/*
 * `dkfpolicy namespaces`: which namespaces get the cloned secrets and which
 * are excluded (by which pattern, or as the kyverno namespace), and whether
 * each credential's source namespace is in the list — what Kyverno will do
 * once Argo CD syncs the policy, seen offline.
 */
struct namespaces_options {
	bool json;      /* --format json; else text */
	bool is_listed; /* the list came from --from (a real cluster): a missing source
			   namespace is a DKF330 warning */
};

/*
 * Classify every namespace of list for the policy of a valid block and
 * append the report to out. renders says whether deployKF renders the policy
 * at all (otherwise no namespace gets anything). Adds DKF330 warnings.
 */
void cmd_namespaces(const struct ips_config *config, const struct policy *policy, bool renders,
		    const struct nslist *list, const struct namespaces_options *options,
		    struct diag_list *diags, struct strbuf *out);

#endif

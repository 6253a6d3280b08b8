#ifndef DKF_CHECK_RISK_H
#define DKF_CHECK_RISK_H

#include <stddef.h>

#include "check_block.h"
#include "diag.h"

/*
 * Warnings about settings deployKF accepts but that rarely do what the user
 * meant: dropped default exclusions (lists replace, they do not merge),
 * a policy that renders nothing, duplicates, a redundant kyverno entry.
 */
struct check_risk_options {
	const char *const *expected_excludes; /* namespaces that must stay excluded */
	size_t expected_exclude_count;
	const char *defaults_name; /* the defaults layer's file name */
};

/* The namespaces deployKF excludes by default. */
extern const char *const risk_default_excludes[];
extern const size_t risk_default_exclude_count;

void check_risk(const struct ips_config *config, const struct check_risk_options *options,
		struct diag_list *diags);

#endif

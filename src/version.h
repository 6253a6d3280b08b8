#ifndef DKF_VERSION_H
#define DKF_VERSION_H

#include <stdbool.h>

/* The deployKF releases whose image-pull-secrets policy we reproduce. */
enum dkf_version {
	DKF_V0_1_3, /* clone rules and the Pod rule only */
	DKF_V0_1_4, /* adds annotate-cloned-secret-<i> rules */
	DKF_V0_1_5, /* same policy shape as v0.1.4 */
};
#define DKF_VERSION_DEFAULT DKF_V0_1_5

enum version_parse {
	VERSION_OK,
	VERSION_TOO_OLD, /* a real deployKF release before the policy existed */
	VERSION_UNKNOWN, /* not a version we know */
};
/* Accepts "v0.1.5" and "0.1.5". */
enum version_parse version_parse(const char *text, enum dkf_version *out);
const char *version_name(enum dkf_version v); /* "v0.1.5" */
/* Whether credential i gets an annotate-cloned-secret-<i> rule. */
bool version_has_annotate_rules(enum dkf_version v);

#endif

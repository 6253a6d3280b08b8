#include "version.h"

#include <stddef.h>
#include <string.h>

/*
 * The releases whose policy we reproduce, in enum order. deployKF tags them
 * "v0.1.5"; users also write "0.1.5", so the "v" is optional.
 */
static const char *const version_names[] = {
	[DKF_V0_1_3] = "v0.1.3",
	[DKF_V0_1_4] = "v0.1.4",
	[DKF_V0_1_5] = "v0.1.5",
};

#define VERSION_COUNT (sizeof version_names / sizeof version_names[0])

/* Whether s is a decimal number as a release tag writes it: digits, no leading zero. */
static bool is_release_number(const char *s)
{
	if (s[0] < '0' || s[0] > '9')
		return false;
	if (s[0] == '0' && s[1] != '\0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

enum version_parse version_parse(const char *text, enum dkf_version *out)
{
	const char *number = text[0] == 'v' ? text + 1 : text;
	for (size_t i = 0; i < VERSION_COUNT; i++) {
		if (strcmp(number, version_names[i] + 1) == 0) {
			*out = (enum dkf_version)i;
			return VERSION_OK;
		}
	}
	/*
	 * Real deployKF releases from before the policy: v0.1.0 to v0.1.2 and the
	 * 0.0.x series. Naming them apart lets the caller say "too old" rather
	 * than "unknown".
	 */
	if (strcmp(number, "0.1.0") == 0 || strcmp(number, "0.1.1") == 0 ||
	    strcmp(number, "0.1.2") == 0)
		return VERSION_TOO_OLD;
	if (strncmp(number, "0.0.", 4) == 0 && is_release_number(number + 4))
		return VERSION_TOO_OLD;
	return VERSION_UNKNOWN;
}

const char *version_name(enum dkf_version v)
{
	if ((size_t)v < VERSION_COUNT)
		return version_names[v];
	return "unknown";
}

bool version_has_annotate_rules(enum dkf_version v)
{
	/* deployKF v0.1.4 added annotate-cloned-secret-<i>, so Argo CD ignores the clones. */
	return v >= DKF_V0_1_4;
}

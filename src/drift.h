#ifndef DKF_DRIFT_H
#define DKF_DRIFT_H

#include <stddef.h>

#include "strbuf.h"

/*
 * `render --check FILE`: does a committed manifest still hold exactly what
 * render would write? For GitOps repositories that commit rendered policies,
 * so a values change without a re-render fails CI.
 */
enum drift_result {
	DRIFT_SAME = 0,      /* FILE holds exactly rendered */
	DRIFT_DIFFERENT = 1, /* a unified diff FILE -> rendered was appended to diff */
	DRIFT_UNREADABLE = 2 /* FILE is missing, not a regular file, too large or
				unreadable; a one-line reason is in err */
};

/* Compare the bytes of path (at most max_bytes) with rendered[0, len). */
enum drift_result drift_check(const char *path, const char *rendered, size_t len, size_t max_bytes,
			      struct strbuf *diff, char *err, size_t errlen);

#endif

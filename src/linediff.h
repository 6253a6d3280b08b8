#ifndef DKF_LINEDIFF_H
#define DKF_LINEDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/*
 * A line diff in unified format (`diff -u`: three lines of context, hunks
 * "@@ -a,b +c,d @@", "\ No newline at end of file"), so `render --check`
 * needs no diff program at run time. The headers are "--- old_label" and
 * "+++ new_label"; `patch -p0` reads them.
 *
 * Lines are compared byte for byte, a line with its newline. The shortest
 * edit script comes from an LCS table over the lines left after the common
 * head and tail are cut off; when that table would exceed
 * LINEDIFF_MAX_CELLS, the changed middle is shown as removed and re-added
 * (still a correct diff, just not a minimal one), so memory stays bounded.
 *
 * Appends to out and returns true when the texts differ; appends nothing and
 * returns false when they are equal.
 */
enum { LINEDIFF_MAX_CELLS = 4 * 1024 * 1024 };

bool linediff_unified(struct strbuf *out, const char *old_label, const char *old_text,
		      size_t old_len, const char *new_label, const char *new_text, size_t new_len);

#endif

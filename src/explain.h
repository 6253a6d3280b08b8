#ifndef DKF_EXPLAIN_H
#define DKF_EXPLAIN_H

#include "diag.h"

/*
 * The before/after example `dkfpolicy explain` shows for each code
 * (src/diag_examples.def). Static strings; NULL members when a code has no
 * example (a unit test keeps that from happening).
 */
struct diag_example {
	const char *before;
	const char *after;
};

const struct diag_example *explain_example(enum diag_code code);

#endif

#ifndef DKF_REPORT_RULES_H
#define DKF_REPORT_RULES_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

/*
 * `dkfpolicy rules` and `dkfpolicy explain`: the table of checks, printed
 * from src/diag_codes.def. Both return 0, or -1 when the stream failed.
 */

/* One line per code: code, name, default severity, title. With markdown,
 * the table README.md keeps between its rules:begin/end markers. */
int report_rules(FILE *out, bool markdown);
/* What a code means, why it matters, how to fix it, and an example. */
int report_explain(FILE *out, enum diag_code code);

#endif

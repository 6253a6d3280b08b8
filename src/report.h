#ifndef DKF_REPORT_H
#define DKF_REPORT_H

#include <stdio.h>

#include "diag.h"

/*
 * Writers of a sorted diagnostic list, one per output format. Only these and
 * main.c write to streams. They return 0, or -1 when the stream failed.
 */
int report_text(FILE *out, const struct diag_list *diags);

#endif

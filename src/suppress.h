#ifndef DKF_SUPPRESS_H
#define DKF_SUPPRESS_H

#include "diag.h"
#include "excerpt.h"

/*
 * Inline suppressions: `# dkfpolicy: ignore[CODE, NAME...]` on a finding's
 * line or the line above silences it. Comments are not in libyaml's events,
 * so every input file the book knows is scanned for the marker here, at
 * report time. A marker that silences nothing is reported (DKF121), an
 * unknown code in one too (DKF122). Run before sorting.
 */
void suppress_apply(struct diag_list *diags, const struct excerpt_book *book);

#endif

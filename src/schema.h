#ifndef DKF_SCHEMA_H
#define DKF_SCHEMA_H

#include "strbuf.h"

/*
 * The JSON Schema (draft 7) of the values dkfpolicy checks, for editors
 * (yaml-language-server) and other tools. It is generated from the same key
 * tables and name patterns the validator uses; schemas/ holds a copy that a
 * test keeps equal to this output.
 */
void schema_write(struct strbuf *out);

#endif

#include "explain.h"

/* Designated by code: a code without an entry reads {NULL, NULL}, a code
 * listed twice trips -Woverride-init (part of -Wextra). */
static const struct diag_example examples[DIAG_CODE_COUNT] = {
#define DIAG_EXAMPLE(code, before, after) [code] = { before, after },
#include "diag_examples.def"
#undef DIAG_EXAMPLE
};

const struct diag_example *explain_example(enum diag_code code)
{
	if ((int)code < 0 || code >= DIAG_CODE_COUNT)
		return NULL;
	return &examples[code];
}

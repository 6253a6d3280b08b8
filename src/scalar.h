#ifndef DKF_SCALAR_H
#define DKF_SCALAR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * What a YAML scalar means to deployKF. deployKF reads values with Go's
 * gopkg.in/yaml.v3, not YAML 1.1: only true/True/TRUE/false/False/FALSE are
 * booleans, `yes`/`no`/`on`/`off`/`y`/`n` are strings, `0123` is octal 83,
 * `08` is the float 8, `2001-12-14` a timestamp. This module is the single
 * source of truth for that; the loader, the merger and the validator call it.
 */
enum scalar_type {
	SCALAR_NULL,
	SCALAR_BOOL,
	SCALAR_INT,
	SCALAR_FLOAT,
	SCALAR_TIMESTAMP,
	SCALAR_STRING,
	SCALAR_MERGE, /* the plain key `<<` */
};

struct scalar_value {
	enum scalar_type type;
	bool boolean;  /* SCALAR_BOOL */
	double number; /* SCALAR_INT and SCALAR_FLOAT (ints beyond 2^53 lose precision) */
	/*
	 * How Go prints the decoded value once deployKF's templates use it as a
	 * string: "83" for 0123, "1000" for 1e3, "8" for 08, "+Inf" for .inf,
	 * "2001-12-14T00:00:00Z" for 2001-12-14, "true", "<nil>" for null.
	 * Empty for SCALAR_STRING (the text itself is the value).
	 */
	char canonical[64];
};

/*
 * Resolve an untagged plain scalar text[0..len) exactly as yaml.v3's
 * resolve() does for an implicit tag. Never fails: anything else is a string.
 */
void scalar_resolve_plain(const char *text, size_t len, struct scalar_value *out);

/*
 * Resolve a scalar that carries an explicit tag (long form, e.g.
 * "tag:yaml.org,2002:int", or "!"-prefixed local tags). Quoted or plain.
 * Returns false when yaml.v3 would refuse to decode it (e.g. `!!int abc`,
 * `!!bool yes`); out is then set to a string. Unknown/local tags resolve to
 * a string (yaml.v3 keeps the text).
 */
bool scalar_resolve_tagged(const char *tag, const char *text, size_t len, struct scalar_value *out);

/* The name of a type as a user reads it: "null", "boolean", "integer", ... */
const char *scalar_type_name(enum scalar_type type);

/*
 * deployKF's reading of `enabled` (gomplate conv.ToBool): true for the
 * boolean true, a number equal to 1, or a string that lower-cased is "1",
 * "t", "true" or "yes", or parses as a number equal to 1. Anything else,
 * null included, is false. For a string, pass the text.
 */
bool scalar_is_truthy(const struct scalar_value *value, const char *text, size_t len);

#endif

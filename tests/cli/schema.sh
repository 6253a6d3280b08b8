#!/bin/sh
# The JSON Schema in schemas/ is generated from the validator's own tables:
# a schema that drifts from `dkfpolicy schema` fails here (run `make schema`).
. "$(dirname "$0")/lib.sh"

SCHEMA_FILE=$TESTS_DIR/../../schemas/dkfpolicy-values.schema.json

t "dkfpolicy schema"
expect_exit 0 "$BIN" schema
expect_stdout_contains '"existingSecretNamespace"'
expect_stdout_contains '"additionalProperties": false'

t "schemas/ matches the validator"
"$BIN" schema >schema.out
check "schemas/dkfpolicy-values.schema.json is up to date (make schema)" cmp -s schema.out "$SCHEMA_FILE"

t "every key the validator reads is in the schema"
for key in enabled excludeNamespaces registryCredentials existingSecret existingSecretNamespace; do
	check "$key" grep -q "\"$key\"" schema.out
done

finish

#!/bin/sh
# suppress_scope.sh - what an inline suppression covers, as the README says:
# the finding's own line, or the line below a marker that stands alone on
# its line; never the line below a marker that trails some code; and every
# code a marker names, however many.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

B='deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:'

t "a trailing marker covers its own line only"
printf '%s\n        enabled: true  # dkfpolicy: ignore[dropped-default-exclude]\n        excludeNamespaces: [argocd]\n        registryCredentials: [{existingSecret: a}]\n' "$B" >trailing.yaml
expect_exit 0 "$BIN" lint trailing.yaml
expect_stderr_contains 'trailing.yaml:6:9: warning:'
expect_stderr_contains '[DKF301]'
expect_stderr_contains 'trailing.yaml:5:24: info: this suppression of DKF301 (dropped-default-exclude) silences nothing on this line; remove it [DKF121]'

t "a marker alone on its line covers the line below"
printf '%s\n        enabled: true\n        # dkfpolicy: ignore[dropped-default-exclude]\n        excludeNamespaces: [argocd]\n        registryCredentials: [{existingSecret: a}]\n' "$B" >alone.yaml
expect_exit 0 "$BIN" lint alone.yaml
expect_stderr_empty

t "a trailing marker covers its own line"
printf '%s\n        enabled: true\n        excludeNamespaces: [argocd]  # dkfpolicy: ignore[DKF301]\n        registryCredentials: [{existingSecret: a}]\n' "$B" >own.yaml
expect_exit 0 "$BIN" lint own.yaml
expect_stderr_empty

t "every code of a long marker counts"
codes='DKF101, DKF102, DKF103, DKF104, DKF106, DKF107, DKF108, DKF109, DKF110, DKF301'
printf '%s\n        enabled: true\n        # dkfpolicy: ignore[%s]\n        excludeNamespaces: [argocd]\n        registryCredentials: [{existingSecret: a}]\n' "$B" "$codes" >many.yaml
expect_exit 0 "$BIN" lint many.yaml
check "the tenth code silences its finding" sh -c '! grep -q DKF301\] "$1"' sh "$_err"
expect_stderr_contains 'this suppression of DKF110 (alias-expansion-too-large) silences nothing on this line or the next'

finish

#!/bin/sh
# Colour, --config, the nearest .dkfpolicy.yaml, and suppressions, as a user
# meets them on the command line.
. "$(dirname "$0")/lib.sh"

ESC=$(printf '\033')
cat >v.yaml <<'EOV'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        excludeNamespaces: [argocd, kube-system, team-?]
        registryCredentials:
          - existingSecret: regcred
EOV

t "colour"
run "$BIN" lint --color=always v.yaml
check "--color=always colours the severity" grep -q "${ESC}\[1;36minfo:" "$_err"
run "$BIN" lint --color=never v.yaml
check "--color=never has no escape" test "$(grep -c "$ESC" "$_err")" -eq 0
run "$BIN" lint v.yaml
check "not a terminal: no colour" test "$(grep -c "$ESC" "$_err")" -eq 0
run env NO_COLOR=1 "$BIN" lint --color=auto v.yaml
check "NO_COLOR: no colour" test "$(grep -c "$ESC" "$_err")" -eq 0
expect_exit 2 "$BIN" lint --color=sometimes v.yaml
expect_stderr_contains "--color is auto, always or never"

t "nearest .dkfpolicy.yaml"
mkdir -p proj/sub
cp v.yaml proj/sub/
printf 'rules:\n  off: [DKF217]\n' >proj/.dkfpolicy.yaml
(cd proj/sub && "$BIN" lint v.yaml) 2>out.txt || :
check "a parent's config turns DKF217 off" test "$(grep -c DKF217 out.txt)" -eq 0
run "$BIN" lint v.yaml
expect_stderr_contains DKF217

t "--config"
printf 'rules:\n  error: [single-char-wildcard]\n' >strict.yaml
expect_exit 1 "$BIN" lint --config strict.yaml v.yaml
expect_stderr_matches "^v.yaml:6:50: error: .*\[DKF217\]$"
expect_exit 2 "$BIN" lint --config missing.yaml v.yaml
expect_stderr_contains "cannot read the configuration 'missing.yaml'"
printf 'rules:\n  loud: [DKF217]\n' >loud.yaml
expect_exit 1 "$BIN" lint --config loud.yaml v.yaml
expect_stderr_matches "^loud.yaml:[0-9]+:[0-9]+: error: unknown key 'loud'.*\[DKF120\]$"
printf 'rules: {off: [DKF217\n' >broken.yaml
expect_exit 1 "$BIN" lint --config broken.yaml v.yaml
expect_stderr_matches "^broken.yaml:[0-9]+:[0-9]+: error: .*\[DKF120\]$"
printf 'a: &x [1]\nb: *x\n' >alias.yaml
expect_exit 1 "$BIN" lint --config alias.yaml v.yaml
expect_stderr_contains "[DKF120]"
: >empty.yaml
expect_exit 0 "$BIN" lint --config empty.yaml v.yaml
printf 'expectedExcludes: [argocd, kube-system, monitoring]\n' >ee.yaml
expect_exit 0 "$BIN" lint --config ee.yaml v.yaml
expect_stderr_contains "drops 'monitoring'"
expect_exit 1 "$BIN" render --config broken.yaml v.yaml
expect_stdout_empty

t "suppressions"
sed 's/team-?]/team-?]  # dkfpolicy: ignore[single-char-wildcard]/' v.yaml >s.yaml
run "$BIN" lint s.yaml
check "the marker silences DKF217" test "$(grep -c '\[DKF217\]' "$_err")" -eq 0
sed 's/team-?]/team-?]  # dkfpolicy: ignore[DKF301]/' v.yaml >u.yaml
expect_exit 0 "$BIN" lint u.yaml
expect_stderr_matches "^u.yaml:6:59: info: this suppression of DKF301 .*\[DKF121\]$"
# a suppressed finding stays silent even when the config makes it an error
expect_exit 0 "$BIN" lint --strict --config strict.yaml s.yaml

finish

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

# A bad Secret name (DKF208) leaves the policy deployKF renders: once the
# user silences it, render prints that policy. A credential that is not a
# map (DKF204) leaves none: silenced or not, nothing is printed, and the
# exit status says so (a sync job must never get an empty policy with 0).
cat >badname.yaml <<'EOV'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecret: "Regcred_Prod"  # dkfpolicy: ignore[DKF208]
EOV
sed 's/  # dkfpolicy: ignore\[DKF208\]//' badname.yaml >badname-loud.yaml
cat >notmap.yaml <<'EOV'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecret: "regcred"
          - "regcred-2"  # dkfpolicy: ignore[DKF204]
EOV
printf 'rules:\n  off: [invalid-secret-name]\n' >names-off.yaml

t "render: a silenced error that leaves the policy whole"
expect_exit 1 "$BIN" render badname-loud.yaml
expect_stdout_empty
expect_stderr_contains "[DKF208]"
expect_exit 0 "$BIN" render badname.yaml
expect_stdout_contains 'name: "Regcred_Prod"'
expect_stderr_empty
expect_exit 0 "$BIN" render --config names-off.yaml badname-loud.yaml
expect_stdout_contains 'name: "Regcred_Prod"'
"$BIN" render badname.yaml >expected.yaml
expect_exit 0 "$BIN" render -o written.yaml badname.yaml
check "-o writes the same policy" cmp -s expected.yaml written.yaml
expect_exit 0 "$BIN" render --check written.yaml badname.yaml
expect_exit 0 "$BIN" namespaces badname.yaml
expect_stdout_contains "clones 1 secret"

t "render: a silenced error that leaves no policy still fails"
expect_exit 1 "$BIN" render notmap.yaml
expect_stdout_empty
expect_stderr_contains "dkfpolicy: no policy: errors that silencing does not fix stop it (DKF204, silenced)"
expect_stderr_contains "'dkfpolicy explain DKF204'"
rm -f out.yaml
expect_exit 1 "$BIN" render -o out.yaml notmap.yaml
check "-o writes no file" test ! -e out.yaml
expect_exit 1 "$BIN" namespaces notmap.yaml
expect_stdout_empty
expect_stderr_contains "no policy"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team-1}\nspec: {containers: [{name: c, image: i}]}\n' >pod.yaml
expect_exit 1 "$BIN" preview -f notmap.yaml pod.yaml
expect_stdout_empty
expect_stderr_contains "no policy"
expect_exit 0 "$BIN" lint notmap.yaml
printf 'rules:\n  warning: [credential-not-map]\n' >downgrade.yaml
sed 's/  # dkfpolicy: ignore\[DKF204\]//' notmap.yaml >notmap-loud.yaml
expect_exit 1 "$BIN" render --config downgrade.yaml notmap-loud.yaml
expect_stderr_contains "warning: registryCredentials[1] is a string"
expect_stderr_contains "no policy"
printf 'a: [\n' >broken-values.yaml
printf 'rules:\n  off: [yaml-syntax]\n' >syntax-off.yaml
expect_exit 1 "$BIN" render --config syntax-off.yaml broken-values.yaml
expect_stderr_contains "(DKF101, silenced)"

finish

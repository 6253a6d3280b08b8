#!/bin/sh
# `dkfpolicy rules` and `dkfpolicy explain`, and the README's rules table,
# which must be exactly `dkfpolicy rules --markdown` (regenerate it with that).
. "$(dirname "$0")/lib.sh"

README=$TESTS_DIR/../../README.md

t "rules lists every code with its name and severity"
expect_exit 0 "$BIN" rules
expect_stdout_matches '^DKF301  warning  dropped-default-exclude +excludeNamespaces drops a default exclusion$'
expect_stdout_matches '^DKF213  warning  misspelled-path-key '
expect_stdout_matches '^DKF101  error    yaml-syntax '
expect_stderr_empty

t "README rules table is generated"
"$BIN" rules --markdown >table.md
sed -n '/^<!-- rules:begin -->$/,/^<!-- rules:end -->$/p' "$README" | sed '1d;$d' >readme.md
check "README.md table equals 'dkfpolicy rules --markdown'" cmp -s table.md readme.md
check "the table has a row per code" test "$(grep -c '^| DKF' table.md)" -eq "$("$BIN" rules | wc -l)"

t "explain by code"
expect_exit 0 "$BIN" explain DKF301
expect_stdout_contains 'DKF301 dropped-default-exclude (warning by default)'
expect_stdout_contains 'before:'
expect_stdout_contains 'after:'
expect_stdout_contains 'excludeNamespaces: ["argocd", "kube-system", "legacy"]'

t "explain by name, any case of the code"
expect_exit 0 "$BIN" explain misspelled-path-key
expect_stdout_contains 'DKF213 misspelled-path-key'
expect_exit 0 "$BIN" explain dkf217
expect_stdout_contains 'team-?*'

t "explain covers every code"
for code in $("$BIN" rules | cut -d' ' -f1); do
	run "$BIN" explain "$code"
	if [ "$_run_code" = 0 ] && grep -q '^before:$' "$_out" && grep -q '^after:$' "$_out"; then
		ok "$code"
	else
		not_ok "$code"
	fi
done

t "explain's advice to silence a check everywhere is a configuration that works"
# the DKF301 finding of a dropped default, then the same with the quoted setting
printf 'deploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n        excludeNamespaces: ["argocd"]\n' >dropped.yaml
run "$BIN" lint --config /dev/null dropped.yaml
check "without a configuration, DKF301 is reported" grep -q 'DKF301' "$_err"
"$BIN" explain DKF301 | sed -n "s/.*everywhere with '\(.*\)' in\$/\1/p" >advice.yaml
check "explain quotes one setting" test "$(wc -l <advice.yaml)" -eq 1
expect_exit 0 "$BIN" lint --strict --config advice.yaml dropped.yaml
expect_stderr_empty

t "explain with an unknown or missing code"
expect_exit 2 "$BIN" explain DKF999
expect_stderr_contains "no check is called 'DKF999'"
expect_stdout_empty
expect_exit 2 "$BIN" explain
expect_stderr_contains 'explain needs a CODE or NAME'
expect_exit 2 "$BIN" explain DKF301 DKF302
expect_exit 2 sh -c '"$0" rules >/dev/full' "$BIN"

finish

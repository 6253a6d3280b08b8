#!/bin/sh
# controls.sh - text from the inputs reaches terminals and CI logs escaped:
# a YAML string, a file name or a manifest's name holding a newline, an ESC,
# a BEL or a line separator is shown as \n, \x1b, \x07, \u2028 in every
# format, so no values file in a pull request can forge a GitHub Actions
# workflow command or retitle a terminal; and JSON stays UTF-8 whatever the
# file names are.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

ESC=$(printf '\033')
BEL=$(printf '\007')

B='deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:'

# raw_controls FILE: true when FILE holds an ESC, a BEL, a CR or an LS/PS
raw_controls() {
	grep -q -e "$ESC" -e "$BEL" -e "$(printf '\r')" -e "$(printf '\342\200\250')" \
		-e "$(printf '\342\200\251')" "$1"
}

# forged FILE: some line of FILE starts a workflow command that dkfpolicy did not write
forged() {
	grep -q -E '^::[a-z-]+ file=README\.md' "$1" || grep -q -E '^::(add-mask|stop-commands)' "$1"
}

printf '%s\n        "x\\n::error file=README.md,line=1::forged": 1\n        "t\\e]0;owned\\a": 2\n        "ls\\u2028::add-mask::x": 3\n        enabled: true\n' "$B" >keys.yaml

t "decoded YAML strings in every format"
for format in text json sarif github; do
	run "$BIN" lint --format "$format" keys.yaml
	check "$format: exit 1 (unknown keys)" [ "$_run_code" = 1 ]
	check "$format: no raw control character" sh -c '! { grep -q -e "$2" -e "$3" "$1"; }' sh "$_out" "$ESC" "$BEL"
	check "$format: no raw control character on stderr" sh -c '! { grep -q -e "$2" -e "$3" "$1"; }' sh "$_err" "$ESC" "$BEL"
	check "$format: no forged workflow command" sh -c '! { grep -q -E "^::[a-z-]+ file=README|^::add-mask" "$1" "$2"; }' sh "$_out" "$_err"
done
run "$BIN" lint keys.yaml
# (fixed strings with backslashes: grep -F, and labels without them)
check "names the newline key escaped" grep -qF "unknown key 'x\\n::error file=README.md,line=1::forged'" "$_err"
check "names the ESC key escaped" grep -qF "unknown key 't\\x1b]0;owned\\x07'" "$_err"
check "names the LS key escaped" grep -qF "unknown key 'ls\\u2028::add-mask::x'" "$_err"
run "$BIN" lint --format github keys.yaml
check "github: one line per diagnostic" [ "$(grep -c '^::' "$_out")" = "$(wc -l <"$_out")" ]

t "a file name holding a newline"
name=$(printf 'v\n::error file=README.md::x.yaml')
printf '%s\n        enabled: maybe\n' "$B" >"$name"
for format in text github; do
	run "$BIN" lint --format "$format" "$name"
	check "$format: no forged workflow command" sh -c '! { grep -q -E "^::error file=README" "$1" "$2"; }' sh "$_out" "$_err"
done
run "$BIN" lint "$name"
check "the position names the file escaped" grep -qF 'v\n::error file=README.md::x.yaml:5:18: warning' "$_err"
run "$BIN" lint "$name.missing"
check "exit 2" [ "$_run_code" = 2 ]
check "the I/O error names the file escaped" grep -qF "cannot open 'v\\n::error file=README.md::x.yaml.missing'" "$_err"
run "$BIN" lint --no-such-$ESC-option
check "the usage error names the option escaped" grep -qF 'no-such-\x1b-option' "$_err"
check "usage error: no raw ESC" sh -c '! grep -q "$2" "$1"' sh "$_err" "$ESC"

t "a file name that is not UTF-8: JSON and SARIF stay UTF-8"
bad=$(printf 'bad\377name.yaml')
printf '%s\n        enabled: maybe\n' "$B" >"$bad"
for format in json sarif; do
	run "$BIN" lint --format "$format" "$bad"
	if command -v iconv >/dev/null 2>&1; then
		check "$format is UTF-8" iconv -f UTF-8 -t UTF-8 "$_out" -o /dev/null
	else
		skip "$format is UTF-8" "no iconv"
	fi
done
run "$BIN" lint --format json "$bad"
check "the file name is shown escaped" grep -qF '"file": "bad\\xffname.yaml"' "$_out"
if command -v python3 >/dev/null 2>&1; then
	check "json parses" python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$_out"
fi

t "preview names from the manifests"
printf '%s\n        enabled: true\n        registryCredentials: [{existingSecret: regcred}]\n' "$B" >values.yaml
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: "web\\e[2J\\n::error file=README.md::x", namespace: "t\\u2028"}\nspec: {containers: [{name: a, image: a}]}\n' >pod.yaml
expect_exit 0 "$BIN" preview -f values.yaml pod.yaml
check "no raw control character" sh -c '! { grep -q -e "$2" -e "$3" "$1"; }' sh "$_out" "$ESC" "$(printf '\342\200\250')"
check "no forged workflow command" sh -c '! grep -q -E "^::error" "$1"' sh "$_out"
check "names shown escaped" grep -qF 'Pod t\u2028/web\x1b[2J\n::error file=README.md::x:' "$_out"

t "everything after -- is a file"
printf '%s\n        enabled: maybe\n' "$B" >warn.yaml
printf '%s\n        registryCredentials: [{existingSecretNamespace: x}]\n        enabled: true\n' "$B" >bad.yaml
expect_exit 1 "$BIN" lint -- bad.yaml
expect_stderr_contains 'bad.yaml:'
expect_exit 2 "$BIN" lint -- missing.yaml
expect_stderr_contains "cannot open 'missing.yaml'"
expect_exit 0 "$BIN" render -- values.yaml
expect_stdout_contains 'kind: "ClusterPolicy"'
expect_exit 0 "$BIN" render -f values.yaml --
expect_stdout_contains 'kind: "ClusterPolicy"'
printf '%s\n        enabled: true\n        registryCredentials: [{existingSecret: dash}]\n' "$B" >-f
expect_exit 0 "$BIN" render -- -f
expect_stdout_contains '"dash"'
expect_exit 1 "$BIN" preview -f values.yaml -- bad.yaml
expect_exit 2 "$BIN" explain -- DKF301 DKF302
expect_exit 0 "$BIN" explain -- DKF301

t "an operand a command does not take is a usage error"
expect_exit 2 "$BIN" schema junk
expect_stderr_contains "schema takes no operand, not 'junk'"
expect_stdout_empty
expect_exit 2 "$BIN" rules junk
expect_stderr_contains "rules takes no operand"
expect_exit 2 "$BIN" schema -- junk

finish

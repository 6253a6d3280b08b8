#!/bin/sh
# secrets2.sh - the second hostile review's leaks: nothing from outside the
# path to the block and the block itself reaches any output, in any format,
# however the file breaks its lines, names its keys or comments its lines.
# Each file holds a fake secret ZZSECRET; no output may contain it.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

B='deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:'

# no_secret WHAT cmd...: run cmd in every format; ZZSECRET is in no output
no_secret() {
	_what=$1
	shift
	for _format in text json sarif github; do
		run "$@" --format "$_format"
		if grep -q ZZSECRET "$_out" "$_err"; then
			not_ok "$_what (--format $_format)"
			grep ZZSECRET "$_out" "$_err" | sed 's/^/#   /'
		else
			ok "$_what (--format $_format)"
		fi
	done
}

t "a line break libyaml counts (LS, PS, NEL) before the block"
for brk in '\342\200\250' '\342\200\251' '\302\205'; do
	printf "# c$brk\n%s\n        enabled: maybe\npassword: ZZSECRET\n" "$B" >brk.yaml
	no_secret "lint" "$BIN" lint brk.yaml
	run "$BIN" lint brk.yaml
	expect_stderr_matches '^ +7 \|         enabled: maybe$'
done

t "a token in a trailing comment on a block line"
printf '%s\n        enabled: maybe  # token: ZZSECRET\n        excludeNamespaces: [argocd] # ZZSECRET\n' "$B" >comment.yaml
no_secret "lint" "$BIN" lint comment.yaml
run "$BIN" lint comment.yaml
expect_stderr_matches '^ +5 \|         enabled: maybe$'
expect_stderr_matches '^ +6 \|         excludeNamespaces: \[argocd\]$'
printf '%s\n        enabled: "maybe # not a comment"  # ZZSECRET\n' "$B" >quoted.yaml
run "$BIN" lint quoted.yaml
expect_stderr_matches '^ +5 \|         enabled: "maybe # not a comment"$'
check "the secret is not shown" sh -c '! grep -q ZZSECRET "$1"' sh "$_err"

t "a repeated key outside the path is not named"
printf 'ZZSECRET: 1\nZZSECRET: 2\n%s\n        enabled: true\n' "$B" >dup-top.yaml
no_secret "lint, top level" "$BIN" lint dup-top.yaml
printf 'deploykf_dependencies:\n  ZZSECRET: 1\n  ZZSECRET: 2\n  kyverno: {}\n' >dup-deps.yaml
no_secret "lint, among deploykf_dependencies' other children" "$BIN" lint dup-deps.yaml
printf '? ZZSECRET\n: 1\n? ZZSECRET\n: 2\n' >dup-explicit.yaml
no_secret "lint, explicit keys" "$BIN" lint dup-explicit.yaml
run "$BIN" lint dup-explicit.yaml
expect_stderr_contains 'dup-explicit.yaml:3:3: error: a key is set twice in this map'

t "a repeated key on the path is still named and quoted"
printf '%s\n        enabled: true\n        enabled: false\n' "$B" >dup-block.yaml
run "$BIN" lint dup-block.yaml
expect_stderr_contains "'enabled' is set twice"
expect_stderr_matches '^ +6 \|         enabled: false$'

t "an inline suppression names no content"
printf '%s\n        enabled: true  # dkfpolicy: ignore[ZZSECRET]\n' "$B" >suppress.yaml
no_secret "lint" "$BIN" lint suppress.yaml
run "$BIN" lint suppress.yaml
expect_stderr_contains '[DKF122]'

finish

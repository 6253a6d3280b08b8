#!/bin/sh
# Values files hold passwords and tokens, and CI logs are widely read:
# whatever goes wrong, dkfpolicy never prints a line from outside the path
# to the block. Each file puts a fake secret next to (or on the line of) one
# kind of problem; neither stdout nor stderr may ever contain it.
. "$(dirname "$0")/lib.sh"

B='deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:'

w() { printf '%s\n' "$2" >"$1.yaml"; }

w syntax-on-secret-line "$B
        enabled: true
db:
  password: \"TOPSECRET-1"
w syntax-after-secret "db:
  password: TOPSECRET-2
  user: [unclosed
$B
        enabled: true"
w duplicate-secret-key "db: {password: TOPSECRET-3, password: TOPSECRET-3}"
w duplicate-key-on-path "deploykf_dependencies:
  db: TOPSECRET-4
  db: TOPSECRET-4"
w flow-line-shared "deploykf_dependencies: {kyverno: {clusterPolicies: {imagePullSecrets: {enable: true, colour: x}}}, db: {password: TOPSECRET-5}}"
w anchor-elsewhere "creds: &c {existingSecret: Bad_Name, token: TOPSECRET-6}
$B
        enabled: true
        registryCredentials: [*c]"
w misspelled-path-inline "deploykf_dependecies: {password: TOPSECRET-7}
deployKF_dependencies: {token: TOPSECRET-7}"
w misplaced-inline "kyverno: {token: TOPSECRET-8}
$B
        enabled: true"
w second-document "$B
        enabled: true
---
password: TOPSECRET-9"
w bad-merge "db:
  <<: TOPSECRET-10
$B
        enabled: true"
w bad-tag "db: !!int TOPSECRET-11
$B
        enabled: true"
w merge-into-block "base: &base {excludeNamespaces: [Bad_NS], token: TOPSECRET-12}
$B
        <<: *base
        enabled: true"
w secret-beside-wildcard "$B
        excludeNamespaces: [\"*\"]
        registryCredentials: [{existingSecret: regcred}]
        enabled: true
pw: TOPSECRET-13"
printf 'db:\n  password: TOPSECRET-14\xff\n%s\n        enabled: true\n' "$B" >bad-utf8.yaml

t "no secret in any output"
for f in *.yaml; do
	for cmd in lint render; do
		run "$BIN" "$cmd" "$f"
		if grep -q TOPSECRET "$_out" "$_err"; then
			not_ok "$cmd $f"
			sed 's/^/#   /' "$_err"
		else
			ok "$cmd $f"
		fi
	done
	run sh -c '"$0" lint - <"$1"' "$BIN" "$f"
	if grep -q TOPSECRET "$_out" "$_err"; then not_ok "lint - <$f"; else ok "lint - <$f"; fi
done

t "findings on the path are still quoted"
expect_exit 0 "$BIN" lint misspelled-path-inline.yaml
expect_stderr_contains "did you mean 'deploykf_dependencies'"
expect_exit 0 "$BIN" lint second-document.yaml
expect_stderr_contains 'another YAML document starts here'
run "$BIN" lint secret-beside-wildcard.yaml
expect_stderr_matches '^ +[0-9]+ \|         excludeNamespaces: \["\*"\]$'

finish

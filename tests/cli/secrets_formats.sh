# secrets.sh - values files hold passwords and CI logs are public: no byte of a values
# file outside the path to the imagePullSecrets block and the block itself may ever be
# printed. Every file below puts fake secrets (FAKESECRET..) next to one kind of failure;
# each is linted and rendered in every output format this build accepts, and neither
# stdout nor stderr may contain any of them. Run as `sh tests/cli/secrets.sh BIN`.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

# A valid block, so that files fail only where they mean to.
block='deploykf_dependencies:
  kyverno:
    passwordBesideThePath: FAKESECRET-beside-the-path
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecret: regcred'

n=0
# add_case NAME [OPTIONS]: next.yaml becomes the next case (no pipes: n must count here)
add_case() {
	n=$((n + 1))
	mv next.yaml "case$n.yaml"
	echo "case$n.yaml ${2-}" >>cases.list
	echo "case$n.yaml: $1" >>names.list
}

printf '%s\npassword: "FAKESECRET-unterminated\nother: FAKESECRET-after-syntax\n' "$block" >next.yaml
add_case "syntax error"
printf 'token: FAKESECRET-utf8 \377 FAKESECRET-after-utf8\n%s\n' "$block" >next.yaml
add_case "invalid UTF-8"
printf 'token: FAKESECRET-nul\000FAKESECRET-after-nul\n%s\n' "$block" >next.yaml
add_case "NUL byte"
printf 'db:\n  FAKESECRET-dupkey: 1\n  FAKESECRET-dupkey: FAKESECRET-dupvalue\n%s\n' "$block" >next.yaml
add_case "duplicate key outside the block"
printf 'x: *FAKESECRET-alias\n%s\n' "$block" >next.yaml
add_case "unknown anchor"
printf 'a:\n  <<: FAKESECRET-merge\n%s\n' "$block" >next.yaml
add_case "bad merge key"
printf 'p: !!int FAKESECRET-tagged\n%s\n' "$block" >next.yaml
add_case "bad tagged value"
printf '? [FAKESECRET-key]\n: FAKESECRET-keyvalue\n%s\n' "$block" >next.yaml
add_case "non-scalar key"
printf '%s\n---\npw: FAKESECRET-second-doc\n' "$block" >next.yaml
add_case "two documents"
printf -- '- FAKESECRET-list\n- password: FAKESECRET-list2\n' >next.yaml
add_case "top-level list"
printf 'pw: FAKESECRET-deep\nd: [[[[[[[[FAKESECRET-deeper]]]]]]]]\n%s\n' "$block" >next.yaml
add_case "nesting too deep" "--max-depth 5"
printf 'l0: &FAKESECRET-anchor ["FAKESECRET-lol","b","c","d","e","f","g","h"]\n' >laughs.tmp
printf 'l1: &l1 [*FAKESECRET-anchor,*FAKESECRET-anchor,*FAKESECRET-anchor,*FAKESECRET-anchor]\n' >>laughs.tmp
printf 'l2: [*l1,*l1,*l1,*l1]\n%s\n' "$block" >>laughs.tmp
mv laughs.tmp next.yaml
add_case "alias expansion" "--max-alias-nodes 20"
printf 'big: &big [FAKESECRET-n1, FAKESECRET-n2, FAKESECRET-n3, FAKESECRET-n4]\n%s\n' "$block" >next.yaml
add_case "too many nodes" "--max-nodes 3"
printf 'pw: FAKESECRET-too-large\n%s\n' "$block" >next.yaml
add_case "input too large" "--max-bytes 20"
printf 'argocd:\n  password: FAKESECRET-sibling\ndeploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n        enabled: true\n        registryCredentials:\n          - existingSecretNamespace: argocd\n' >next.yaml
add_case "block error, secret elsewhere"
printf 'creds: &c {existingSecret: regcred, password: FAKESECRET-merged-in}\ndeploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n        enabled: true\n        registryCredentials: [*c]\n' >next.yaml
add_case "anchored credential with an extra secret key"
printf 'deploykf_dependencies:\n  kyverno:\n    clusterPolicies: [{password: FAKESECRET-wrong-type}]\n' >next.yaml
add_case "wrong type on the path"
printf 'deploykf_dependencies:\n  kyvernoo: {password: FAKESECRET-typo}\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets: {enabled: on}\n' >next.yaml
add_case "warnings, secret beside the path"
printf '%s\n' "$block" >next.yaml
add_case "a clean render"
printf '%s\n' "$block" | sed 's/regcred/fakesecret-in-block-is-fine/' >in-block.yaml

formats=
for f in text json sarif github; do
	if "$BIN" lint --format="$f" in-block.yaml >/dev/null 2>&1 ||
		[ $? = 1 ]; then
		formats="$formats $f"
	fi
done
[ -n "$formats" ] || formats=default

t "the fixtures themselves"
check "$n cases written" test "$n" -ge 19
run "$BIN" render in-block.yaml
expect_stdout_contains 'fakesecret-in-block-is-fine'

# shellcheck disable=SC2013 # one case per line, no spaces in names
while read -r file opts; do
	name=$(sed -n "s/^$file: //p" names.list)
	for f in $formats; do
		fmt=
		[ "$f" = default ] || fmt=--format=$f
		for cmd in lint render; do
			t "$name ($cmd${fmt:+ $fmt})"
			# shellcheck disable=SC2086 # options are words
			run "$BIN" $cmd $fmt $opts "$file"
			if grep -q FAKESECRET "$_out" "$_err"; then
				not_ok "no secret printed"
				grep -h -o 'FAKESECRET[A-Za-z0-9-]*' "$_out" "$_err" | sed 's/^/#   printed: /'
			else
				ok "no secret printed"
			fi
			case $_run_code in
			0 | 1 | 2) ok "exit $_run_code" ;;
			*) not_ok "exit 0, 1 or 2 (got $_run_code)" ;;
			esac
		done
	done
done <cases.list

finish

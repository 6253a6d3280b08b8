# hostile2.sh - more hostile input: patterns that make a backtracking matcher give up,
# signals while a file is written, FIFOs with nobody on the other end, settings files
# planted by someone else, and inputs whose size makes a careless loop quadratic. Each
# must end with the documented result, quickly and without leaving anything behind.
# Run as `sh tests/cli/hostile2.sh BIN`. No timing assertions: a command that should
# take milliseconds runs under `timeout 20`, and only its exit status is checked.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

# within SECONDS cmd...: run cmd (as `run`), killed after SECONDS when `timeout` exists
within() {
	_secs=$1
	shift
	if command -v timeout >/dev/null 2>&1; then
		run timeout -k 5 "$_secs" "$@"
	else
		run "$@"
	fi
}

# expect_within SECONDS CODE cmd...: cmd ends with exit status CODE before SECONDS
expect_within() {
	_secs=$1
	_want=$2
	shift 2
	within "$_secs" "$@"
	if [ "$_run_code" = "$_want" ]; then
		ok "exit $_want within ${_secs} s"
	else
		not_ok "exit $_want within ${_secs} s"
		[ "$_run_code" != 124 ] || echo "#   timed out"
		_diag
	fi
}

# values EXCLUDES: a values file with one credential and these excludeNamespaces
values() {
	printf 'deploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n'
	printf '        enabled: true\n        excludeNamespaces: [%s]\n' "$1"
	printf '        registryCredentials:\n          - existingSecret: regcred\n'
}

# --- Kyverno wildcards in linear time ----------------------------------------------------
# Nested stars against names that hold every letter but end wrong: a backtracking
# matcher tries every way to place the stars (PCRE2 stopped at its match limit after
# ~0.1 s per name, 1,600 names took minutes).
nested='*a*a*a*a*a*a*a*a*a*a*a*a*b'
values "\"argocd\", \"kube-system\", \"$nested\"" >nested.yaml
i=0
while [ "$i" -lt 400 ]; do
	printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabaaa%d\n' "$i"
	i=$((i + 1))
done >near.txt
printf 'aaaaaaaaaaaaab\n' >>near.txt

t "namespaces --from: a nested-star pattern against 400 near-matching names"
expect_within 20 0 "$BIN" namespaces -f nested.yaml --from near.txt
expect_stdout_matches "^aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabaaa399 +cloned +no pattern matches"
expect_stdout_matches "^aaaaaaaaaaaaab +excluded +matches '\*a\*a\*a"

t "lint: the same pattern against 400 near-matching profile names"
{
	values "\"argocd\", \"kube-system\", \"$nested\""
	printf 'deploykf_core:\n  deploykf_profiles_generator:\n    profiles:\n'
	sed 's/^/      - name: /' near.txt
} >profiles.yaml
expect_within 20 0 "$BIN" lint profiles.yaml
expect_stderr_contains "'$nested' also matches 'aaaaaaaaaaaaab'"

finish

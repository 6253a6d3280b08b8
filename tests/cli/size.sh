# size.sh - a policy too large for Kubernetes: every credential adds rules, and the
# API server (etcd, 1.5 MiB) and client-side `kubectl apply` (256 KiB of annotations)
# have size limits. Run as `sh tests/cli/size.sh BIN`.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

# credentials N: a values file enabling the policy with N credentials
credentials() {
	printf 'deploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n'
	printf '        enabled: true\n        registryCredentials:\n'
	_i=0
	while [ "$_i" -lt "$1" ]; do
		printf '          - existingSecret: regcred-%d\n' "$_i"
		_i=$((_i + 1))
	done
}
credentials 20 >c20.yaml
credentials 300 >c300.yaml
credentials 1700 >c1700.yaml

t "20 credentials fit"
expect_exit 0 "$BIN" render c20.yaml
expect_stderr_empty
expect_exit 0 "$BIN" lint c20.yaml
expect_stderr_empty

t "300 credentials: too large for client-side kubectl apply"
expect_exit 0 "$BIN" render c300.yaml
expect_stdout_contains 'name: "clone-image-pull-secret-299"'
expect_stderr_matches '^c300\.yaml:6:9: warning: .*300 registry credentials.*\[DKF410\]$'
expect_exit 1 "$BIN" render --strict c300.yaml
expect_exit 0 "$BIN" lint c300.yaml
expect_stderr_contains '[DKF410]'

t "1700 credentials: too large for etcd"
echo 'old content' >policy.yaml
expect_exit 1 "$BIN" render -o policy.yaml c1700.yaml
expect_stderr_matches '^c1700\.yaml:6:9: error: .*1700 registry credentials.*\[DKF411\]$'
check "the old output is untouched" test "$(cat policy.yaml)" = 'old content'
expect_files . c20.yaml c300.yaml c1700.yaml policy.yaml
expect_exit 1 "$BIN" render c1700.yaml
expect_stdout_empty
expect_exit 1 "$BIN" lint c1700.yaml
expect_stderr_contains '[DKF411]'

t "1700 credentials with policy-too-large off: the whole policy, as deployKF renders it"
printf 'rules:\n  off: [policy-too-large]\n' >size-off.yaml
expect_exit 0 "$BIN" render --config size-off.yaml -o policy.yaml c1700.yaml
expect_file_contains policy.yaml 'name: "clone-image-pull-secret-1699"'
expect_file_contains policy.yaml 'name: "cloned--image-pull-secret-1699"'
check "the policy holds a clone and an annotate rule per credential, and the Pod rule" \
	test "$(grep -c '^    - name: ' policy.yaml)" -eq $((2 * 1700 + 1))

t "v0.1.3 policies are smaller (no annotate rules): 1700 credentials only warn"
expect_exit 0 "$BIN" render --deploykf-version v0.1.3 c1700.yaml
expect_stderr_contains '[DKF410]'

t "explain names the limits"
if "$BIN" explain DKF411 >/dev/null 2>&1; then
	expect_exit 0 "$BIN" explain DKF411
	expect_stdout_contains 'etcd'
else
	skip "explain DKF411" "this build has no explain command"
fi

finish

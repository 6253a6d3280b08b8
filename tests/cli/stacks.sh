# shellcheck shell=sh
# stacks.sh - the stacks a repository declares in .dkfpolicy.yaml (`stacks:`): lint
# of a file in the stacks that hold it, `check`, and `--stack` for render,
# namespaces and preview, in every format. The golden cases testdata/stacks-*
# hold the plain text shapes; this covers what needs a folder tree, several runs or
# other formats. Run as `sh tests/cli/stacks.sh BIN`.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

# A repository with two clusters sharing a base, an app-of-apps stack, and the
# committed policies of two stacks.
mkdir -p repo/values repo/apps repo/manifests/prod
cd repo
mkdir .git # the top of a repository: the search for .dkfpolicy.yaml stops here
cat >values/common.yaml <<'EOF'
deploykf_core:
  deploykf_auth:
    dex:
      staticPasswords:
        - email: admin@example.com
          password: ZZ-base-password-ZZ
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        excludeNamespaces: ["argocd"]
EOF
cat >values/prod.yaml <<'EOF'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        excludeNamespaces: ["argocd", "kube-system"]
        registryCredentials:
          - existingSecret: "prod-regcred"
EOF
cat >values/dev.yaml <<'EOF'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        registryCredentials:
          - existingSecret: "dev-regcred"
EOF
cat >apps/staging.yaml <<'EOF'
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: deploykf-staging
spec:
  source:
    repoURL: "https://git.example.com/platform/values.git"
    path: "."
    plugin:
      name: "deploykf"
      parameters:
        - name: "source_version"
          string: "0.1.5"
        - name: "values_files"
          array: ["./values/common.yaml", "./values/dev.yaml"]
        - name: "values"
          string: |
            argo_workflows:
              password: "ZZ-string-password-ZZ"
            deploykf_dependencies:
              kyverno:
                clusterPolicies:
                  imagePullSecrets:
                    registryCredentials:
                      - existingSecret: "staging-regcred"
                        existingSecretNamespace: on
EOF
cat >.dkfpolicy.yaml <<'EOF'
stacks:
  - name: prod
    values: [values/common.yaml, values/prod.yaml]
    output: manifests/prod/clusterpolicy.yaml
  - name: dev
    values: [values/common.yaml, values/dev.yaml]
    deploykfVersion: v0.1.3
  - name: staging
    application: apps/staging.yaml
EOF
"$BIN" render --stack prod -o manifests/prod/clusterpolicy.yaml

# no_secret: no password of the fixtures in the last run's output
no_secret() {
	if grep -q ZZ "$_out" "$_err"; then
		not_ok "no password in any output"
		_diag
	else
		ok "no password in any output"
	fi
}

t "the overlay is checked on its base: no false warning"
expect_exit 0 "$BIN" lint --strict values/prod.yaml
expect_stderr_empty

t "a change to the base checks every stack that holds it, each finding once"
expect_exit 0 "$BIN" lint values/common.yaml
# dev and staging keep the base's list, which drops kube-system; prod puts it back
expect_stderr_contains "values/common.yaml:12:9: warning: 'excludeNamespaces' replaces"
expect_stderr_contains ".dkfpolicy.yaml:5:11: note: in stacks 'dev' and 'staging'"
check "the finding is reported once" test "$(grep -c 'DKF301' "$_err")" = 1
no_secret

t "the same in JSON: the stacks as a related location"
expect_exit 0 "$BIN" lint --format json values/common.yaml
expect_stdout_contains '"message": "in stacks '\''dev'\'' and '\''staging'\''"'
check "one diagnostic" test "$(grep -c '"code": "DKF301"' "$_out")" = 1
no_secret

t "the same in SARIF and github"
expect_exit 0 "$BIN" lint --format sarif values/common.yaml
expect_stdout_contains "in stacks 'dev' and 'staging'"
no_secret
expect_exit 0 "$BIN" lint --format github values/common.yaml
expect_stdout_matches "^::warning file=values/common.yaml,line=12,col=9,title=DKF301 .*in stacks 'dev' and 'staging'"
no_secret

t "a file spelled another way is the same file"
expect_exit 0 "$BIN" lint ./values/common.yaml
# findings name the file as the stacks do
expect_stderr_contains "values/common.yaml:12:9: warning"
expect_stderr_contains ".dkfpolicy.yaml:5:11: note: in stacks 'dev' and 'staging'"

t "from a subfolder, paths are the working folder's"
cd values
expect_exit 0 "$BIN" lint common.yaml
expect_stderr_contains "../values/common.yaml:12:9: warning"
expect_stderr_contains "../.dkfpolicy.yaml:5:11: note: in stacks 'dev' and 'staging'"
check "the finding once" test "$(grep -c DKF301 "$_err")" = 1
cd ..

t "a values file of an Application stack checks that stack"
expect_exit 0 "$BIN" lint values/dev.yaml
# staging stacks values/dev.yaml through its Application's values_files
expect_stderr_contains "apps/staging.yaml:26:50: info: registryCredentials[0].existingSecretNamespace is the plain word 'on'"
check "true in both stacks checked: no stack named" sh -c '! grep -q "in stack" "$1"' sh "$_err"
check "the base's finding once" test "$(grep -c DKF301 "$_err")" = 1

t "no FILE: every stack"
expect_exit 0 "$BIN" lint
expect_stderr_contains "note: in stacks 'dev' and 'staging'"
no_secret

t "lint --stack: one stack"
expect_exit 0 "$BIN" lint --stack prod
expect_stderr_empty

t "a stack's committed output is not linted"
expect_exit 0 "$BIN" lint manifests/prod/clusterpolicy.yaml
expect_stderr_empty

t "check: every stack clean, every committed policy current"
expect_exit 0 "$BIN" check --stack prod
expect_stdout_empty
expect_stderr_empty

t "check fails on a stale committed policy, with the diff"
sed 's/prod-regcred/prod-regcred-2/' values/prod.yaml >p && mv p values/prod.yaml
expect_exit 1 "$BIN" check
expect_stderr_contains "manifests/prod/clusterpolicy.yaml:44:1: error: this committed policy is not what its stack renders; update it with 'dkfpolicy render --stack prod -o manifests/prod/clusterpolicy.yaml' [DKF412]"
expect_stdout_contains '+          name: "prod-regcred-2"'
expect_stdout_contains '--- manifests/prod/clusterpolicy.yaml	(committed)'
no_secret

t "check --format github: annotations on stdout, the diff on stderr"
expect_exit 1 "$BIN" check --format github
expect_stdout_matches '^::error file=manifests/prod/clusterpolicy.yaml,line=44,col=1,title=DKF412 stale-policy::'
expect_stderr_contains '+          name: "prod-regcred-2"'
no_secret

t "check --format sarif: the same findings"
expect_exit 1 "$BIN" check --format sarif
expect_stdout_contains '"ruleId": "DKF412"'
expect_stdout_contains '"ruleId": "DKF301"'
if command -v python3 >/dev/null 2>&1; then
	check "SARIF is JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$_out"
else
	skip "SARIF is JSON" "needs python3"
fi

t "render --stack -o brings it up to date"
expect_exit 0 "$BIN" render --stack prod -o manifests/prod/clusterpolicy.yaml
expect_exit 0 "$BIN" check --stack prod

t "render --stack of a stack with its own deployKF version"
expect_exit 0 "$BIN" render --stack dev
expect_stdout_contains 'clone-image-pull-secret-0'
check "v0.1.3 has no annotate rule" sh -c '! grep -q annotate-cloned-secret "$1"' sh "$_out"

t "render --stack of an Application stack equals render of the Application"
expect_exit 0 "$BIN" render --stack staging
cp "$_out" by-stack.yaml
expect_exit 0 "$BIN" render apps/staging.yaml
check "the same policy" cmp -s "$_out" by-stack.yaml
rm by-stack.yaml

t "namespaces and preview --stack"
expect_exit 0 "$BIN" namespaces --stack staging --format json
expect_stdout_contains '"staging-regcred"'
expect_exit 0 "$BIN" namespaces --stack prod --format json
expect_stdout_contains '"prod-regcred-2"'
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: kube-system}\nspec: {containers: [{name: c, image: x}]}\n' >pod.yaml
expect_exit 0 "$BIN" preview --stack prod pod.yaml
expect_stdout_contains "unchanged: namespace 'kube-system' is excluded by 'kube-system'"
expect_exit 0 "$BIN" preview --stack staging pod.yaml
expect_stdout_contains "gets imagePullSecrets [cloned--image-pull-secret-0]"

t "usage: --stack and values files are alternatives"
expect_exit 2 "$BIN" render --stack prod -f values/prod.yaml
expect_stderr_contains "use either --stack NAME or values files"
expect_exit 2 "$BIN" lint --stack prod values/prod.yaml
expect_stderr_contains "use either --stack NAME or FILEs"
expect_exit 2 "$BIN" render --stack ''
expect_stderr_contains "--stack needs the name of a stack"
expect_exit 2 "$BIN" check values/prod.yaml
expect_stderr_contains "check takes no operand"

t "an unknown stack names the declared ones"
expect_exit 2 "$BIN" render --stack qa
expect_stderr_contains "--stack qa: '.dkfpolicy.yaml' declares no such stack; it declares 'prod', 'dev', 'staging'"
expect_stdout_empty

t "with -f, the declared stacks are not used"
expect_exit 0 "$BIN" lint -f values/common.yaml values/dev.yaml
check "no stack context" sh -c '! grep -q "in stack" "$1"' sh "$_err"

t "an output that leads out through a symbolic link"
mkdir ../elsewhere
ln -s ../../elsewhere manifests/out
cat >links.yaml <<'EOF'
stacks:
  - name: prod
    values: [values/common.yaml, values/prod.yaml]
    output: manifests/out/clusterpolicy.yaml
EOF
expect_exit 1 "$BIN" lint --config links.yaml
expect_stderr_contains "links.yaml:4:13: error: output 'manifests/out/clusterpolicy.yaml' leads out of the folder of links.yaml through a symbolic link [DKF123]"
expect_exit 1 "$BIN" render --config links.yaml --stack prod
expect_stderr_contains "[DKF123]"
expect_stdout_empty

t "an Application file with two Applications: applicationName picks one"
{
	cat apps/staging.yaml
	echo ---
	sed 's/deploykf-staging/deploykf-qa/; s/staging-regcred/qa-regcred/' apps/staging.yaml
} >apps/two.yaml
cat >two.yaml <<'EOF'
stacks:
  - name: qa
    application: apps/two.yaml
  - name: qa-named
    application: apps/two.yaml
    applicationName: deploykf-qa
  - name: nope
    application: apps/two.yaml
    applicationName: deploykf-nope
EOF
expect_exit 1 "$BIN" lint --config two.yaml
expect_stderr_contains "two.yaml:3:18: error: 'apps/two.yaml' holds 2 Applications of deployKF's plugin; name the one of stack 'qa' with applicationName [DKF123]"
expect_stderr_contains "two.yaml:9:22: error: 'apps/two.yaml' holds no Application of deployKF's plugin named 'deploykf-nope'"
expect_exit 0 "$BIN" namespaces --config two.yaml --stack qa-named --format json
expect_stdout_contains '"qa-regcred"'

t "a stack whose source tree gives other defaults"
mkdir -p vendor/deploykf/generator
"$BIN" lint --stack prod >/dev/null 2>&1 # the defaults are embedded; a fork changes one
cp "$TESTS_DIR/../../data/default_values.yaml" vendor/deploykf/generator/default_values.yaml
sed 's/^\(    namespace: \)kyverno$/\1kyverno-fork/' vendor/deploykf/generator/default_values.yaml >d &&
	mv d vendor/deploykf/generator/default_values.yaml
cat >fork.yaml <<'EOF'
stacks:
  - name: fork
    values: [values/common.yaml, values/prod.yaml]
    sourcePath: vendor/deploykf
EOF
expect_exit 0 "$BIN" render --config fork.yaml --stack fork
expect_stdout_contains '"kyverno-fork"'

t "check with no stacks declared"
rm .dkfpolicy.yaml
expect_exit 2 "$BIN" check
expect_stderr_contains "no .dkfpolicy.yaml here declares stacks"
printf 'rules:\n  off: [DKF211]\n' >.dkfpolicy.yaml
expect_exit 2 "$BIN" check
expect_stderr_contains "check: '.dkfpolicy.yaml' declares no stacks"

t "many stacks sharing one base: each finding once"
{
	echo "stacks:"
	i=0
	while [ "$i" -lt 300 ]; do
		printf '  - name: s%d\n    values: [values/common.yaml, values/v%d.yaml]\n' "$i" "$i"
		printf 'deploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n        registryCredentials:\n          - existingSecret: "r%d"\n' "$i" >"values/v$i.yaml"
		i=$((i + 1))
	done
} >many.yaml
expect_exit 0 "$BIN" lint --config many.yaml values/common.yaml
check "the base's finding once, with no stack named (true in all)" \
	test "$(grep -c DKF301 "$_err")" = 1
check "no stack context" sh -c '! grep -q "in stack" "$1"' sh "$_err"

finish

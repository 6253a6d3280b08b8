#!/bin/sh
# cli_defects.sh - small command-line defects of the second hostile review:
# every failure says why, and no bad option value is taken as good.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

cat >values.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials: [{existingSecret: regcred}]
EOF2
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: a}]}\n' >pod.yaml

t "a write error on stdout is said, not silent"
if [ -w /dev/full ]; then
	for cmd in rules "explain DKF301" --help --version "render --help" schema "completion bash"; do
		# shellcheck disable=SC2086 # cmd is words
		run sh -c '"$0" "$@" >/dev/full' "$BIN" $cmd
		check "$cmd: exit 2" [ "$_run_code" = 2 ]
		check "$cmd: says it cannot write" grep -q 'cannot write to standard output' "$_err"
	done
else
	skip "write errors" "no /dev/full"
fi

t "preview --namespace must name a namespace"
expect_exit 2 "$BIN" preview --namespace '' -f values.yaml pod.yaml
expect_stderr_contains "--namespace '' is empty"
expect_exit 2 "$BIN" preview --namespace 'BAD NS' -f values.yaml pod.yaml
expect_stderr_contains "--namespace 'BAD NS' has white space"
expect_exit 0 "$BIN" preview --namespace team-1 -f values.yaml pod.yaml
expect_stdout_contains 'Pod team-1/p:'

t "--source-path '' is refused"
expect_exit 2 "$BIN" render --source-path '' values.yaml
expect_stderr_contains '--source-path needs a folder'
expect_stdout_empty

# --- plugin mode: nothing asked for is silently dropped ---------------------------------
EX=$TESTS_DIR/../../testdata/examples
t "--plugin-env takes no values files"
expect_exit 2 "$BIN" lint --plugin-env "$EX/values.yaml"
expect_stderr_contains "--plugin-env reads the stack from the environment: give no values files with it"
expect_exit 2 "$BIN" render --plugin-env -f "$EX/values.yaml"
expect_stderr_contains "--plugin-env reads the stack from the environment"

t "an Application under -f files is refused, not linted without them"
expect_exit 2 "$BIN" lint -f "$EX/values.yaml" "$EX/app-of-apps.yaml"
expect_stderr_contains "app-of-apps.yaml' holds Kubernetes manifests, not values, so it cannot be a layer of a stack: an Argo CD Application of deployKF's plugin is a whole stack, give it on its own, without other values files; other manifests go to preview or namespaces --from"
expect_exit 2 "$BIN" lint -f "$EX/app-of-apps.yaml" -f "$EX/values.yaml"
expect_stderr_contains "is a whole stack, give it on its own, without other values files"

t "lint --application that names no Application says so"
expect_exit 2 "$BIN" lint --application nope "$EX/app-of-apps.yaml"
expect_stderr_contains "holds no Application 'nope'; it holds 'deploykf-app-of-apps'"

finish

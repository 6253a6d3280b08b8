# precommit.sh - the hooks in .pre-commit-hooks.yaml, run by the real pre-commit in a
# throwaway git repository: a commit with a broken values file fails, a good one passes,
# and a values change without a re-render of the committed policy fails. git shows the
# hooks' output on stderr. Skipped (not failed) when git or pre-commit is not
# installed; .ci/run installs both. The same for the `-docker` hooks, with no
# dkfpolicy on PATH, where a docker CLI (podman's too) has the image they are pinned
# to (make image; tests/packages/images.sh runs this with podman as docker).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
if ! command -v git >/dev/null 2>&1 || ! command -v pre-commit >/dev/null 2>&1; then
	skip "pre-commit hooks" "needs git and pre-commit"
	finish
fi

# Everything pre-commit and git keep goes into the temporary folder; no network.
export HOME="$T/home" PRE_COMMIT_HOME="$T/cache" GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
mkdir -p "$HOME" "$T/bin"
# language: system runs `dkfpolicy` from PATH: the binary under test
ln -s "$BIN" "$T/bin/dkfpolicy"
PATH=$T/bin:$PATH

# pre-commit installs hooks from a git revision: commit this checkout's hooks file.
HOOKS=$T/hooks
git init -q "$HOOKS"
cp "$ROOT/.pre-commit-hooks.yaml" "$HOOKS/"
git -C "$HOOKS" add .pre-commit-hooks.yaml
git -C "$HOOKS" commit -q -m hooks
REV=$(git -C "$HOOKS" rev-parse HEAD)

git init -q proj
cd proj
cat >.pre-commit-config.yaml <<EOF2
repos:
  - repo: $HOOKS
    rev: $REV
    hooks:
      - id: dkfpolicy-lint
      - id: dkfpolicy-render-check
        args: [manifests/clusterpolicy.yaml, -f, values.yaml]
EOF2
cat >values.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecret: regcred
EOF2
mkdir manifests
"$BIN" render values.yaml -o manifests/clusterpolicy.yaml

t "pre-commit install"
expect_exit 0 pre-commit install
check "installs .git/hooks/pre-commit" test -f .git/hooks/pre-commit

t "a good values file and its rendered policy"
git add -A
expect_exit 0 git commit -q -m good
expect_stderr_matches 'dkfpolicy lint\.+Passed'
expect_stderr_matches 'dkfpolicy render --check\.+Passed'

t "a broken values file"
cat >values.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecretNamespace: argocd
EOF2
git add values.yaml
expect_exit 1 git commit -q -m broken
expect_stderr_matches 'dkfpolicy lint\.+Failed'
expect_stderr_contains "values.yaml:7:13: error: registryCredentials[0]: 'existingSecret' is missing"
check "nothing was committed" sh -c '[ "$(git rev-list --count HEAD)" = 1 ]'

t "a values change without a re-render"
cat >values.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecret: newcred
EOF2
git add values.yaml
expect_exit 1 git commit -q -m stale
expect_stderr_matches 'dkfpolicy lint\.+Passed'
expect_stderr_matches 'dkfpolicy render --check\.+Failed'
expect_stderr_contains '+          name: "newcred"'

t "re-rendered"
"$BIN" render values.yaml -o manifests/clusterpolicy.yaml
git add -A
expect_exit 0 git commit -q -m rerendered
check "two commits" sh -c '[ "$(git rev-list --count HEAD)" = 2 ]'

# --- two stacks sharing a base: dkfpolicy-lint in the stacks, dkfpolicy-check ----------
cd "$WORK"
git init -q stacks-proj
cd stacks-proj
cat >.pre-commit-config.yaml <<EOF2
repos:
  - repo: $HOOKS
    rev: $REV
    hooks:
      - id: dkfpolicy-lint
      - id: dkfpolicy-check
EOF2
cat >.dkfpolicy.yaml <<'EOF2'
stacks:
  - name: prod
    values: [values/common.yaml, values/prod.yaml]
    output: manifests/prod/clusterpolicy.yaml
  - name: dev
    values: [values/common.yaml, values/dev.yaml]
    output: manifests/dev/clusterpolicy.yaml
EOF2
mkdir -p values manifests/prod manifests/dev
cat >values/common.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
EOF2
# valid only on top of the base: alone it would be "credentials but disabled"
cat >values/prod.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        registryCredentials:
          - existingSecret: prod-regcred
EOF2
cat >values/dev.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        registryCredentials:
          - existingSecret: dev-regcred
EOF2
"$BIN" render --stack prod -o manifests/prod/clusterpolicy.yaml
"$BIN" render --stack dev -o manifests/dev/clusterpolicy.yaml
expect_exit 0 pre-commit install

t "stacks: the first commit"
git add -A
expect_exit 0 git commit -q -m stacks
expect_stderr_matches 'dkfpolicy lint\.+Passed'
expect_stderr_matches 'dkfpolicy check\.+Passed'

t "stacks: an overlay changed alone gets no false warning"
sed 's/prod-regcred/prod-regcred-2/' values/prod.yaml >p && mv p values/prod.yaml
"$BIN" render --stack prod -o manifests/prod/clusterpolicy.yaml
git add -A
# --verbose: pre-commit shows a passing hook's output too (alone on its defaults,
# the overlay would get DKF303, credentials but the policy disabled)
run pre-commit run --verbose dkfpolicy-lint --files values/prod.yaml
if [ "$_run_code" = 0 ]; then ok "exit 0"; else not_ok "exit 0"; _diag; fi
check "the hook ran on the file" grep -q 'dkfpolicy lint\.*Passed' "$_out"
check "no finding printed" sh -c '! grep -q DKF "$1"' sh "$_out"
expect_exit 0 git commit -q -m prod
expect_stderr_matches 'dkfpolicy check\.+Passed'

t "stacks: a broken base fails the commit, once per finding, in both stacks"
cat >values/common.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        excludeNamespaces: ["argocd"]
EOF2
git add values/common.yaml
expect_exit 1 git commit -q -m base
expect_stderr_matches 'dkfpolicy lint\.+Passed'
expect_stderr_contains "values/common.yaml:6:9: warning: 'excludeNamespaces' replaces"
expect_stderr_matches 'dkfpolicy check\.+Failed'
# both committed policies are stale now: the base is in both stacks
expect_stderr_contains "manifests/prod/clusterpolicy.yaml:"
expect_stderr_contains "manifests/dev/clusterpolicy.yaml:"
expect_stderr_contains '-              names: ["argocd","kube-system","kyverno"]'

t "stacks: re-rendered, the commit passes"
"$BIN" render --stack prod -o manifests/prod/clusterpolicy.yaml
"$BIN" render --stack dev -o manifests/dev/clusterpolicy.yaml
git add -A
expect_exit 0 git commit -q -m rerendered
check "three commits" sh -c '[ "$(git rev-list --count HEAD)" = 3 ]'

# --- the container hooks ------------------------------------------------------------
cd "$WORK"
IMAGE=$(sed -n 's/^  entry: \([^ ]*\) lint$/\1/p' "$ROOT/.pre-commit-hooks.yaml" | sed -n 2p)
t "container hooks"
check "pinned to this version's image ($IMAGE)" [ "$IMAGE" = "localhost/dkfpolicy:$(cat "$ROOT/VERSION")" ]
if ! command -v docker >/dev/null 2>&1 || ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
	skip "container hooks" "needs docker (or podman as docker) with the image $IMAGE: make image; make check-images runs it"
	finish
fi
# no dkfpolicy on PATH at all: the hooks need none
PATH=$(printf '%s\n' "$PATH" | tr ':' '\n' | while IFS= read -r d; do
	[ -n "$d" ] && [ ! -x "$d/dkfpolicy" ] && printf '%s:' "$d"
done | sed 's/:$//')
check "no dkfpolicy on PATH" sh -c '! command -v dkfpolicy'
git init -q docker-proj
cd docker-proj
cat >.pre-commit-config.yaml <<EOF2
repos:
  - repo: $HOOKS
    rev: $REV
    hooks:
      - id: dkfpolicy-lint-docker
      - id: dkfpolicy-render-check-docker
        args: [manifests/clusterpolicy.yaml, -f, values.yaml]
EOF2
cp ../proj/values.yaml values.yaml
mkdir manifests
"$BIN" render values.yaml -o manifests/clusterpolicy.yaml
expect_exit 0 pre-commit install

t "container hooks: a good values file and its rendered policy"
git add -A
expect_exit 0 git commit -q -m good
expect_stderr_matches 'dkfpolicy lint \(container\)\.+Passed'
expect_stderr_matches 'dkfpolicy render --check \(container\)\.+Passed'

t "container hooks: a broken values file"
cat >values.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecretNamespace: argocd
EOF2
git add values.yaml
expect_exit 1 git commit -q -m broken
expect_stderr_matches 'dkfpolicy lint \(container\)\.+Failed'
expect_stderr_contains "values.yaml:7:13: error: registryCredentials[0]: 'existingSecret' is missing"

t "container hooks: a values change without a re-render"
cat >values.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecret: othercred
EOF2
git add values.yaml
expect_exit 1 git commit -q -m stale
expect_stderr_matches 'dkfpolicy render --check \(container\)\.+Failed'
expect_stderr_contains '+          name: "othercred"'

finish

#!/bin/sh
# plugin.sh - deployKF's Argo CD plugin mode: an Application of the 'deploykf'
# plugin is checked and rendered as the stack the plugin builds (its
# values_files found in the git work tree, or under --repo-root), renders
# what the same stack given with -f renders, never shows anything from
# beside the block, and --plugin-env reads the same stack from the PARAM_*
# variables a CMP server sets, as a guard at the top of deployKF's own
# plugin init script.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

# app NAME PATH VALUES_FILES... : an Application whose values string is
# the file values-string.yaml, indented as a block scalar
app() {
	_name=$1
	_path=$2
	shift 2
	cat <<EOF2
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: $_name
spec:
  source:
    repoURL: https://git.example.com/platform/gitops.git
    targetRevision: main
    path: $_path
    plugin:
      name: deploykf
      parameters:
        - name: source_version
          string: "0.1.5"
        - name: values_files
          array:
EOF2
	for _f in "$@"; do
		echo "            - $_f"
	done
	echo '        - name: values'
	echo '          string: |'
	sed 's/^/            /' values-string.yaml
}

B='deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:'

# --- a team repository: a base, an overlay per cluster, an app-of-apps ----------
mkdir -p repo/values repo/apps
printf '%s\n        enabled: true\n        excludeNamespaces: [argocd, kube-system, "team-*-sandbox"]\n' "$B" >repo/values/common.yaml
printf '%s\n        registryCredentials:\n          - existingSecret: ghcr-pull\n            existingSecretNamespace: registry-creds\n' "$B" >repo/values/prod.yaml
printf 'deploykf_core:\n  deploykf_auth:\n    admin: {password: "PLAINTEXT-PASSWORD-1"}\n%s\n        registryCredentials:\n          - existingSecret: dockerhub-pull   # token TOKEN-2\n' "$B" >values-string.yaml
app prod . values/common.yaml values/prod.yaml >repo/apps/prod.yaml
git init -q repo 2>/dev/null || mkdir repo/.git

t "values_files are found in the git work tree holding the Application"
expect_exit 0 "$BIN" lint repo/apps/prod.yaml
check "no file is missing" sh -c '! grep -q DKF145 "$1"' sh "$_err"
(cd repo/apps && "$BIN" render prod.yaml) >from-inside.yaml
expect_exit 0 "$BIN" render repo/apps/prod.yaml
check "the same from any folder" cmp -s "$_out" from-inside.yaml

t "render of the Application equals render of the same stack with -f"
"$BIN" render repo/apps/prod.yaml >app.out
"$BIN" render -f repo/values/common.yaml -f repo/values/prod.yaml -f values-string.yaml >stack.out
check "identical policies" cmp -s app.out stack.out
check "the string's credential is last" grep -q '"dockerhub-pull"' app.out

t "--repo-root: a checkout somewhere else"
mkdir -p elsewhere
cp repo/apps/prod.yaml elsewhere/app.yaml
expect_exit 0 "$BIN" lint elsewhere/app.yaml
expect_stderr_contains '[DKF145]'
expect_exit 0 "$BIN" render --repo-root repo elsewhere/app.yaml
check "the same policy as from the work tree" cmp -s "$_out" app.out

t "nothing from beside the block, in any format and any command"
for format in text json sarif github; do
	run "$BIN" lint --format "$format" repo/apps/prod.yaml
	check "lint --format $format" sh -c '! grep -q -e PLAINTEXT-PASSWORD -e TOKEN-2 "$1" "$2"' sh "$_out" "$_err"
	run "$BIN" render --format "$format" repo/apps/prod.yaml
	check "render --format $format" sh -c '! grep -q -e PLAINTEXT-PASSWORD -e TOKEN-2 "$1" "$2"' sh "$_out" "$_err"
done
# findings on the lines of the block are quoted, the comment beside one is not
printf '%s\n        enabled: on    # token TOKEN-2\n' "$B" >values-string.yaml
app bad . >repo/apps/bad.yaml
run "$BIN" lint repo/apps/bad.yaml
expect_stderr_contains 'repo/apps/bad.yaml:23:30: warning:'
expect_stderr_matches '^ +23 \|                     enabled: on$'
check "no token" sh -c '! grep -q TOKEN-2 "$1"' sh "$_err"
run "$BIN" namespaces -f repo/apps/bad.yaml
check "namespaces: no token" sh -c '! grep -q TOKEN-2 "$1" "$2"' sh "$_out" "$_err"

t "several Applications in one file"
{
	cat repo/apps/prod.yaml
	echo ---
	sed 's/name: prod/name: staging/' repo/apps/prod.yaml
} >repo/apps/both.yaml
expect_exit 0 "$BIN" lint repo/apps/both.yaml
expect_exit 2 "$BIN" render repo/apps/both.yaml
expect_stderr_contains "holds 2 Applications of deployKF's plugin ('prod', 'staging'); name one with --application NAME"
expect_exit 0 "$BIN" render --application staging repo/apps/both.yaml
check "the one named" cmp -s "$_out" app.out
expect_exit 2 "$BIN" render --application nope repo/apps/both.yaml
expect_stderr_contains "holds no Application 'nope'"
expect_exit 2 "$BIN" render -f repo/values/common.yaml -f repo/apps/prod.yaml
expect_stderr_contains 'is a whole stack'

t "eleven or more values_files are stacked as bash lists them, as text"
mkdir -p many
i=0
files=
while [ $i -lt 12 ]; do
	printf '%s\n        excludeNamespaces: [file-%d, argocd, kube-system]\n' "$B" "$i" >"many/f$i.yaml"
	files="$files f$i.yaml"
	i=$((i + 1))
done
printf '%s\n        enabled: true\n        registryCredentials: [{existingSecret: regcred}]\n' "$B" >values-string.yaml
# shellcheck disable=SC2086 # a list of names
app many . $files >many/app.yaml
expect_exit 0 "$BIN" render many/app.yaml
check "f9.yaml is stacked last (0, 1, 10, 11, 2, ... 9)" grep -q '"file-9"' "$_out"
run "$BIN" lint many/app.yaml
expect_stderr_contains '[DKF143]'

t "--plugin-env: the stack from the PARAM_* variables a CMP server sets"
values=$(cat values-string.yaml)
(
	cd many || exit 1
	env PARAM_SOURCE_VERSION=0.1.5 PARAM_VALUES="$values" \
		PARAM_VALUES_FILES_0=f0.yaml PARAM_VALUES_FILES_1=f1.yaml PARAM_VALUES_FILES_10=f10.yaml \
		PARAM_VALUES_FILES_2=f2.yaml \
		"$BIN" render --plugin-env
) >env.out 2>env.err && env_rc=0 || env_rc=$?
check "exit 0" [ "$env_rc" = 0 ]
check "f2.yaml last: the text order" grep -q '"file-2"' env.out
run env PARAM_SOURCE_VERSION=0.1.5 PARAM_VALUES="$(printf '%s\n        enabled: on\n' "$B")" "$BIN" lint --plugin-env
expect_stderr_contains 'PARAM_VALUES:5:18: warning:'
expect_exit 1 env PARAM_VALUES="$values" "$BIN" lint --plugin-env
expect_stderr_contains 'sets neither source_version nor source_path'
run env PARAM_SOURCE_VERSION=0.1.5 PARAM_VALUES_FILES=x.yaml "$BIN" lint --plugin-env
expect_stderr_contains 'PARAM_VALUES_FILES is set, but'

# --- deployKF's own plugin, with the guard as the first line of its init ---------
# A CMP server runs init with bash -c in the Application's folder, PARAM_* set.
# The script below has the shape of deployKF's plugin.yaml init: check the
# version parameters, collect --values from ${!PARAM_VALUES_FILES_@}, write
# PARAM_VALUES to a file, run deploykf generate (a stub here that records
# its arguments).
mkdir -p bin cmp
cat >bin/deploykf <<'EOF2'
#!/bin/sh
echo "$@" >"$DEPLOYKF_CALLED"
EOF2
chmod +x bin/deploykf
ln -s "$BIN" bin/dkfpolicy
cat >cmp/init.sh <<'EOF2'
dkfpolicy lint --plugin-env || exit 1
set -eo pipefail
if [[ -n "$PARAM_SOURCE_VERSION" && -n "$PARAM_SOURCE_PATH" ]]; then exit 1; fi
if [[ -z "$PARAM_SOURCE_VERSION" && -z "$PARAM_SOURCE_PATH" ]]; then exit 1; fi
DKF_ARGS=(--output-dir ./out)
[[ -n "$PARAM_SOURCE_VERSION" ]] && DKF_ARGS+=(--source-version "$PARAM_SOURCE_VERSION")
for env_var in ${!PARAM_VALUES_FILES_@}; do
	[[ -f "${!env_var}" ]] || exit 1
	DKF_ARGS+=(--values "${!env_var}")
done
if [[ -n "$PARAM_VALUES" ]]; then
	echo "$PARAM_VALUES" >./__PLUGIN_USER_VALUES__.yaml
	DKF_ARGS+=(--values ./__PLUGIN_USER_VALUES__.yaml)
fi
deploykf generate "${DKF_ARGS[@]}"
EOF2
t "argocd-cmp/README.md shows the guard as this script's first line"
check "the same line" grep -qxF "        $(head -n 1 cmp/init.sh)" "$TESTS_DIR/../../argocd-cmp/README.md"
if command -v bash >/dev/null 2>&1; then
	t "the guard passes good values on to deployKF's generator"
	export DEPLOYKF_CALLED="$T/called"
	run sh -c 'cd repo && env -i PATH="$1:/usr/bin:/bin" HOME=/nonexistent DEPLOYKF_CALLED="$2" \
		ARGOCD_APP_NAME=deploykf-prod PARAM_SOURCE_VERSION=0.1.5 \
		PARAM_VALUES_FILES_0=values/common.yaml PARAM_VALUES_FILES_1=values/prod.yaml \
		bash -c "$(cat "$3")"' sh "$T/work/bin" "$DEPLOYKF_CALLED" "$T/work/cmp/init.sh"
	check "init exits 0" [ "$_run_code" = 0 ]
	check "deploykf generate ran" grep -q -- '--values values/common.yaml --values values/prod.yaml' "$DEPLOYKF_CALLED"

	t "the guard fails the sync on bad values, with the finding"
	rm -f "$DEPLOYKF_CALLED"
	run sh -c 'cd repo && env -i PATH="$1:/usr/bin:/bin" HOME=/nonexistent DEPLOYKF_CALLED="$2" \
		ARGOCD_APP_NAME=deploykf-prod PARAM_SOURCE_VERSION=0.1.5 \
		PARAM_VALUES_FILES_0=values/common.yaml PARAM_VALUES="$4" \
		bash -c "$(cat "$3")"' sh "$T/work/bin" "$DEPLOYKF_CALLED" "$T/work/cmp/init.sh" \
		"$(printf '%s\n        registryCredentials: [{existingSecretNamespace: x}]\n' "$B")"
	check "init exits 1" [ "$_run_code" = 1 ]
	expect_stderr_contains "PARAM_VALUES:5:31: error: registryCredentials[0]: 'existingSecret' is missing"
	expect_stderr_contains "in Application 'deploykf-prod'"
	check "deploykf generate did not run" test ! -e "$DEPLOYKF_CALLED"
else
	skip "deployKF's plugin init" "no bash"
fi

finish

# shellcheck shell=sh
# argocd_cmp.sh - the Argo CD Config Management Plugin in argocd-cmp/, run the way the
# CMP server (argocd-cmp-server) runs it: plugin.yaml's own init and generate commands,
# working folder at the Application's path inside the repository, a clean environment
# with the build variables, the parameters as PARAM_* variables and as the JSON in
# ARGOCD_APP_PARAMETERS; `dkfpolicy` and `dkfpolicy-cmp` on PATH as in the sidecar.
# Run as `sh tests/cli/argocd_cmp.sh BIN` (tests/run-tests.sh does).
#
# With DKF_CMP_IMAGE=IMAGE (tests/packages/images.sh sets it) each init and generate
# runs in the sidecar image instead, as the sidecar runs them: the image's own user
# (999), a read-only root, no capabilities, no privilege escalation, no network, a
# tmpfs /tmp; the repository mounted read-only at the same path, so the plugin
# writes nothing. DKF_CONTAINER names the runtime (default podman).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

CMP_DIR=$(cd "$TESTS_DIR/../../argocd-cmp" && pwd)
PLUGIN=$CMP_DIR/plugin.yaml

# --- plugin.yaml ---------------------------------------------------------------------
# plugin_command SECTION: the words of spec.SECTION.command followed by spec.SECTION.args,
# one per line. plugin.yaml keeps them in the one-line flow form `command: [a, b]`;
# anything fancier (quotes, spaces in a word) fails here rather than being misread.
plugin_command() {
	awk -v sect="$1" '
		/^spec:/ { in_spec = 1; next }
		/^[^ #]/ { in_spec = 0 }
		in_spec && /^  [A-Za-z]/ { cur = $1; sub(/:$/, "", cur); next }
		in_spec && cur == sect && /^    (command|args):/ {
			line = $0
			sub(/^    (command|args): */, "", line)
			if (line !~ /^\[[^]["'\''{}]*\]$/) { print "unreadable: " line; bad = 1; exit }
			line = substr(line, 2, length(line) - 2)
			n = split(line, words, ",")
			for (i = 1; i <= n; i++) {
				w = words[i]
				gsub(/^ +| +$/, "", w)
				if (w == "" || w ~ / /) { print "unreadable word: " words[i]; bad = 1; exit }
				print w
			}
		}
		END { exit bad }
	' "$PLUGIN"
}

# exit_was CODE: the last command run exited with CODE
exit_was() {
	if [ "$_run_code" = "$1" ]; then
		ok "exit $1"
	else
		not_ok "exit $1"
		_diag
	fi
}

t "plugin.yaml has the fields Argo CD CMP v2 requires"
check "apiVersion: argoproj.io/v1alpha1" grep -qx 'apiVersion: argoproj.io/v1alpha1' "$PLUGIN"
check "kind: ConfigManagementPlugin" grep -qx 'kind: ConfigManagementPlugin' "$PLUGIN"
check "metadata.name: dkfpolicy" grep -qx '  name: dkfpolicy' "$PLUGIN"
INIT_CMD=$(plugin_command init) || INIT_CMD=
GENERATE_CMD=$(plugin_command generate) || GENERATE_CMD=
check "spec.init.command is readable" test -n "$INIT_CMD"
check "spec.generate.command is readable" test -n "$GENERATE_CMD"
for name in values-files stack deploykf-version strict; do
	check "parameter $name is announced" grep -q "^      - name: $name\$" "$PLUGIN"
done

# The example Application must select the plugin by <metadata.name>-<spec.version>
# and set only parameters the plugin announces.
t "application.yaml selects this plugin"
plugin_name=$(sed -n 's/^  name: //p' "$PLUGIN" | head -n 1)-$(sed -n 's/^  version: //p' "$PLUGIN")
check "plugin.name is $plugin_name" grep -qx "      name: $plugin_name" "$CMP_DIR/application.yaml"
sed -n 's/^        - name: //p' "$CMP_DIR/application.yaml" >"$T/app-params"
check "it sets parameters" test -s "$T/app-params"
while read -r name; do
	check "parameter $name is announced" grep -q "^      - name: $name\$" "$PLUGIN"
done <"$T/app-params"

# Well-formed YAML even without PyYAML: dkfpolicy's own loader reports any syntax
# error (DKF101), duplicate key (DKF105) or second document (DKF102) as an error.
for f in plugin.yaml application.yaml repo-server-patch.yaml; do
	t "argocd-cmp/$f loads without errors"
	run "$BIN" lint "$CMP_DIR/$f"
	exit_was 0
done

# With PyYAML around, parse plugin.yaml for real and compare with what the test runs.
if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
	t "plugin.yaml, application.yaml, repo-server-patch.yaml parsed as YAML"
	run python3 - "$PLUGIN" "$CMP_DIR/application.yaml" "$CMP_DIR/repo-server-patch.yaml" <<'EOF'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["apiVersion"] == "argoproj.io/v1alpha1", d["apiVersion"]
assert d["kind"] == "ConfigManagementPlugin", d["kind"]
assert d["metadata"]["name"] == "dkfpolicy"
spec = d["spec"]
for section in ("init", "generate"):
    cmd = spec[section]["command"]
    assert isinstance(cmd, list) and cmd and all(isinstance(w, str) for w in cmd), cmd
    print(section, " ".join(cmd + spec[section].get("args", [])))
params = {p["name"]: p for p in spec["parameters"]["static"]}
assert params["values-files"]["collectionType"] == "array"
assert params["values-files"]["array"] == ["values.yaml"]
assert isinstance(params["deploykf-version"]["string"], str)
assert params["strict"]["string"] == "false"
app = yaml.safe_load(open(sys.argv[2]))
assert app["kind"] == "Application"
plugin = app["spec"]["source"]["plugin"]
assert plugin["name"] == d["metadata"]["name"] + "-" + spec["version"], plugin["name"]
for p in plugin["parameters"]:
    assert p["name"] in params, p["name"]
    kind = params[p["name"]].get("collectionType", "string")
    assert kind in p and isinstance(p[kind], list if kind == "array" else str), p
patch = yaml.safe_load(open(sys.argv[3]))
c = patch["spec"]["template"]["spec"]["containers"][0]
assert c["command"] == ["/var/run/argocd/argocd-cmp-server"], c["command"]
assert c["securityContext"]["runAsUser"] == 999
EOF
	expect_stdout_contains "init $(printf '%s' "$INIT_CMD" | tr '\n' ' ')"
	expect_stdout_contains "generate $(printf '%s' "$GENERATE_CMD" | tr '\n' ' ')"
	expect_stderr_empty
else
	skip "plugin.yaml parsed as YAML" "no python3 with PyYAML"
fi

# --- the sidecar ---------------------------------------------------------------------
# The image puts both programs on PATH (argocd-cmp/Containerfile); so does the test.
SIDECAR_BIN=$T/sidecar-bin
mkdir "$SIDECAR_BIN"
ln -s "$BIN" "$SIDECAR_BIN/dkfpolicy"
cp "$CMP_DIR/dkfpolicy-cmp.sh" "$SIDECAR_BIN/dkfpolicy-cmp"
chmod +x "$SIDECAR_BIN/dkfpolicy-cmp"

# The repository Argo CD unpacks: an Application at apps/deploykf that stacks a file
# shared by every cluster on top of its own values.
REPO=$WORK/repo
APP_PATH=apps/deploykf
APP=$REPO/$APP_PATH
mkdir -p "$APP" "$REPO/common"

cat >"$REPO/common/registry.yaml" <<'EOF'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: false
        registryCredentials:
          - existingSecret: "regcred"
            existingSecretNamespace: "registry-creds"
EOF

cat >"$APP/values.yaml" <<'EOF'
deploykf_core:
  deploykf_auth:
    dex:
      staticPasswords:
        - email: admin@example.com
          password: hunter2-do-not-print
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
EOF

# enabled, but the credential names no Secret
cat >"$APP/values-bad.yaml" <<'EOF'
deploykf_core:
  deploykf_auth:
    dex:
      staticPasswords:
        - email: admin@example.com
          password: hunter2-do-not-print
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecretNamespace: "registry-creds"
EOF

cat >"$APP/values-disabled.yaml" <<'EOF'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: false
EOF

# legal but risky: enabled with no credentials (a warning)
cat >"$APP/values-warn.yaml" <<'EOF'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials: []
EOF

# cmp PHASE [PARAM]...: run plugin.yaml's PHASE command (init or generate) as the CMP
# server would, capturing its output like `run`. A PARAM is NAME=VALUE for a string
# parameter or NAME=[A,B] for an array (test values hold no spaces, commas or quotes).
# As in Argo CD, an empty value gets no variable (cmpserver/plugin/plugin.go, environ).
cmp() {
	_phase=$1
	shift
	if [ "$_phase" = init ]; then _cmd=$INIT_CMD; else _cmd=$GENERATE_CMD; fi
	_env=
	_json=
	for _p in "$@"; do
		_name=${_p%%=*}
		_val=${_p#*=}
		_var=PARAM_$(printf '%s' "$_name" | tr '[:lower:]' '[:upper:]' | sed 's/[^A-Z0-9_]/_/g')
		case $_val in
		\[*\])
			_items=${_val#\[}
			_items=${_items%\]}
			_i=0
			_jitems=
			_saved_ifs=$IFS
			IFS=,
			for _it in $_items; do
				[ -z "$_it" ] || _env="$_env $_var""_$_i=$_it"
				_jitems="$_jitems${_jitems:+,}\"$_it\""
				_i=$((_i + 1))
			done
			IFS=$_saved_ifs
			_json="$_json${_json:+,}{\"array\":[$_jitems],\"name\":\"$_name\"}"
			;;
		*)
			[ -z "$_val" ] || _env="$_env $_var=$_val"
			_json="$_json${_json:+,}{\"name\":\"$_name\",\"string\":\"$_val\"}"
			;;
		esac
	done
	cd "$APP"
	set -f
	if [ -n "${DKF_CMP_IMAGE-}" ]; then
		# shellcheck disable=SC2086 # words without spaces, split on purpose
		run "${DKF_CONTAINER:-podman}" run --rm --network=none --read-only --cap-drop=ALL \
			--security-opt=no-new-privileges --tmpfs /tmp -v "$REPO:$REPO:ro" -w "$APP" \
			"$DKF_CMP_IMAGE" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/argocd \
			ARGOCD_APP_NAME=deploykf-policy ARGOCD_APP_NAMESPACE=kyverno \
			ARGOCD_APP_PROJECT_NAME=default ARGOCD_APP_SOURCE_PATH="$APP_PATH" \
			ARGOCD_APP_SOURCE_REPO_URL=https://git.example.com/platform.git \
			ARGOCD_APP_PARAMETERS="[$_json]" $_env $_cmd
	else
		# shellcheck disable=SC2086 # words without spaces, split on purpose
		run env -i PATH="$SIDECAR_BIN:/usr/bin:/bin" HOME="$T" \
			ARGOCD_APP_NAME=deploykf-policy ARGOCD_APP_NAMESPACE=kyverno \
			ARGOCD_APP_PROJECT_NAME=default ARGOCD_APP_SOURCE_PATH="$APP_PATH" \
			ARGOCD_APP_SOURCE_REPO_URL=https://git.example.com/platform.git \
			ARGOCD_APP_PARAMETERS="[$_json]" $_env $_cmd
	fi
	set +f
	cd "$WORK"
}

# sync [PARAM]...: what one manifest generation does: init, then generate when init
# succeeded. The captured output is that of the last command run.
sync() {
	cmp init "$@"
	[ "$_run_code" != 0 ] || cmp generate "$@"
}

# lacks WHAT FILE STRING: FILE does not contain the fixed STRING
lacks() {
	if grep -q -F -e "$3" "$2"; then
		not_ok "$1"
		_diag
	else
		ok "$1"
	fi
}

# no_escapes: the last stderr holds no terminal escape (the Argo CD UI shows it raw)
no_escapes() {
	lacks "stderr has no terminal escapes" "$_err" "$(printf '\033')"
}

# --- a good stack: the policy is printed -------------------------------------------------
STACK='values-files=[../../common/registry.yaml,values.yaml]'

t "good stack: init"
cmp init "$STACK"
exit_was 0
expect_stdout_empty

t "good stack: generate"
cmp generate "$STACK"
exit_was 0
expect_stdout_contains 'kind: "ClusterPolicy"'
expect_stdout_contains '"regcred"'
expect_stdout_contains '"registry-creds"'
expect_stdout_contains 'annotate-cloned-secret-0'

t "good stack: a whole sync"
sync "$STACK"
exit_was 0
expect_stdout_contains 'name: "clone-image-pull-secrets"'

t "files stack in the order given (later wins: here the shared file disables)"
sync 'values-files=[values.yaml,../../common/registry.yaml]'
exit_was 0
expect_stdout_empty

t "deploykf-version=v0.1.3 renders that version's shape"
sync "$STACK" deploykf-version=v0.1.3
exit_was 0
expect_stdout_contains '"regcred"'
lacks "no annotate-cloned-secret rules" "$_out" annotate-cloned-secret

t "deploykf-version unset is the announced default"
sync "$STACK"
cp "$_out" "$T/default.out"
sync "$STACK" "deploykf-version=$(sed -n 's/^        string: \(v[0-9.]*\)$/\1/p' "$PLUGIN")"
check "same policy" cmp -s "$_out" "$T/default.out"

t "values-files unset is the announced default (values.yaml)"
sync
exit_was 0
expect_stderr_contains 'renders nothing'
expect_stdout_empty

# --- a stack with an error: the sync stops with the diagnostic ------------------------------
t "error stack: init"
cmp init 'values-files=[../../common/registry.yaml,values-bad.yaml]'
exit_was 1
expect_stdout_empty
expect_stderr_matches '^values-bad\.yaml:13:[0-9]+: error: .*\[DKF201\]$'
expect_stderr_contains "the deployKF values of 'deploykf-policy' have errors"
expect_stderr_contains 'reproduce in the Application'"'"'s folder with: dkfpolicy lint -f ../../common/registry.yaml -f values-bad.yaml'
lacks "no password in stderr" "$_err" hunter2
no_escapes

t "error stack: generate on its own"
cmp generate 'values-files=[../../common/registry.yaml,values-bad.yaml]'
exit_was 1
expect_stdout_empty
expect_stderr_contains '[DKF201]'

t "error stack: a whole sync stops at init"
sync 'values-files=[../../common/registry.yaml,values-bad.yaml]'
exit_was 1
expect_stdout_empty

# --- a disabled policy: nothing to apply -------------------------------------------------
t "disabled policy: init"
cmp init 'values-files=[values-disabled.yaml]'
exit_was 0
expect_stdout_empty

t "disabled policy: generate"
cmp generate 'values-files=[values-disabled.yaml]'
exit_was 0
expect_stdout_empty

# --- strict ----------------------------------------------------------------------------
t "a warning does not stop the sync"
sync 'values-files=[values-warn.yaml]' strict=false
exit_was 0
expect_stdout_empty

t "a warning stops the sync with strict=true"
cmp init 'values-files=[values-warn.yaml]' strict=true
exit_was 1
expect_stdout_empty
expect_stderr_matches '^values-warn\.yaml:[0-9]+:[0-9]+: warning: .*\[DKF302\]$'
expect_stderr_contains 'warnings with strict=true'
no_escapes

# --- bad parameters: exit 2, a message naming the parameter ------------------------------------
t "strict=maybe"
cmp init 'values-files=[values.yaml]' strict=maybe
exit_was 2
expect_stderr_contains "parameter 'strict' is 'maybe'"

t "an unknown deploykf-version"
cmp init 'values-files=[values.yaml]' deploykf-version=v9
exit_was 2
expect_stderr_contains "'v9'"
expect_stdout_empty

t "an empty item in values-files"
cmp init 'values-files=[../../common/registry.yaml,,values.yaml]'
exit_was 2
expect_stderr_contains 'values-files[1] is empty'

t "an absolute values file"
cmp init 'values-files=[/etc/hostname]'
exit_was 2
expect_stderr_contains 'absolute path'

t "a values file above the repository"
cmp init 'values-files=[../../../outside.yaml]'
exit_was 2
expect_stderr_contains 'outside the repository'

t "a values file that does not exist"
cmp generate 'values-files=[values.yaml,no-such-file.yaml]'
exit_was 2
expect_stdout_empty
expect_stderr_contains 'no-such-file.yaml'
expect_stderr_contains 'could not check'

# --- a stack that .dkfpolicy.yaml declares: the stack parameter ----------------------------
# Written once at the repository's top, as pre-commit and CI read it; paths are
# relative to that file's folder.
cat >"$REPO/.dkfpolicy.yaml" <<'EOF'
stacks:
  - name: prod
    values: [common/registry.yaml, apps/deploykf/values.yaml]
  - name: broken
    values: [common/registry.yaml, apps/deploykf/values-bad.yaml]
EOF

t "stack=prod: a whole sync renders the declared stack"
sync stack=prod
exit_was 0
expect_stdout_contains 'kind: "ClusterPolicy"'
expect_stdout_contains '"regcred"'
cp "$_out" "$T/by-stack.yaml"

t "stack=prod renders what the same files as values-files render"
cmp generate "$STACK"
exit_was 0
check "the two policies are the same" diff -q "$_out" "$T/by-stack.yaml"

t "stack=broken stops the sync at init, naming the file and line"
cmp init stack=broken
exit_was 1
expect_stderr_contains '../../apps/deploykf/values-bad.yaml:13:13: error: registryCredentials[0]'
expect_stderr_contains "reproduce in the Application's folder with: dkfpolicy lint --config ../../.dkfpolicy.yaml --stack broken"
lacks "no password in the output" "$_err" hunter2
no_escapes

t "stack=broken: generate on its own prints nothing"
cmp generate stack=broken
exit_was 1
expect_stdout_empty

t "a stack the configuration does not declare"
cmp init stack=staging
exit_was 2
expect_stderr_contains "declares no such stack; it declares 'prod', 'broken'"

t "stack and values-files together"
cmp init stack=prod 'values-files=[values.yaml]'
exit_was 2
expect_stderr_contains "set either 'stack' or 'values-files', not both"

t "a stack name that is no name"
cmp init 'stack=prod;rm'
exit_was 2
expect_stderr_contains "parameter 'stack' is 'prod;rm'"

rm "$REPO/.dkfpolicy.yaml"
t "stack without a .dkfpolicy.yaml at the repository's top"
cmp init stack=prod
exit_was 2
expect_stderr_contains 'the repository has no .dkfpolicy.yaml at its top'

finish

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

# --- render -o killed while it writes ----------------------------------------------------
# A render of some 40 MB (20,000 credentials; policy-too-large silenced in the
# settings file) takes long enough to be caught with its temporary file open.
credentials() {
	printf 'deploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n'
	printf '        enabled: true\n        registryCredentials:\n'
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "          - existingSecret: regcred-%d\n", i }'
}
mkdir big
credentials 20000 >big/values.yaml
printf 'rules:\n  off: [policy-too-large, policy-too-large-to-apply]\n' >big/.dkfpolicy.yaml

# temp_in DIR: the name of a temporary file in DIR, or nothing
temp_in() {
	for _f in "$1"/.dkfpolicy-*; do
		[ -e "$_f" ] && echo "$_f"
	done
	return 0
}

# kill_while_writing SIG DIR: render -o DIR/policy.yaml and send SIG while the temporary
# file is open. The run is stopped (SIGSTOP) as soon as its temporary file shows up, so
# the signal lands before the rename; a run that was too quick to be seen is repeated,
# at most 20 times. Sets killed_status (empty: never caught).
kill_while_writing() {
	killed_status=
	_try=0
	while [ "$_try" -lt 20 ] && [ -z "$killed_status" ]; do
		_try=$((_try + 1))
		# a background job starts with SIGINT ignored; give the binary the default
		(cd big && exec env --default-signal "$BIN" render -o "../$2/policy.yaml" values.yaml) \
			2>/dev/null &
		_pid=$!
		while kill -0 "$_pid" 2>/dev/null && [ -z "$(temp_in "$2")" ]; do :; done
		if kill -STOP "$_pid" 2>/dev/null; then
			if [ -n "$(temp_in "$2")" ]; then
				kill "-$1" "$_pid"
				kill -CONT "$_pid"
				wait "$_pid" && killed_status=0 || killed_status=$?
				break
			fi
			kill -CONT "$_pid"
		fi
		wait "$_pid" || :
		echo old >"$2/policy.yaml"
	done
}

# signum NAME: the number of a signal (dash's kill -l takes numbers only)
signum() {
	case $1 in
	HUP) echo 1 ;;
	INT) echo 2 ;;
	TERM) echo 15 ;;
	XFSZ) echo 25 ;;
	esac
}

if env --default-signal true 2>/dev/null; then
	for sig in TERM INT HUP; do
		t "render -o killed by SIG$sig while writing"
		mkdir "out-$sig"
		echo old >"out-$sig/policy.yaml"
		kill_while_writing "$sig" "out-$sig"
		if [ -n "$killed_status" ]; then
			check "dies of the signal (status $killed_status)" \
				test "$killed_status" = $((128 + $(signum "$sig")))
			expect_files "out-$sig" policy.yaml
			check "the old file is untouched" test "$(cat "out-$sig/policy.yaml")" = old
		else
			skip "signal while writing" "the render was never caught writing in 20 runs"
		fi
	done
else
	skip "render -o killed while writing" "env has no --default-signal"
fi

t "render -o over the file size limit (ulimit -f: SIGXFSZ)"
mkdir out-xfsz
echo old >out-xfsz/policy.yaml
# 1024 blocks of 512 bytes (dash) or 1 KiB (bash): far below the policy's 40 MB
# shellcheck disable=SC2016
run sh -c 'cd big && ulimit -c 0 && ulimit -f 1024 && exec "$0" render -o ../out-xfsz/policy.yaml values.yaml' "$BIN"
check "dies of SIGXFSZ (status $_run_code)" test "$_run_code" = $((128 + $(signum XFSZ)))
expect_files out-xfsz policy.yaml
check "the old file is untouched" test "$(cat out-xfsz/policy.yaml)" = old

t "render -o over the file size limit with SIGXFSZ ignored: a write error"
# shellcheck disable=SC2016
run sh -c 'cd big && ulimit -f 1024 && trap "" XFSZ && exec "$0" render -o ../out-xfsz/policy.yaml values.yaml' "$BIN"
check "exit 2" test "$_run_code" = 2
expect_stderr_contains "cannot write '../out-xfsz/policy.yaml': File too large"
expect_files out-xfsz policy.yaml
check "the old file is untouched" test "$(cat out-xfsz/policy.yaml)" = old

t "a signal after the render has finished changes nothing"
mkdir out-done
expect_exit 0 sh -c 'cd big && exec "$0" render -o ../out-done/policy.yaml values.yaml' "$BIN"
expect_files out-done policy.yaml
expect_file_contains out-done/policy.yaml 'name: "cloned--image-pull-secret-19999"'
rm -r big out-*

# --- FIFOs with nobody on the other end -------------------------------------------------
values '"argocd", "kube-system"' >plain.yaml
mkfifo lonely.fifo

t "render --check FIFO with no writer: refused, not a hang"
expect_within 20 2 "$BIN" render --check lonely.fifo plain.yaml
expect_stderr_contains "cannot check 'lonely.fifo': not a regular file"
expect_stdout_empty

t "--config FIFO with no writer: refused, not a hang"
expect_within 20 2 "$BIN" lint --config lonely.fifo plain.yaml
expect_stderr_contains "cannot read the configuration 'lonely.fifo': not a regular file"

t "render -o FIFO with no reader: refused, not a hang"
expect_within 20 2 "$BIN" render -o lonely.fifo plain.yaml
expect_stderr_contains "cannot write 'lonely.fifo': no process is reading this FIFO"
expect_stdout_empty
check "still a FIFO" test -p lonely.fifo

t "render -o FIFO with a reader: written in place"
"$BIN" render plain.yaml >want.yaml
# The test keeps the FIFO open both ways (opening it so never blocks), so the reader is
# there before the render opens it; the policy (some 4 KB) fits into the pipe's buffer.
exec 3<>lonely.fifo
expect_within 20 0 "$BIN" render -o lonely.fifo plain.yaml
head -c "$(wc -c <want.yaml)" <&3 >got.yaml
exec 3>&-
check "the reader got the policy" cmp -s want.yaml got.yaml
check "still a FIFO" test -p lonely.fifo

t "a .dkfpolicy.yaml that is a FIFO is skipped, not waited for"
mkdir fifo-config
mkfifo fifo-config/.dkfpolicy.yaml
cp plain.yaml fifo-config/
expect_within 20 0 sh -c 'cd fifo-config && exec "$0" lint plain.yaml' "$BIN"
expect_stderr_contains ".dkfpolicy.yaml: warning: "
expect_stderr_contains "not a regular file"
rm -r fifo-config

t "values from a pipe are read whole"
expect_within 20 0 sh -c 'cat plain.yaml | "$0" lint /dev/stdin' "$BIN"
expect_within 20 0 sh -c 'cat plain.yaml | "$0" render /dev/stdin' "$BIN"
expect_stdout_contains 'name: "regcred"'

t "a values FIFO waits for its writer"
# shellcheck disable=SC2016
expect_within 20 0 sh -c '"$0" render lonely.fifo & pid=$!; sleep 1; cat plain.yaml >lonely.fifo; wait $pid' "$BIN"
expect_stdout_contains 'name: "regcred"'

t "namespaces --from a pipe"
expect_within 20 0 sh -c 'printf "team-1\n" | "$0" namespaces -f plain.yaml --from /dev/stdin' "$BIN"
expect_stdout_matches '^team-1 +cloned'
rm lonely.fifo

t "--config /dev/zero: the reason, not a stale errno"
expect_within 20 2 "$BIN" lint --config /dev/zero plain.yaml
expect_stderr_contains "cannot read the configuration '/dev/zero': not a regular file"

t "--config larger than 1 MiB: says so"
awk 'BEGIN { for (i = 0; i < 40000; i++) printf "# a comment line that makes it big\n" }' >huge-config.yaml
expect_exit 2 "$BIN" lint --config huge-config.yaml plain.yaml
expect_stderr_contains "cannot read the configuration 'huge-config.yaml': larger than 1 MiB"
rm huge-config.yaml

t "--config /dev/null: no settings"
expect_exit 0 "$BIN" lint --config /dev/null plain.yaml
expect_stderr_empty

t "--config a directory"
expect_exit 2 "$BIN" lint --config . plain.yaml
expect_stderr_contains "cannot read the configuration '.': it is a directory"

# --- render -o through symbolic links ----------------------------------------------------
# One rule: -o follows a link, dangling or not, and writes (or creates) the file it
# points to; the link stays a link. A valid link is covered in hostile.sh.
mkdir links links/sub

t "render -o onto a dangling link creates the file it points to"
ln -s made.yaml links/dangling.yaml
expect_exit 0 "$BIN" render -o links/dangling.yaml plain.yaml
check "still a link" test -L links/dangling.yaml
expect_file_contains links/made.yaml 'kind: "ClusterPolicy"'

t "render -o follows a chain of links, relative to each link's folder"
ln -s ../far.yaml links/sub/hop2.yaml
ln -s sub/hop2.yaml links/hop1.yaml
expect_exit 0 "$BIN" render -o links/hop1.yaml plain.yaml
check "both still links" test -L links/hop1.yaml -a -L links/sub/hop2.yaml
expect_file_contains links/far.yaml 'kind: "ClusterPolicy"'
expect_files links dangling.yaml far.yaml hop1.yaml made.yaml sub
expect_files links/sub hop2.yaml

t "render -o onto a link to a missing folder"
ln -s no-such-folder/x.yaml links/nowhere.yaml
expect_exit 2 "$BIN" render -o links/nowhere.yaml plain.yaml
expect_stderr_contains "cannot write 'links/nowhere.yaml': No such file or directory"
check "still a link" test -L links/nowhere.yaml

t "render -o onto a loop of links"
ln -s loop-b.yaml links/loop-a.yaml
ln -s loop-a.yaml links/loop-b.yaml
expect_exit 2 "$BIN" render -o links/loop-a.yaml plain.yaml
expect_stderr_contains "cannot write 'links/loop-a.yaml': Too many levels of symbolic links"
check "still a link" test -L links/loop-a.yaml
expect_files links dangling.yaml far.yaml hop1.yaml loop-a.yaml loop-b.yaml made.yaml nowhere.yaml sub
rm -r links

# --- namespaces --from: positions, never content -------------------------------------------
# A .env or a Secret passed by mistake must not end up in a CI log: DKF130 says what is
# wrong and where, and never echoes a line, a name or a kind from the file.
mkdir from
printf 'DB_PASSWORD=TOPSECRET-1\nAPI_TOKEN=topsecret-2\n' >from/dot.env
printf 'team-1\ntopsecret-3=x\nTOPSECRET-4\nhas space topsecret-5\n' >from/lines.txt
printf '["team-1", "TOPSECRET-6", "topsecret_7"]\n' >from/list.json
printf '{"kind": "List", "items": [{"kind": "TOPSECRET-8", "metadata": {"name": "x"}}, {"kind": "Namespace", "metadata": {"name": "TOPSECRET-9"}}]}\n' >from/objects.json
printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ndata:\n  password: TOPSECRET-10\n' >from/secret.yaml
printf 'items:\n- TOPSECRET-11\n- [topsecret-12]\n- {kind: Namespace, metadata: {name: "topsecret 13"}}\n' >from/items.yaml
printf 'password: "TOPSECRET-14\nother: [unclosed topsecret-15\n' >from/broken.yaml
printf 'a: 1\nb: "TOPSECRET-16\377"\n' >from/bad-utf8.yaml

t "namespaces --from never prints the file's content"
for f in from/*; do
	for fmt in text json; do
		run "$BIN" namespaces -f plain.yaml --format "$fmt" --from "$f"
		if grep -qi topsecret "$_out" "$_err"; then
			not_ok "$f ($fmt)"
			grep -hi topsecret "$_out" "$_err" | sed 's/^/#   /'
		else
			ok "$f ($fmt)"
		fi
	done
	run sh -c '"$0" namespaces -f plain.yaml --from - <"$1"' "$BIN" "$f"
	if grep -qi topsecret "$_out" "$_err"; then not_ok "$f (stdin)"; else ok "$f (stdin)"; fi
done

t "namespaces --from says what is wrong, and where"
expect_exit 1 "$BIN" namespaces -f plain.yaml --from from/dot.env
expect_stderr_contains "from/dot.env:1:1: error: this is not a namespace name: it has '='"
expect_stderr_contains "from/dot.env:2:1: error: this is not a namespace name: it has '='"
expect_exit 1 "$BIN" namespaces -f plain.yaml --from from/lines.txt
expect_stderr_contains "from/lines.txt:3:1: error: this is not a namespace name: it has upper-case letters"
expect_stderr_contains "from/lines.txt:4:1: error: this is not a namespace name: it has white space"
expect_exit 1 "$BIN" namespaces -f plain.yaml --from from/objects.json
expect_stderr_matches "^from/objects\.json:1:[0-9]+: error: items\[0\] is not a Namespace; "
rm -r from

# --- preview -o yaml and Secrets ------------------------------------------------------------
cat >manifests.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: team-1}
spec:
  containers: [{name: web, image: web}]
---
apiVersion: v1
kind: Secret
metadata: {name: db-creds, namespace: team-1}
stringData: {password: TOPSECRET-20}
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Secret
    metadata: {name: api-token}
    data: {token: VE9QU0VDUkVULTIx}
    stringData: {token: TOPSECRET-21}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api, namespace: team-1}
    spec: {template: {spec: {containers: [{name: api, image: api}]}}}
YAML

t "preview -o yaml leaves Secrets out, and says where"
expect_exit 0 "$BIN" preview -f plain.yaml -o yaml manifests.yaml
check "no Secret data in any output" sh -c '! grep -q -e TOPSECRET -e VE9QU0VDUkVU "$0" "$1"' "$_out" "$_err"
check "no Secret in the YAML" sh -c '! grep -q "kind: Secret" "$0"' "$_out"
expect_stdout_contains 'kind: Pod'
expect_stdout_contains 'kind: List'
expect_stdout_contains 'kind: Deployment'
expect_stdout_contains 'name: "cloned--image-pull-secret-0"'
expect_stderr_contains 'manifests.yaml:7:1: info: '
expect_stderr_contains 'manifests.yaml:15:5: info: '
check "one line per Secret" test "$(grep -c 'info: ' "$_err")" = 2

t "preview's summary of a Secret shows no data"
expect_exit 0 "$BIN" preview -f plain.yaml manifests.yaml
check "no Secret data" sh -c '! grep -q -e TOPSECRET -e VE9QU0VDUkVU "$0" "$1"' "$_out" "$_err"
expect_stdout_contains 'manifests.yaml:7: Secret db-creds: skipped'

t "a Secret inside a List inside a List, with the nesting error silenced"
cat >nested-list.yaml <<'YAML'
kind: List
items:
  - kind: List
    items:
      - {apiVersion: v1, kind: Secret, metadata: {name: deep}, stringData: {k: TOPSECRET-22}}
YAML
printf 'rules:\n  off: [bad-manifest]\n' >off131.yaml
expect_exit 0 "$BIN" preview --config off131.yaml -f plain.yaml -o yaml nested-list.yaml
check "no Secret data" sh -c '! grep -q TOPSECRET "$0" "$1"' "$_out" "$_err"
rm manifests.yaml nested-list.yaml off131.yaml

# --- which .dkfpolicy.yaml is read ----------------------------------------------------------
# The search goes up from the working folder and stops at the repository (a folder
# holding .git, a folder or a file) or at $HOME, whichever comes first; a file found on
# the way that another user owns, or that others can write, is skipped with a warning.
# Each case's config turns DKF301 off, so "used" means: no DKF301.
values '"argocd"' >drops.yaml
printf 'rules:\n  off: [dropped-default-exclude]\n' >quiet.yaml

# lint_in DIR: lint drops.yaml from DIR, with HOME set to $WORK/home
lint_in() {
	cp drops.yaml "$1/"
	# shellcheck disable=SC2016
	run sh -c 'cd "$1" && HOME="$2" exec "$0" lint drops.yaml' "$BIN" "$1" "$WORK/home"
}
expect_used() {
	if grep -q DKF301 "$_err"; then not_ok "the configuration is used"; _diag; else ok "the configuration is used"; fi
}
expect_unused() {
	if grep -q DKF301 "$_err"; then ok "the configuration is not used"; else not_ok "the configuration is not used"; _diag; fi
}
mkdir home

t "a config above the repository is not read"
mkdir -p cfg1/repo/.git cfg1/repo/sub
cp quiet.yaml cfg1/.dkfpolicy.yaml
lint_in cfg1/repo/sub
expect_unused
t "a config at the repository's top is read"
cp quiet.yaml cfg1/repo/.dkfpolicy.yaml
lint_in cfg1/repo/sub
expect_used
expect_stderr_empty

t "a .git file (a worktree) marks a repository too"
mkdir -p cfg2/wt/sub
echo 'gitdir: /elsewhere' >cfg2/wt/.git
cp quiet.yaml cfg2/.dkfpolicy.yaml
lint_in cfg2/wt/sub
expect_unused

t "a config above the home folder is not read"
mkdir -p home/proj
cp quiet.yaml .dkfpolicy.yaml
lint_in home/proj
expect_unused
t "a config in the home folder is read"
cp quiet.yaml home/.dkfpolicy.yaml
lint_in home/proj
expect_used
rm .dkfpolicy.yaml home/.dkfpolicy.yaml

t "a config that others can write is skipped, and says why"
mkdir -p cfg3/.git
cp quiet.yaml cfg3/.dkfpolicy.yaml
chmod 666 cfg3/.dkfpolicy.yaml
lint_in cfg3
check "exit 0 (a warning)" test "$_run_code" = 0
expect_unused
expect_stderr_contains ".dkfpolicy.yaml: warning: "
expect_stderr_contains "others can write to it"
expect_stderr_contains "[DKF120]"
chmod 644 cfg3/.dkfpolicy.yaml
lint_in cfg3
expect_used

t "a config its group can write: fine in one's own private group only"
chmod 664 cfg3/.dkfpolicy.yaml
if [ "$(id -g)" = "$(id -u)" ] && chgrp "$(id -g)" cfg3/.dkfpolicy.yaml 2>/dev/null; then
	# a checkout made under umask 002 with a group per user (Debian, Fedora)
	lint_in cfg3
	expect_used
	expect_stderr_empty
else
	skip "own private group" "the primary group is not numbered like the user"
fi
if [ "$(id -u)" = 0 ] && chgrp 65534 cfg3/.dkfpolicy.yaml 2>/dev/null; then
	lint_in cfg3
	check "exit 0 (a warning)" test "$_run_code" = 0
	expect_unused
	expect_stderr_contains "its group (gid 65534) can write to it"
else
	skip "another group" "needs root to give a file to group 65534"
fi
chmod 644 cfg3/.dkfpolicy.yaml
chgrp "$(id -g)" cfg3/.dkfpolicy.yaml

t "a config owned by another user is skipped, and says why"
if [ "$(id -u)" = 0 ] && chown nobody cfg3/.dkfpolicy.yaml 2>/dev/null; then
	lint_in cfg3
	check "exit 0 (a warning)" test "$_run_code" = 0
	expect_unused
	expect_stderr_contains "belongs to another user"
	expect_stderr_contains "[DKF120]"
else
	skip "another user's config" "needs root to give a file to nobody"
fi

t "--config FILE is read as given, whoever can write it"
cp quiet.yaml shared.yaml
chmod 666 shared.yaml
expect_exit 0 "$BIN" lint --config shared.yaml drops.yaml
expect_stderr_empty
rm -r cfg1 cfg2 cfg3 home shared.yaml

# --- sizes at which a quadratic loop takes minutes ---------------------------------------
t "namespaces --from 200,000 names (each also listed again)"
awk 'BEGIN { for (r = 0; r < 2; r++) for (i = 0; i < 100000; i++) printf "ns-%d\n", i }' >many-ns.txt
expect_within 20 0 "$BIN" namespaces -f plain.yaml --from many-ns.txt
check "every name once" test "$(grep -c '^ns-[0-9]* ' "$_out")" = 100000
rm many-ns.txt

t "lint: 200,000 profiles that one pattern swallows"
{
	values '"argocd", "kube-system", "team-*"'
	printf 'deploykf_core:\n  deploykf_profiles_generator:\n    profiles:\n'
	awk 'BEGIN { for (i = 0; i < 200000; i++) printf "      - name: team-%d\n", i % 150000 }'
} >many-profiles.yaml
expect_within 20 0 "$BIN" lint many-profiles.yaml
expect_stderr_contains "'team-*' also matches 'team-0', 'team-1', 'team-2', 'team-3' and 149996 more"
rm many-profiles.yaml

t "lint: 100,000 aliases of one bad Secret name, each its own finding at one place"
{
	printf 'bad: &bad Bad_Name\n'
	printf 'deploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n'
	printf '        enabled: true\n        registryCredentials:\n'
	awk 'BEGIN { for (i = 0; i < 100000; i++) print "          - existingSecret: *bad" }'
} >aliases.yaml
# JSON: the text format's excerpts are another matter
expect_within 20 1 "$BIN" lint --format json aliases.yaml
check "100,000 findings, none dropped as a repeat" \
	test "$(grep -c '"code": "DKF208"' "$_out")" = 100000
rm aliases.yaml

finish

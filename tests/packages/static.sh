# static.sh - the static binary (`make static`): no dynamic section and no program
# interpreter; the release file is it, stripped; lint, render -o, namespaces and
# preview work in an empty chroot that holds nothing but the binary and the input
# files (no libraries, no /etc, /dev, /proc or /tmp), and print what the regular
# build prints; README.md's install block (name=static-install) installs it as written
# on a bare Debian bookworm (debootstrap minbase, bookworm.sh), where it lints; the
# whole unit, golden and CLI suite passes against it.
#
# usage: sh tests/packages/static.sh build/static/dkfpolicy   (make check-static)
# The suite's unit tests are those of the release build (build/release/tests).
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"
# shellcheck source=SCRIPTDIR/../snippets.sh
. "$TESTS_DIR/../snippets.sh"
# shellcheck source=SCRIPTDIR/bookworm.sh
. "$TESTS_DIR/bookworm.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
V=$(cat "$ROOT/VERSION")
REGULAR=$ROOT/dkfpolicy
EXAMPLES=$ROOT/testdata/examples

t "the static binary"
run readelf -d "$BIN"
expect_stdout_contains 'There is no dynamic section in this file.'
run readelf -l "$BIN"
check "no program interpreter (ld.so)" sh -c '! grep -q INTERP "$1"' sh "$_out"
check "the link printed no warning (NSS or other)" test ! -s "$(dirname "$BIN")/link.log"
RELEASE_FILE=$ROOT/build/dist/dkfpolicy-$V-linux-$(uname -m)
check "the release file $(basename "$RELEASE_FILE") exists" test -x "$RELEASE_FILE"
run readelf -S "$RELEASE_FILE"
check "the release file is stripped" sh -c '! grep -q "\.debug_info\|\.symtab" "$1"' sh "$_out"
expect_exit 0 "$RELEASE_FILE" --version
expect_stdout_contains "dkfpolicy $V "

t "in an empty chroot"
if [ "$(id -u)" != 0 ] || ! command -v chroot >/dev/null 2>&1; then
	skip "lint, render, namespaces, preview in a chroot" "needs root and chroot"
else
	JAIL=$T/jail
	mkdir -p "$JAIL/in" "$JAIL/out"
	cp "$RELEASE_FILE" "$JAIL/dkfpolicy"
	cp "$EXAMPLES/values.yaml" "$EXAMPLES/workloads.yaml" "$JAIL/in/"
	printf 'argocd\nkube-system\nkyverno\nteam-1\nteam-x-sandbox\n' >"$JAIL/in/ns.txt"
	cd "$EXAMPLES"
	# same WHAT ARGS...: in the chroot, exit 0 and the same stdout and stderr as the
	# regular build run here (the inputs' paths made the same with a symlink-free cd)
	same() {
		_what=$1
		shift
		run chroot "$JAIL" /dkfpolicy "$@"
		cp "$_out" "$T/jail.out"
		cp "$_err" "$T/jail.err"
		_jail_code=$_run_code
		(cd "$JAIL" && "$REGULAR" "$@" >"$T/host.out" 2>"$T/host.err") || :
		if [ "$_jail_code" = 0 ]; then ok "$_what: exit 0"; else not_ok "$_what: exit 0 (got $_jail_code)"; _diag; fi
		if cmp -s "$T/jail.out" "$T/host.out" && cmp -s "$T/jail.err" "$T/host.err"; then
			ok "$_what: prints what the regular build prints"
		else
			not_ok "$_what: prints what the regular build prints"
			diff "$T/host.out" "$T/jail.out" | head -n 20 | sed 's/^/#   /'
			diff "$T/host.err" "$T/jail.err" | head -n 20 | sed 's/^/#   /'
		fi
	}
	# run from / inside the chroot, from $JAIL outside: the same relative paths
	same "--version" --version
	same "lint" lint in/values.yaml
	same "lint --format sarif" lint --format sarif in/values.yaml
	run chroot "$JAIL" /dkfpolicy render -f in/values.yaml -o out/clusterpolicy.yaml
	if [ "$_run_code" = 0 ]; then ok "render -o: exit 0"; else not_ok "render -o: exit 0"; _diag; fi
	"$REGULAR" render -f "$JAIL/in/values.yaml" >"$T/want.yaml"
	check "render -o wrote the policy the regular build renders" cmp -s "$T/want.yaml" "$JAIL/out/clusterpolicy.yaml"
	expect_files "$JAIL/out" clusterpolicy.yaml
	same "namespaces --from" namespaces -f in/values.yaml --from in/ns.txt
	same "namespaces --format json" namespaces -f in/values.yaml --format json
	same "preview" preview -f in/values.yaml in/workloads.yaml
	same "preview -o yaml" preview -f in/values.yaml -o yaml in/workloads.yaml
	expect_files "$JAIL" dkfpolicy in out
	cd "$WORK"
fi

t "README.md's install block on a bare Debian bookworm"
if ! why=$(bookworm_root); then
	skip "install and run" "$why"
else
	mkdir "$T/release"
	cp "$RELEASE_FILE" "$T/release/"
	bookworm_block "$T/bookworm" static-install "$T/release"
	check "block static-install (${block_where:-missing}) runs as written (exit $_run_code)" [ "$_run_code" = 0 ]
	expect_stdout_contains "dkfpolicy $V "
	sed 's/^/#   /' "$_out"
	BOOKWORM_CWD=/root/release run bookworm_run "$T/bookworm" sh -c '
		printf "deploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n        enabled: true\n" >values.yaml
		command -v dkfpolicy && dkfpolicy lint values.yaml'
	check "installed as /usr/local/bin/dkfpolicy, lints (exit $_run_code)" [ "$_run_code" = 0 ]
	expect_stdout_contains /usr/local/bin/dkfpolicy
	expect_stderr_contains "[DKF302]"
fi

t "the whole suite against the static binary"
if [ -n "${DKF_IN_STATIC_SUITE-}" ]; then
	skip "run-tests.sh" "already inside it"
else
	DKF_IN_STATIC_SUITE=1 run sh "$ROOT/tests/run-tests.sh" "$BIN" "$ROOT/build/release/tests"
	if [ "$_run_code" = 0 ]; then ok "unit, golden and CLI tests pass"; else not_ok "unit, golden and CLI tests pass"; fi
	grep -E '^(unit|golden|cli): |^[0-9]+ passed|^skipped: |^(unit|cli) [^ ]*: [0-9]+ passed, [1-9]|^FAIL' \
		"$_out" | sed 's/^/# /'
fi

finish

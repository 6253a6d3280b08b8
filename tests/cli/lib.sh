# lib.sh - helpers for the CLI tests in tests/cli/*.sh (POSIX sh; sourced, not run).
#
# A test script starts with
#     . "$(dirname "$0")/lib.sh"
# and is run as `sh tests/cli/NAME.sh BIN`. Sourcing this file:
#   - sets -eu, LC_ALL=C and NO_COLOR=1, unsets MAKEFLAGS, and takes stdin from /dev/null;
#   - sets BIN to the absolute path of the binary under test;
#   - makes a temporary folder, removed on exit, and cds into $WORK inside it
#     (captured output lives outside $WORK, so a test can list $WORK freely);
#   - defines the helpers below. Each assertion prints one TAP line,
#     `ok N - NAME` or `not ok N - NAME` followed by `#` diagnostics.
#
#   t NAME                      name the assertions that follow (printed as "NAME: what")
#   run cmd...                  run cmd, capture stdout/stderr/status; never fails
#   expect_exit CODE cmd...     run cmd (as `run`) and check its exit status
#   expect_stdout_contains S    the last run's stdout contains the fixed string S
#   expect_stderr_contains S    the same for stderr
#   expect_stdout_matches ERE   some line of the last run's stdout matches ERE
#   expect_stderr_matches ERE   the same for stderr
#   expect_stdout_empty / expect_stderr_empty / expect_stderr_nonempty
#   expect_file_contains FILE S
#   expect_files DIR NAME...    DIR holds exactly these entries (no temp file left over)
#   check WHAT cmd...           ok when cmd succeeds (e.g. check "no temp file" test ! -e x)
#   skip WHAT REASON            a skipped assertion (`ok N - ... # SKIP REASON`); run-tests.sh
#                               counts it as skipped, not passed, and lists REASON once:
#                               say what is missing (`needs git and pre-commit`)
#   ok WHAT / not_ok WHAT       record a result directly
#   finish                      print the summary; exit 1 if anything failed
# Redirect stdin on the call to feed a command: `expect_exit 0 "$BIN" render - <v.yaml`.
# For redirections of the command itself use sh -c:
#     expect_exit 2 sh -c '"$0" render "$1" >/dev/full' "$BIN" v.yaml
# A script that stops before `finish` (set -e) reports one extra `not ok`.

set -eu
LC_ALL=C
NO_COLOR=1
export LC_ALL NO_COLOR
unset CLICOLOR_FORCE 2>/dev/null || :
# A test that runs make gets a make of its own, not the jobserver of a `make -j check`
# around it (whose pipes it does not have: make warns on stderr)
unset MAKEFLAGS MFLAGS MAKELEVEL 2>/dev/null || :
exec </dev/null

SCRIPT=${0##*/}
if [ $# -lt 1 ]; then
	echo "usage: sh $0 BIN" >&2
	exit 2
fi
BIN=$1
case $BIN in
*/*) ;;
*) BIN=./$BIN ;;
esac
if [ ! -f "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "$SCRIPT: '$BIN' is not an executable file" >&2
	exit 2
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
# Folder of the calling script, for fixtures kept next to it.
# shellcheck disable=SC2034 # for the calling script
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)

_tap_n=0
_tap_failed=0
_tap_finished=0
_t_name=
_run_code=

T=$(mktemp -d "${TMPDIR:-/tmp}/dkfcli.XXXXXX")
WORK=$T/work
mkdir "$WORK"
_out=$T/stdout
_err=$T/stderr
: >"$_out"
: >"$_err"

_lib_exit() {
	_rc=$?
	set +e
	if [ "$_tap_finished" = 0 ]; then
		_tap_n=$((_tap_n + 1))
		echo "not ok $_tap_n - $SCRIPT stopped before finish (status $_rc)"
		[ "$_rc" != 0 ] || _rc=1
	fi
	cd /
	rm -rf "$T"
	exit "$_rc"
}
trap _lib_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$WORK"

t() {
	_t_name=$*
}

_label() {
	if [ -n "$_t_name" ]; then
		printf '%s: %s' "$_t_name" "$*"
	else
		printf '%s' "$*"
	fi
}

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $(_label "$*")"
}

not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $(_label "$*")"
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $(_label "$1") # SKIP ${2-}"
}

# _diag: after a failed assertion, show what the last command did, as TAP comments.
_diag() {
	[ -n "$_run_code" ] || return 0
	echo "#   exit status: $_run_code"
	for _f in stdout stderr; do
		if [ "$_f" = stdout ]; then _p=$_out; else _p=$_err; fi
		if [ -s "$_p" ]; then
			echo "#   $_f:"
			head -n 20 "$_p" | sed 's/^/#     /'
		else
			echo "#   $_f: (empty)"
		fi
	done
}

run() {
	"$@" >"$_out" 2>"$_err" && _run_code=0 || _run_code=$?
	return 0
}

expect_exit() {
	_want=$1
	shift
	run "$@"
	if [ "$_run_code" = "$_want" ]; then
		ok "exit $_want"
	else
		not_ok "exit $_want"
		echo "#   command: $*"
		_diag
	fi
}

_expect_grep() { # WHAT FILE GREP-OPTIONS PATTERN
	if grep -q "$3" -e "$4" "$2"; then
		ok "$1"
	else
		not_ok "$1"
		_diag
	fi
}

expect_stdout_contains() { _expect_grep "stdout contains '$1'" "$_out" -F "$1"; }
expect_stderr_contains() { _expect_grep "stderr contains '$1'" "$_err" -F "$1"; }
expect_stdout_matches() { _expect_grep "stdout matches /$1/" "$_out" -E "$1"; }
expect_stderr_matches() { _expect_grep "stderr matches /$1/" "$_err" -E "$1"; }

expect_stdout_empty() {
	if [ ! -s "$_out" ]; then ok "stdout empty"; else not_ok "stdout empty"; _diag; fi
}

expect_stderr_empty() {
	if [ ! -s "$_err" ]; then ok "stderr empty"; else not_ok "stderr empty"; _diag; fi
}

expect_stderr_nonempty() {
	if [ -s "$_err" ]; then ok "stderr has a message"; else not_ok "stderr has a message"; _diag; fi
}

expect_file_contains() {
	if [ -f "$1" ] && grep -q -F -e "$2" "$1"; then
		ok "$1 contains '$2'"
	else
		not_ok "$1 contains '$2'"
		if [ -f "$1" ]; then head -n 20 "$1" | sed 's/^/#     /'; else echo "#   no file $1"; fi
	fi
}

# expect_files DIR NAME...: DIR holds exactly these entries (e.g. no temp file left)
expect_files() {
	_dir=$1
	shift
	_want=$(printf '%s\n' "$@" | sort)
	# shellcheck disable=SC2012 # names are the test's own
	_have=$(ls -A "$_dir" | sort)
	if [ "$_have" = "$_want" ]; then
		ok "$_dir holds only: $*"
	else
		not_ok "$_dir holds only: $*"
		echo "#   $_dir holds: $(printf '%s' "$_have" | tr '\n' ' ')"
	fi
}

check() {
	_what=$1
	shift
	if "$@"; then
		ok "$_what"
	else
		not_ok "$_what"
	fi
}

finish() {
	_tap_finished=1
	echo "# $SCRIPT: $((_tap_n - _tap_failed)) passed, $_tap_failed failed"
	[ "$_tap_failed" -eq 0 ] || exit 1
	exit 0
}

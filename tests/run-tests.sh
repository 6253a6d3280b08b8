#!/bin/sh
# run-tests.sh - the driver behind `make check`.
#
# usage: sh tests/run-tests.sh BIN UNITDIR
#
# Runs, in this order:
#   unit    every executable UNITDIR/test_* (cmocka, CMOCKA_MESSAGE_OUTPUT=TAP); counts the
#           `ok` / `not ok` lines. A binary that crashes, stops before its plan is done,
#           prints no result or exits non-zero without a `not ok` counts one failure.
#           A tests/unit/test_X.c without a UNITDIR/test_X counts one failure too.
#   golden  sh tests/golden.sh BIN (counts from its `golden: N passed, M failed` line)
#   cli     every tests/cli/*.sh but lib.sh, as `sh SCRIPT BIN`, counted like unit tests
# Prints a summary per part and ends with one line `N passed, M failed, K skipped`
# (all parts together; a part that could not run counts as one failure), followed by
# one `skipped: REASON (N: SCRIPT...)` line per distinct skip reason. A skipped check
# is a TAP `ok ... # SKIP REASON` line (lib.sh's `skip`); it counts as skipped, never
# as passed.
# Exit 0 when nothing failed, 1 otherwise, 2 on a usage error.
#
# Env: UNIT_TIMEOUT / CLI_TIMEOUT seconds per binary or script (default 300; sanitizer
# builds are slow), used when `timeout` exists.

set -u

if [ $# -ne 2 ]; then
	echo "usage: sh tests/run-tests.sh BIN UNITDIR" >&2
	exit 2
fi
bin=$1
unitdir=$2
here=$(cd "$(dirname "$0")" && pwd)

LC_ALL=C
NO_COLOR=1
export LC_ALL NO_COLOR

case $bin in
*/*) ;;
*) bin=./$bin ;;
esac
if [ -f "$bin" ] && [ -x "$bin" ]; then
	bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
	bin_ok=1
else
	echo "run-tests.sh: '$bin' is not an executable file (build it first: make)" >&2
	bin_ok=0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-tests.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# with_timeout SECONDS cmd...: run cmd, killed after SECONDS when `timeout` exists.
with_timeout() {
	_s=$1
	shift
	if command -v timeout >/dev/null 2>&1; then
		timeout -k 10 "$_s" "$@"
	else
		"$@"
	fi
}

total_pass=0
total_fail=0
total_skip=0
summaries=
# one line per skipped check: REASON<TAB>PROGRAM
skips=$tmp/skips
: >"$skips"

# add_summary PART PASSED FAILED SKIPPED [NOTE]
add_summary() {
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $3))
	total_skip=$((total_skip + $4))
	line="$1: $2 passed, $3 failed, $4 skipped${5:+ ($5)}"
	summaries="$summaries$line
"
	echo "== $line"
}

# count_tap FILE NAME: set tap_ok (passed, skips left out), tap_skip, tap_notok and
# tap_plan (empty without a `1..N` line); append each skip's reason to $skips.
count_tap() {
	tap_ok=$(grep -c -E '^ok( |$)' "$1")
	tap_skip=$(grep -c -i -E '^ok( [^#]*)?# *skip' "$1")
	tap_ok=$((tap_ok - tap_skip))
	tap_notok=$(grep -c -E '^not ok( |$)' "$1")
	tap_plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$1" | head -n 1)
	grep -i -E '^ok( [^#]*)?# *skip' "$1" |
		sed -E 's/^[^#]*# *[Ss][Kk][Ii][Pp]:? *//; s/^$/(no reason given)/' |
		while IFS= read -r _reason; do
			printf '%s\t%s\n' "$_reason" "$2"
		done >>"$skips"
}

# judge_tap PART NAME OUTFILE STATUS: judge a TAP-printing program that has run, show
# its output when it failed, add its counts to part_pass / part_fail / part_skip.
judge_tap() {
	_name=$2
	_outf=$3
	_st=$4
	count_tap "$_outf" "$_name"
	_seen=$((tap_ok + tap_skip + tap_notok))
	_extra=0
	_why=
	if [ "$_st" = 124 ]; then
		_why="timed out"
	elif [ "$_st" -gt 128 ]; then
		_why="killed by signal $((_st - 128))"
	elif [ -n "$tap_plan" ] && [ "$_seen" -lt "$tap_plan" ]; then
		_why="stopped after $_seen of $tap_plan tests (exit $_st)"
	elif [ "$_st" != 0 ] && [ "$tap_notok" -eq 0 ]; then
		_why="exit status $_st without a failed test"
	elif [ "$_seen" -eq 0 ]; then
		_why="printed no test results"
	fi
	[ -z "$_why" ] || _extra=1
	# For a failing program show all but its passing lines; for a passing one only counts.
	if [ "$tap_notok" -gt 0 ] || [ "$_extra" = 1 ]; then
		grep -v -E '^ok( |$)' "$_outf" | sed 's/^/    /'
	fi
	if [ "$_extra" = 1 ]; then
		echo "not ok - $_name: $_why"
	fi
	echo "$1 $_name: $tap_ok passed, $((tap_notok + _extra)) failed, $tap_skip skipped"
	part_pass=$((part_pass + tap_ok))
	part_fail=$((part_fail + tap_notok + _extra))
	part_skip=$((part_skip + tap_skip))
}

# --- unit ---------------------------------------------------------------------------------
echo "== unit tests ($unitdir)"
part_pass=0
part_fail=0
part_skip=0
note=
nbin=0
for src in "$here"/unit/test_*.c; do
	[ -f "$src" ] || continue
	base=${src##*/}
	base=${base%.c}
	if [ ! -x "$unitdir/$base" ]; then
		echo "not ok - $base: tests/unit/$base.c is not built in $unitdir"
		part_fail=$((part_fail + 1))
	fi
done
for ub in "$unitdir"/test_*; do
	if [ ! -f "$ub" ] || [ ! -x "$ub" ]; then
		continue
	fi
	case $ub in
	*.c | *.o | *.d | *.h) continue ;;
	esac
	name=${ub##*/}
	# a binary left in the build folder by a renamed or deleted test is not run
	[ -f "$here/unit/$name.c" ] || continue
	nbin=$((nbin + 1))
	out=$tmp/unit.out
	CMOCKA_MESSAGE_OUTPUT=TAP with_timeout "${UNIT_TIMEOUT:-300}" "$ub" </dev/null >"$out" 2>&1
	judge_tap unit "$name" "$out" $?
done
[ "$nbin" -gt 0 ] || note="no unit test binaries"
add_summary unit "$part_pass" "$part_fail" "$part_skip" "$note"

# --- golden ---------------------------------------------------------------------------------
echo "== golden tests"
if [ "$bin_ok" = 1 ]; then
	sh "$here/golden.sh" "$bin" </dev/null >"$tmp/golden.out" 2>&1
	st=$?
	cat "$tmp/golden.out"
	sum=$(sed -n 's/^golden: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' \
		"$tmp/golden.out" | tail -n 1)
	if [ -z "$sum" ]; then
		add_summary golden 0 1 0 "golden.sh did not finish, exit status $st"
	else
		# shellcheck disable=SC2086 # two numbers
		set -- $sum
		if [ "$st" != 0 ] && [ "$2" -eq 0 ]; then
			add_summary golden "$1" 1 0 "golden.sh exit status $st"
		else
			add_summary golden "$1" "$2" 0
		fi
	fi
else
	add_summary golden 0 1 0 "no binary"
fi

# --- cli ------------------------------------------------------------------------------------
echo "== cli tests"
part_pass=0
part_fail=0
part_skip=0
note=
nscript=0
if [ "$bin_ok" = 1 ]; then
	for script in "$here"/cli/*.sh; do
		[ -f "$script" ] || continue
		name=${script##*/}
		[ "$name" = lib.sh ] && continue
		nscript=$((nscript + 1))
		out=$tmp/cli.out
		with_timeout "${CLI_TIMEOUT:-300}" sh "$script" "$bin" </dev/null >"$out" 2>&1
		judge_tap cli "$name" "$out" $?
	done
	[ "$nscript" -gt 0 ] || note="no cli test scripts"
else
	part_fail=1
	note="no binary"
fi
add_summary cli "$part_pass" "$part_fail" "$part_skip" "$note"

echo
printf '%s' "$summaries"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
# each distinct reason once, with how many checks it skipped and where
sort "$skips" | awk -F '\t' '
	$1 != reason { if (NR > 1) print_reason(); reason = $1; n = 0; where = "" }
	{ n++; if (index(" " where " ", " " $2 " ") == 0) where = where (where == "" ? "" : " ") $2 }
	END { if (NR > 0) print_reason() }
	function print_reason() { printf "skipped: %s (%d: %s)\n", reason, n, where }
'
[ "$total_fail" -eq 0 ]

#!/bin/sh
# golden.sh - run the golden cases in testdata/ against a dkfpolicy binary.
#
# usage: sh tests/golden.sh [--update] BIN [CASE...]
#
# A case is a folder testdata/<case>/ with an `args` file (testdata/examples/ and
# folders without `args` are skipped):
#   args    one line of shell words, e.g. `render -f a.yaml -f b.yaml`; paths in it are
#           relative to the case folder (the binary runs inside it). Trusted test data:
#           it goes through `eval`.
#   stdin   optional; fed to standard input (otherwise /dev/null)
#   stdout  expected standard output  (a missing file means: expected empty)
#   stderr  expected standard error   (a missing file means: expected empty)
#   exit    expected exit status, a number (a missing file means: 0)
# The binary runs under LC_ALL=C NO_COLOR=1, with a 20 s timeout when `timeout` exists.
# Prints `ok <case>` or `FAIL <case>` plus a `diff -u` (expected, then actual), and
# ends with `golden: N passed, M failed`; exit 1 when M > 0, 2 on a usage error.
#
# --update rewrites stdout, stderr and exit of every selected case from what BIN
# does now (stdout/stderr are deleted when empty), says what changed, and ends with
# `golden: N updated, M unchanged`. Review the diff before committing it.
#
# GOLDEN_DIR overrides the folder holding the cases (default: testdata/ of this repo).

set -u

usage() {
	echo "usage: sh tests/golden.sh [--update] BIN [CASE...]" >&2
	exit 2
}

update=0
case ${1-} in
--update) update=1; shift ;;
-h | --help) usage ;;
esac
[ $# -ge 1 ] || usage
bin=$1
shift

# The binary runs inside each case folder, so its path must be absolute.
case $bin in
*/*) ;;
*) bin=./$bin ;;
esac
if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
	echo "golden.sh: '$bin' is not an executable file (build it first: make)" >&2
	exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

here=$(cd "$(dirname "$0")" && pwd)
data=${GOLDEN_DIR:-$here/../testdata}
if [ ! -d "$data" ]; then
	echo "golden.sh: no folder '$data'" >&2
	exit 2
fi
data=$(cd "$data" && pwd)

timeout_cmd=
if command -v timeout >/dev/null 2>&1; then
	timeout_cmd="timeout -k 5 20"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# run_case DIR: run BIN as the case says; results in $tmp/stdout, $tmp/stderr, $code.
run_case() {
	stdin=/dev/null
	[ -f "$1/stdin" ] && stdin=$1/stdin
	# The subshell keeps cd, set -- and the environment away from this script.
	(
		cd "$1" || exit 125
		args=$(cat args) || exit 125
		# A syntax error in eval would end this shell with status 2, which looks
		# like a real exit 2: try it in a throwaway subshell first.
		(eval "set -- $args") >/dev/null 2>&1 || exit 125
		eval "set -- $args"
		LC_ALL=C NO_COLOR=1
		export LC_ALL NO_COLOR
		# $timeout_cmd is empty or a command with its options: split it.
		# shellcheck disable=SC2086
		exec $timeout_cmd "$bin" "$@"
	) <"$stdin" >"$tmp/stdout" 2>"$tmp/stderr"
	code=$?
}

# expected_exit DIR: print the expected exit status of a case (0 without an exit file).
expected_exit() {
	if [ -f "$1/exit" ]; then
		tr -d ' \t\r\n' <"$1/exit"
	else
		echo 0
	fi
}

# same FILE-OR-MISSING ACTUAL: do the expected and the actual output match?
same() {
	if [ -f "$1" ]; then
		cmp -s "$1" "$2"
	else
		[ ! -s "$2" ]
	fi
}

# show_diff NAME CASE-DIR: print the diff between expected and actual output NAME.
show_diff() {
	exp=$2/$1
	[ -f "$exp" ] || exp=/dev/null
	same "$2/$1" "$tmp/$1" || diff -u "$exp" "$tmp/$1" | sed "s|^+++ $tmp/|+++ actual |"
}

# update_file NAME CASE-DIR CASE: write actual output NAME into the case; report changes.
update_file() {
	if same "$2/$1" "$tmp/$1"; then
		return 1
	fi
	if [ -s "$tmp/$1" ]; then
		if [ -f "$2/$1" ]; then what=updated; else what=created; fi
		cp "$tmp/$1" "$2/$1"
	else
		what=deleted
		rm -f "$2/$1"
	fi
	echo "  $what $3/$1"
	return 0
}

passed=0
failed=0
updated=0
unchanged=0
seen=0

if [ $# -gt 0 ]; then
	cases=$*
else
	cases=
fi

for dir in "$data"/*/; do
	dir=${dir%/}
	name=${dir##*/}
	[ "$name" = examples ] && continue
	[ -f "$dir/args" ] || continue
	if [ -n "$cases" ]; then
		case " $cases " in
		*" $name "*) ;;
		*) continue ;;
		esac
	fi
	seen=$((seen + 1))

	run_case "$dir"
	want=$(expected_exit "$dir")
	note=
	if [ "$code" = 124 ] && [ -n "$timeout_cmd" ]; then
		note="timed out after 20 s"
	elif [ "$code" = 125 ]; then
		note="could not set up the case (bad args file?)"
	elif [ "$code" -gt 128 ]; then
		note="killed by signal $((code - 128))"
	fi

	if [ "$update" = 1 ]; then
		# Never record a timeout, a broken case or a crash as the expected result.
		if [ -n "$note" ]; then
			echo "FAIL $name: $note; not updated"
			failed=$((failed + 1))
			continue
		fi
		changed=0
		update_file stdout "$dir" "$name" && changed=1
		update_file stderr "$dir" "$name" && changed=1
		if [ ! -f "$dir/exit" ]; then
			echo "$code" >"$dir/exit"
			echo "  created $name/exit ($code)"
			changed=1
		elif [ "$want" != "$code" ]; then
			echo "$code" >"$dir/exit"
			echo "  updated $name/exit ($want -> $code)"
			changed=1
		fi
		if [ "$changed" = 1 ]; then
			echo "updated $name"
			updated=$((updated + 1))
		else
			unchanged=$((unchanged + 1))
		fi
		continue
	fi

	if same "$dir/stdout" "$tmp/stdout" && same "$dir/stderr" "$tmp/stderr" &&
		[ "$want" = "$code" ]; then
		echo "ok $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		[ "$want" = "$code" ] || echo "exit status: expected $want, got $code${note:+ ($note)}"
		show_diff stdout "$dir"
		show_diff stderr "$dir"
		failed=$((failed + 1))
	fi
done

if [ -n "$cases" ] && [ "$seen" -eq 0 ]; then
	echo "golden.sh: no case named: $cases" >&2
	exit 2
fi

if [ "$update" = 1 ]; then
	if [ "$failed" -eq 0 ]; then
		echo "golden: $updated updated, $unchanged unchanged"
		exit 0
	fi
	echo "golden: $updated updated, $unchanged unchanged, $failed failed"
	exit 1
fi
echo "golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# valgrind.sh - behind `make check-valgrind`: the unit tests and the golden suite under
# valgrind memcheck. Any memory error or leak (definite, indirect or possible) fails.
#
# usage: sh tests/valgrind.sh BIN UNITDIR
# Ends with `valgrind: N passed, M failed`; exit 1 when M > 0, 2 on a usage error.
set -u
if [ $# -ne 2 ]; then
	echo "usage: sh tests/valgrind.sh BIN UNITDIR" >&2
	exit 2
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind.sh: valgrind is not installed (apt-get install valgrind)" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
unitdir=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/valgrind.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

VG_OPTS="-q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible"
passed=0
failed=0

echo "== unit tests under valgrind"
for ub in "$unitdir"/test_*; do
	[ -f "$ub" ] && [ -x "$ub" ] || continue
	case $ub in *.c | *.o | *.d) continue ;; esac
	# shellcheck disable=SC2086 # options are words
	if valgrind $VG_OPTS "$ub" >"$tmp/unit.out" 2>&1; then
		echo "ok ${ub##*/}"
		passed=$((passed + 1))
	else
		echo "FAIL ${ub##*/}"
		sed 's/^/    /' "$tmp/unit.out" | tail -n 40
		failed=$((failed + 1))
	fi
done

# The golden cases run a wrapper: a valgrind report goes to stderr and exit 99, so any
# error or leak shows up as a failed case with the report in its diff.
echo "== golden tests under valgrind"
cat >"$tmp/dkfpolicy" <<WRAP
#!/bin/sh
exec valgrind $VG_OPTS "$bin" "\$@"
WRAP
chmod +x "$tmp/dkfpolicy"
sh "$here/golden.sh" "$tmp/dkfpolicy" >"$tmp/golden.out" 2>&1
cat "$tmp/golden.out"
sum=$(sed -n 's/^golden: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' "$tmp/golden.out")
if [ -n "$sum" ]; then
	# shellcheck disable=SC2086
	set -- $sum
	passed=$((passed + $1))
	failed=$((failed + $2))
else
	failed=$((failed + 1))
fi
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

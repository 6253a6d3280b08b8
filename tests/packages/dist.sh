# dist.sh - the source tarball (`make dist`): named after the version, one top folder
# dkfpolicy-X.Y.Z holding the files git tracks (and nothing of build/); made twice from
# the same tree it is the same file; and README.md's tarball block (name=dist-build:
# unpack, make, make check, sudo make install) runs as written in a folder holding only
# the tarball, with no network (a network namespace of its own) and no git on PATH.
# `make check` in there must end with no failure; the binary it installed must run.
#
# usage: sh tests/packages/dist.sh BIN   (make check-dist; BIN: the regular build)
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"
# shellcheck source=SCRIPTDIR/../snippets.sh
. "$TESTS_DIR/../snippets.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
V=$(cat "$ROOT/VERSION")
TARBALL=$ROOT/build/dist/dkfpolicy-$V.tar.gz

t "the tarball"
check "build/dist/${TARBALL##*/} exists" test -f "$TARBALL"
tar -tzf "$TARBALL" >"$T/list"
check "one top folder, dkfpolicy-$V/" sh -c '! grep -v "^dkfpolicy-$2/" "$1"' sh "$T/list" "$V"
(cd "$ROOT" && git ls-files) | sed "s|^|dkfpolicy-$V/|" | LC_ALL=C sort >"$T/tracked"
LC_ALL=C sort "$T/list" >"$T/packed"
check "holds exactly the files git tracks" cmp -s "$T/tracked" "$T/packed"
diff "$T/tracked" "$T/packed" | head -n 10 | sed 's/^/#   /'
cp "$TARBALL" "$T/first.tar.gz"
run make -s --no-print-directory -C "$ROOT" dist
check "the same tree gives the same tarball" cmp -s "$T/first.tar.gz" "$TARBALL"

t "README.md's tarball block, offline and without git"
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null 2>&1; then
	skip "offline build" "needs root and unshare (a network namespace)"
	finish
fi
if ! where=$(snippet_named_body dist-build "$T/block.sh"); then
	not_ok "README.md has one block named dist-build"
	finish
fi
ok "$where"
sed 's/^/#   | /' "$T/block.sh"
snippet_sandbox "$T/sandbox"
# PATH without git: a folder of links to everything on PATH but git
NOGIT=$T/nogit-bin
mkdir "$NOGIT"
printf '%s\n' "$PATH" | tr ':' '\n' | while IFS= read -r d; do
	[ -d "$d" ] || continue
	for f in "$d"/*; do
		n=${f##*/}
		case $n in git | git-*) continue ;; esac
		if [ -x "$f" ] && [ ! -e "$NOGIT/$n" ]; then ln -s "$f" "$NOGIT/$n"; fi
	done
done
check "no git on that PATH" sh -c 'PATH=$1; ! command -v git' sh "$NOGIT"
DIR=$T/unpack
mkdir "$DIR"
cp "$TARBALL" "$DIR/"
# shellcheck disable=SC2016 # for the inner shell
run unshare -n sh -c '
	# /proc/net/dev lists the interfaces of this network namespace: only lo, and down
	awk -F: "NR > 2 { gsub(/ /, \"\", \$1); if (\$1 != \"lo\") bad = 1 } END { exit bad }" /proc/net/dev ||
		{ echo "network still up" >&2; exit 99; }
	cd "$1" && exec env -u MAKEFLAGS HOME="$2" DESTDIR="$3" PATH="$4:$5" sh -e "$6"
' sh "$DIR" "$SNIPPET_HOME" "$SNIPPET_DESTDIR" "$SNIPPET_SHIMS" "$NOGIT" "$T/block.sh"
check "runs as written, exit $_run_code" [ "$_run_code" = 0 ]
grep -E '^(unit|golden|cli): |^[0-9]+ passed, [0-9]+ failed|^skipped: ' "$_out" | sed 's/^/# make check: /'
check "make check ends with no failure" grep -Eq '^[0-9]+ passed, 0 failed, [0-9]+ skipped$' "$_out"
[ "$_run_code" = 0 ] || tail -n 30 "$_out" "$_err" | sed 's/^/#   /'
check "nothing was fetched: git is not used, the network was down" sh -c '! grep -q "network still up" "$1"' sh "$_err"
run "$SNIPPET_DESTDIR/usr/local/bin/dkfpolicy" --version
expect_stdout_contains "dkfpolicy $V "

finish

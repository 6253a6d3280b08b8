# version.sh - one version, in the file VERSION, and every place that shows it agrees:
# --version, the tool version of --format json and sarif, the man page's footer
# (.Os), the top entry of debian/changelog, the release file names the Makefile
# makes, the examples of README.md and argocd-cmp/README.md (the JSON sample,
# pre-commit `rev:`, `--branch`, release file and image names) and the image the
# docker_image hooks are pinned to. When one disagrees, this fails and names it;
# tools/set-version.sh changes them all.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)

t "VERSION"
V=$(cat "$ROOT/VERSION")
check "holds one line X.Y.Z ('$V')" sh -c '
	[ "$(wc -l <"$1")" = 1 ] && grep -Eqx "[0-9]+\.[0-9]+\.[0-9]+" "$1"' sh "$ROOT/VERSION"

# same WHAT HAVE: HAVE is the version
same() {
	if [ "$2" = "$V" ]; then
		ok "$1 says $V"
	else
		not_ok "$1 says '$2', VERSION says '$V'"
	fi
}

t "the binary"
run "$BIN" --version
same "--version" "$(sed -n 's/^dkfpolicy \([^ ]*\) .*/\1/p' "$_out")"
printf 'x: 1\n' >v.yaml
run "$BIN" lint --format json v.yaml
same "lint --format json" "$(tr -d '\n ' <"$_out" |
	sed -n 's/.*"tool":{"name":"dkfpolicy","version":"\([^"]*\)"}.*/\1/p')"
run "$BIN" lint --format sarif v.yaml
same "lint --format sarif (driver.version)" "$(sed -n 's/^ *"version": "\([0-9][^"]*\)",$/\1/p' "$_out" | sed -n 2p)"
same "lint --format sarif (driver.semanticVersion)" "$(sed -n 's/^ *"semanticVersion": "\([^"]*\)",$/\1/p' "$_out")"
rm v.yaml

t "the Makefile"
if command -v make >/dev/null 2>&1; then
	same "make version" "$(make -s --no-print-directory -C "$ROOT" version)"
	make -s --no-print-directory -C "$ROOT" release-names >"$T/names" 2>&1 || :
	check "make release-names lists the release files" test -s "$T/names"
	while read -r name; do
		case $name in
		*"$V"*) ok "release file $name" ;;
		*) not_ok "release file '$name' does not carry $V" ;;
		esac
	done <"$T/names"
else
	skip "make version" "no make"
fi

# check_files DIR: the files in DIR that hold the version hold $V
check_files() {
	t "$2: the man page"
	same ".Os line of doc/dkfpolicy.1" "$(sed -n 's/^\.Os dkfpolicy \(.*\)$/\1/p' "$1/doc/dkfpolicy.1")"

	t "$2: debian/changelog"
	same "the top entry" "$(sed -n '1s/^dkfpolicy (\([^)]*\)) .*/\1/p' "$1/debian/changelog")"

	# Every version of dkfpolicy that README.md and .pre-commit-hooks.yaml show, in the
	# forms they show it: release file and image names, pre-commit `rev: vX.Y.Z`, a
	# `--branch vX.Y.Z` clone and the "tool" object of the JSON sample. (deployKF's own
	# versions, v0.1.3 to v0.1.5, appear in none of these forms.)
	for f in README.md argocd-cmp/README.md .pre-commit-hooks.yaml; do
		t "$2: $f"
		grep -n -o -E \
			-e 'dkfpolicy(-cmp)?[-_:][0-9]+\.[0-9]+\.[0-9]+' \
			-e 'rev: v[0-9]+\.[0-9]+\.[0-9]+' \
			-e '--branch v[0-9]+\.[0-9]+\.[0-9]+' \
			-e '"name": "dkfpolicy", "version": "[0-9]+\.[0-9]+\.[0-9]+"' \
			"$1/$f" >"$T/found" || :
		n=0
		while IFS= read -r hit; do
			n=$((n + 1))
			have=$(printf '%s\n' "$hit" | grep -o -E '[0-9]+\.[0-9]+\.[0-9]+' | tail -n 1)
			same "line ${hit%%:*}: ${hit#*:}" "$have"
		done <"$T/found"
		if [ "$f" = README.md ] || grep -q 'language: docker_image' "$1/$f"; then
			check "shows the version ($n places)" [ "$n" -gt 0 ]
		fi
	done
}
check_files "$ROOT" "this checkout"

# tools/set-version.sh moves every one of them, in a copy
t "tools/set-version.sh"
COPY=$T/copy
mkdir -p "$COPY/doc" "$COPY/debian" "$COPY/tools" "$COPY/argocd-cmp"
for f in VERSION README.md argocd-cmp/README.md .pre-commit-hooks.yaml doc/dkfpolicy.1 debian/changelog \
	tools/set-version.sh; do
	cp "$ROOT/$f" "$COPY/$f"
done
V_WAS=$V
V=$(echo "$V" | awk -F. '{ print $1 "." $2 + 1 ".0" }')
expect_exit 0 sh "$COPY/tools/set-version.sh" "$V"
check "VERSION is $V" grep -qx "$V" "$COPY/VERSION"
check_files "$COPY" "after set-version.sh $V"
t "tools/set-version.sh"
check "debian/changelog keeps the $V_WAS entry" grep -q "^dkfpolicy ($V_WAS) " "$COPY/debian/changelog"

finish

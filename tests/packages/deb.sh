# deb.sh - the Debian package (`make deb`): named after the version; lintian finds no
# error and no warning; it installs the binary, the man page, the bash completion and
# the schema; Depends names the three libraries, linked shared, so Debian's security
# updates reach dkfpolicy; Debian's hardening flags are in the binary (fortified calls,
# stack protector, full RELRO, PIE). Then on a bare Debian bookworm (debootstrap
# minbase, bookworm.sh): README.md's install block (name=deb-install: apt-get install
# ./dkfpolicy_X.Y.Z_amd64.deb, with the libraries from the Debian mirror), dkfpolicy
# --version and a lint there, and README.md's removal block (name=deb-remove: apt-get
# purge), after which nothing of the package is left.
#
# usage: sh tests/packages/deb.sh BIN   (make check-deb; BIN: the regular build)
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"
# shellcheck source=SCRIPTDIR/../snippets.sh
. "$TESTS_DIR/../snippets.sh"
# shellcheck source=SCRIPTDIR/bookworm.sh
. "$TESTS_DIR/bookworm.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
V=$(cat "$ROOT/VERSION")
ARCH=$(dpkg --print-architecture)
DEB=$ROOT/build/dist/dkfpolicy_${V}_$ARCH.deb

t "the package file"
check "build/dist/${DEB##*/} exists" test -f "$DEB"
run dpkg-deb -f "$DEB" Package Version Architecture
expect_stdout_contains "Package: dkfpolicy"
expect_stdout_contains "Version: $V"
expect_stdout_contains "Architecture: $ARCH"

t "lintian"
if command -v lintian >/dev/null 2>&1; then
	# -I shows the informational tags too; only errors and warnings fail
	run lintian -I --fail-on error,warning "$DEB"
	check "no errors, no warnings (exit $_run_code)" [ "$_run_code" = 0 ]
	if [ -s "$_out" ]; then sed 's/^/#   /' "$_out"; else echo "#   lintian: no tags"; fi
else
	skip "lintian" "needs lintian"
fi

t "contents"
dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's|^\./|/|' >"$T/files"
for f in /usr/bin/dkfpolicy /usr/share/man/man1/dkfpolicy.1.gz \
	/usr/share/bash-completion/completions/dkfpolicy \
	/usr/share/dkfpolicy/dkfpolicy-values.schema.json \
	/usr/share/doc/dkfpolicy/copyright /usr/share/doc/dkfpolicy/changelog.gz; do
	check "installs $f" grep -qx "$f" "$T/files"
done
mkdir "$T/x"
dpkg-deb -x "$DEB" "$T/x"
check "the copyright file names Apache-2.0" grep -qx 'License: Apache-2.0' "$T/x/usr/share/doc/dkfpolicy/copyright"
check "the man page is this version's" sh -c 'gzip -dc "$1" | grep -qx "\.Os dkfpolicy $2"' sh \
	"$T/x/usr/share/man/man1/dkfpolicy.1.gz" "$V"
check "the changelog's top entry is $V" sh -c 'gzip -dc "$1" | head -n 1 | grep -q "^dkfpolicy ($2) "' sh \
	"$T/x/usr/share/doc/dkfpolicy/changelog.gz" "$V"

t "libraries: shared, and in Depends"
run dpkg-deb -f "$DEB" Depends
DEPENDS=$(cat "$_out")
echo "#   Depends: $DEPENDS"
readelf -d "$T/x/usr/bin/dkfpolicy" >"$T/dynamic"
for pair in libyaml-0.so.2:libyaml-0-2 libcyaml.so.1:libcyaml1 libpcre2-8.so.0:libpcre2-8-0 libc.so.6:libc6; do
	so=${pair%%:*}
	pkg=${pair#*:}
	check "links $so shared" grep -q "NEEDED.*\[$so\]" "$T/dynamic"
	case ", $DEPENDS" in
	*", $pkg "* | *", $pkg,"* | *", $pkg") ok "Depends names $pkg" ;;
	*) not_ok "Depends names $pkg" ;;
	esac
done

t "hardening (dpkg-buildflags reached the build)"
check "full RELRO (BIND_NOW)" grep -q 'BIND_NOW' "$T/dynamic"
check "PIE" sh -c 'readelf -h "$1" | grep -q "Type: *DYN"' sh "$T/x/usr/bin/dkfpolicy"
nm -D "$T/x/usr/bin/dkfpolicy" >"$T/symbols"
check "_FORTIFY_SOURCE: fortified calls (__snprintf_chk)" grep -q ' U __snprintf_chk' "$T/symbols"
check "stack protector (__stack_chk_fail)" grep -q ' U __stack_chk_fail' "$T/symbols"

t "a bare Debian bookworm"
if ! why=$(bookworm_root); then
	skip "install, run, purge" "$why"
	finish
fi
STATE=$T/bookworm
mkdir "$T/release"
cp "$DEB" "$T/release/"
run bookworm_run "$STATE" sh -c 'apt-get update -q >/dev/null && echo "apt lists updated"'
check "apt-get update" [ "$_run_code" = 0 ]
run bookworm_run "$STATE" sh -c 'dpkg-query -W -f="\${Status}" dkfpolicy libcyaml1 libyaml-0-2 2>&1; echo'
sed 's/^/#   before: /' "$_out"

bookworm_block "$STATE" deb-install "$T/release"
check "README.md's block deb-install (${block_where:-missing}) runs as written (exit $_run_code)" [ "$_run_code" = 0 ]
grep -E '^(Setting up|Unpacking) |^dkfpolicy ' "$_out" | sed 's/^/#   /'
[ "$_run_code" = 0 ] || _diag
expect_stdout_contains "dkfpolicy $V "
run bookworm_run "$STATE" dpkg-query -W -f='${Status} ${Version}\n' dkfpolicy libyaml-0-2 libcyaml1 libpcre2-8-0
sed 's/^/#   /' "$_out"
check "dkfpolicy $V and its three libraries are installed" sh -c \
	'[ "$(grep -c "install ok installed" "$1")" = 4 ] && grep -qx "install ok installed $2" "$1"' sh "$_out" "$V"
BOOKWORM_CWD=/root/release run bookworm_run "$STATE" sh -c '
	printf "deploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n        enabled: true\n        registryCredentials:\n          - existingSecretNamespace: x\n" >values.yaml
	dkfpolicy lint values.yaml'
check "lint finds the missing existingSecret (exit $_run_code)" [ "$_run_code" = 1 ]
expect_stderr_contains "values.yaml:7:13: error: registryCredentials[0]: 'existingSecret' is missing"
sed 's/^/#   lint: /' "$_err"
run bookworm_run "$STATE" sh -c 'ls /usr/share/man/man1/dkfpolicy.1.gz /usr/share/bash-completion/completions/dkfpolicy'
check "man page and bash completion are installed" [ "$_run_code" = 0 ]

bookworm_block "$STATE" deb-remove ""
check "README.md's block deb-remove (${block_where:-missing}) runs as written (exit $_run_code)" [ "$_run_code" = 0 ]
grep -E '^(Removing|Purging) ' "$_out" | sed 's/^/#   /'
run bookworm_run "$STATE" sh -c 'dpkg-query -W -f="\${Status}\n" dkfpolicy 2>&1; ls /usr/bin/dkfpolicy /usr/share/man/man1/dkfpolicy.1.gz /usr/share/doc/dkfpolicy 2>&1'
sed 's/^/#   after: /' "$_out"
check "the package is gone (purged)" sh -c '! grep -q "ok installed\|config-files" "$1"' sh "$_out"
check "its files are gone" sh -c '[ "$(grep -c "No such file or directory" "$1")" = 3 ]' sh "$_out"

finish

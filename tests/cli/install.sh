# install.sh - `make install` / `make uninstall` into a temporary DESTDIR, and the
# installed binary working from an empty folder (no data files needed at run time);
# the man page passes `mandoc -T lint` and documents every diagnostic code; the bash
# completion loads and completes.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
DEST=$T/dest

if ! command -v make >/dev/null 2>&1; then
	skip "make install" "no make"
	finish
fi

t "make install"
# INSTALL_BIN: install the binary under test, so no other variant gets built here
expect_exit 0 make -s -C "$ROOT" install DESTDIR="$DEST" PREFIX=/opt/dkf INSTALL_BIN="$BIN"
for f in bin/dkfpolicy share/man/man1/dkfpolicy.1 share/dkfpolicy/dkfpolicy-values.schema.json \
	share/bash-completion/completions/dkfpolicy; do
	check "installs $f" test -f "$DEST/opt/dkf/$f"
done
check "the binary is executable" test -x "$DEST/opt/dkf/bin/dkfpolicy"

t "the installed binary, from an empty folder"
mkdir empty
cd empty
cat >"$T/values.yaml" <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecret: regcred
EOF2
INSTALLED=$DEST/opt/dkf/bin/dkfpolicy
expect_exit 0 env -i PATH=/usr/bin:/bin "$INSTALLED" --version
expect_stdout_matches '^dkfpolicy '
expect_exit 0 env -i PATH=/usr/bin:/bin "$INSTALLED" render - <"$T/values.yaml"
expect_stdout_contains 'name: "clone-image-pull-secrets"'
"$BIN" render - <"$T/values.yaml" >"$T/want.yaml"
"$INSTALLED" render - <"$T/values.yaml" >"$T/have.yaml"
check "renders what the build renders" cmp -s "$T/want.yaml" "$T/have.yaml"
expect_exit 0 env -i PATH=/usr/bin:/bin "$INSTALLED" lint --format json - <"$T/values.yaml"
expect_stdout_contains '"diagnostics": []'
"$INSTALLED" schema >"$T/schema.json"
check "the installed schema is the one it prints" \
	cmp -s "$T/schema.json" "$DEST/opt/dkf/share/dkfpolicy/dkfpolicy-values.schema.json"
expect_files . # it wrote nothing into the working folder
cd "$WORK"

t "man page"
MAN=$DEST/opt/dkf/share/man/man1/dkfpolicy.1
if command -v mandoc >/dev/null 2>&1; then
	# the outdated-mandoc.db notice of some systems is not a finding; nor is the style
	# note on `.Os dkfpolicy X.Y.Z`, which is how the page carries the version
	# (mandoc's rule is for the base system's own pages)
	mandoc -T lint "$MAN" >"$T/mandoc.out" 2>&1 || :
	grep -v -e 'outdated mandoc.db' -e 'STYLE: operating system explicitly specified: Os dkfpolicy' \
		"$T/mandoc.out" >"$T/mandoc.findings" || :
	check "mandoc -T lint is clean" test ! -s "$T/mandoc.findings"
	sed 's/^/#   /' "$T/mandoc.findings"
	check "the page footer names the version" grep -q '^\.Os dkfpolicy [0-9]' "$MAN"
else
	skip "mandoc -T lint" "no mandoc"
fi
missing=
for code in $(sed -n 's/^DIAG_CODE(\(DKF[0-9]*\),.*/\1/p' "$ROOT/src/diag_codes.def"); do
	grep -q "^\.It $code " "$MAN" || missing="$missing $code"
done
check "DIAGNOSTICS lists every code${missing:+ (missing:$missing)}" [ -z "$missing" ]
for opt in --format --check --output --strict; do
	check "documents $opt" grep -q -e "Fl -${opt#--}" "$MAN"
done
# in_section SECTION LINE: the .Sh SECTION of the page has the line LINE
in_section() {
	sed -n "/^\.Sh $1\$/,/^\.Sh /p" "$MAN" | grep -qxF -e "$2"
}
for var in NO_COLOR TERM; do
	check "ENVIRONMENT documents $var" in_section ENVIRONMENT ".It Ev $var"
done
check "FILES documents .dkfpolicy.yaml" in_section FILES ".It Pa .dkfpolicy.yaml"

t "bash completion"
if command -v bash >/dev/null 2>&1; then
	cat >"$T/complete.bash" <<'EOF2'
source "$1"
complete -p dkfpolicy >/dev/null || exit 1
try() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _dkfpolicy; echo "${COMPREPLY[*]}"; }
try dkfpolicy ''
try dkfpolicy lint --format ''
try dkfpolicy render --ch
EOF2
	run bash "$T/complete.bash" "$DEST/opt/dkf/share/bash-completion/completions/dkfpolicy"
	check "loads" [ "$_run_code" = 0 ]
	expect_stdout_contains 'render lint check schema'
	expect_stdout_contains 'text json sarif github'
	expect_stdout_contains '--check'
else
	skip "bash completion" "no bash"
fi

t "make uninstall"
expect_exit 0 make -s -C "$ROOT" uninstall DESTDIR="$DEST" PREFIX=/opt/dkf INSTALL_BIN="$BIN"
left=$(find "$DEST" -type f | sed "s|^$DEST/||" | tr '\n' ' ')
check "removes every installed file${left:+ (left: $left)}" [ -z "$left" ]

finish

# buildflags.sh - the Makefile takes CPPFLAGS, CFLAGS and LDFLAGS from the environment,
# as Debian's hardening flags (dpkg-buildflags) reach it, with _FORTIFY_SOURCE working
# in the release build and dropped where it cannot work (DEBUG=1 is -O0, SAN=1 uses
# ASan). Real compiles of one source file into a temporary build folder
# (BUILD=... on the command line), and `make -n` for the link line.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
if ! command -v make >/dev/null 2>&1 || ! command -v "${CC:-cc}" >/dev/null 2>&1; then
	skip "build flags" "needs make and a C compiler"
	finish
fi
if ! command -v nm >/dev/null 2>&1; then
	skip "build flags" "needs nm (binutils)"
	finish
fi

# the variant is chosen here, not by a `make SAN=1 check` around the test
unset SAN DEBUG STATIC 2>/dev/null || :

# dpkg-buildflags' defaults on bookworm with hardening=+all
CPPFLAGS='-Wdate-time -D_FORTIFY_SOURCE=2'
CFLAGS='-g -O2 -fstack-protector-strong -Wformat -Werror=format-security'
LDFLAGS='-Wl,-z,relro -Wl,-z,now'
export CPPFLAGS CFLAGS LDFLAGS

# compile VARIANT-ARGS...: build build/obj/strbuf.o under $T/VARIANT with the flags above
compile() {
	_dir=$T/build-$1
	shift
	run make -s -C "$ROOT" "$@" BUILD="$_dir" "$_dir/obj/strbuf.o"
}

t "release build, flags from the environment"
compile release
check "compiles (exit $_run_code)" [ "$_run_code" = 0 ]
# strbuf.c formats with vsnprintf: fortified, it calls __vsnprintf_chk
check "_FORTIFY_SOURCE is in effect (__vsnprintf_chk)" sh -c \
	'nm "$1" | grep -q " U __vsnprintf_chk"' sh "$T/build-release/obj/strbuf.o"
check "-fstack-protector-strong is in effect (__stack_chk_fail)" sh -c \
	'nm "$1" | grep -q " U __stack_chk_fail"' sh "$T/build-release/obj/strbuf.o"

t "release build, link line"
run make -n -B -C "$ROOT" BUILD="$T/build-release" BIN="$T/build-release/dkfpolicy"
check "LDFLAGS reach the link" sh -c \
	'grep -- "-o $2 " "$1" | grep -q -- "-Wl,-z,relro -Wl,-z,now"' sh "$_out" "$T/build-release/dkfpolicy"
check "CPPFLAGS reach every compile" sh -c \
	'! grep -- "-c -o " "$1" | grep -v -q -- "-D_FORTIFY_SOURCE=2"' sh "$_out"

# (without an -O in CFLAGS, which would override DEBUG=1's -O0)
t "DEBUG=1 (-O0) with _FORTIFY_SOURCE in CPPFLAGS"
CFLAGS=-g compile debug DEBUG=1
check "compiles, warnings as errors (exit $_run_code)" [ "$_run_code" = 0 ]
expect_stderr_empty
check "not fortified" sh -c '! nm "$1" | grep -q __vsnprintf_chk' sh "$T/build-debug/obj/strbuf.o"

t "SAN=1 with _FORTIFY_SOURCE in CPPFLAGS"
compile san SAN=1
check "compiles (exit $_run_code)" [ "$_run_code" = 0 ]
check "not fortified" sh -c '! nm "$1" | grep -q "__vsnprintf_chk"' sh "$T/build-san/obj/strbuf.o"

t "without the environment's flags"
unset CPPFLAGS CFLAGS LDFLAGS
compile plain
check "compiles (exit $_run_code)" [ "$_run_code" = 0 ]
check "not fortified" sh -c '! nm "$1" | grep -q "__vsnprintf_chk"' sh "$T/build-plain/obj/strbuf.o"

finish

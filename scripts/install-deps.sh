#!/bin/sh
# install-deps.sh - make a Debian (bookworm) machine able to build and test dkfpolicy.
#
# usage: sh scripts/install-deps.sh [EXTRA-PACKAGE...]
#
# Checks with dpkg-query whether the build and test packages (and any EXTRA-PACKAGE,
# e.g. python3-yaml for the shared checks in .ci/run) are installed. When they all
# are, prints nothing and exits 0. Otherwise names the missing ones and installs
# them with apt-get: directly as root, through sudo when not root, or else prints
# the command to run and exits 1.
#
# DKF_NO_INSTALL=1  only report what is missing (exit 1 if anything is), never install.
#
# Plain POSIX sh (runs under dash); needs no python3.

set -eu

PKGS="gcc make pkg-config libyaml-dev libcyaml-dev libpcre2-dev libcmocka-dev"
# The pkg-config modules the Makefile asks for; used only where dpkg is missing.
PC_MODULES="yaml-0.1 libcyaml libpcre2-8 cmocka"

me=install-deps.sh
say() { printf '%s: %s\n' "$me" "$*" >&2; }

if ! command -v dpkg-query >/dev/null 2>&1; then
	# Not Debian: we cannot install anything, but a machine that already has
	# everything should still be able to run `make check`.
	# shellcheck disable=SC2086 # $PC_MODULES is a list
	if command -v "${CC:-cc}" >/dev/null 2>&1 && command -v make >/dev/null 2>&1 &&
		command -v pkg-config >/dev/null 2>&1 &&
		pkg-config --exists $PC_MODULES 2>/dev/null; then
		exit 0
	fi
	say "no dpkg-query here (not Debian?); install by hand: a C11 compiler, make, pkg-config" \
		"and the development files of $PC_MODULES"
	exit 1
fi

# is_installed PKG: true when dpkg says "... ok installed" (also "hold ok installed").
is_installed() {
	case $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || :) in
	*" ok installed") return 0 ;;
	*) return 1 ;;
	esac
}

missing_pkgs() {
	m=
	for p in $PKGS "$@"; do
		is_installed "$p" || m="$m $p"
	done
	printf '%s' "${m# }"
}

missing=$(missing_pkgs "$@")
[ -n "$missing" ] || exit 0

say "missing packages: $missing"

if [ "${DKF_NO_INSTALL:-}" = 1 ]; then
	say "DKF_NO_INSTALL=1, not installing; run as root:"
	say "  apt-get update && apt-get install -y --no-install-recommends $missing"
	exit 1
fi

if [ "$(id -u)" = 0 ]; then
	as_root=
elif command -v sudo >/dev/null 2>&1; then
	as_root=sudo
	# Without a terminal sudo cannot ask for a password: fail instead of hanging.
	[ -t 0 ] || as_root="sudo -n"
	say "not root, using $as_root"
else
	say "not root and no sudo; as root, run:"
	say "  apt-get update && apt-get install -y --no-install-recommends $missing"
	exit 1
fi

say "running apt-get update"
if ! $as_root apt-get update -q; then
	say "apt-get update failed"
	exit 1
fi
say "installing: $missing"
# word splitting of $missing is intended: it is a list of package names
# shellcheck disable=SC2086
if ! $as_root env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends $missing; then
	say "apt-get install failed for: $missing"
	exit 1
fi

still=$(missing_pkgs "$@")
if [ -n "$still" ]; then
	say "still missing after apt-get install: $still"
	exit 1
fi
say "installed: $missing"

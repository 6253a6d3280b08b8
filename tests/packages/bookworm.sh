# shellcheck shell=sh
# bookworm.sh - a bare Debian bookworm for the packaging tests (sourced after lib.sh).
#
# bookworm_root makes build/bookworm/root once with `debootstrap --variant=minbase`
# (about 200 MB, a minute with a nearby mirror; DKF_DEBIAN_MIRROR picks the mirror)
# and keeps it there for the later steps of the same build tree: the .deb install
# test runs in it, and the container tests import it as their base image, so nothing
# is pulled from a registry. bookworm_run runs a command in it as root, through an
# overlay whose changes go to a folder of the test's own: every test starts from the
# same untouched system.

BOOKWORM_DIR=$(cd "$TESTS_DIR/../.." && pwd)/build/bookworm
BOOKWORM_ROOT=$BOOKWORM_DIR/root
BOOKWORM_MIRROR=${DKF_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# bookworm_root: make $BOOKWORM_ROOT unless it is there; on failure prints why (one
# line, for a skip or a failure) and returns 1
bookworm_root() {
	if [ -f "$BOOKWORM_DIR/root.done" ]; then
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "needs root (debootstrap, chroot)"
		return 1
	fi
	if ! command -v debootstrap >/dev/null 2>&1; then
		echo "needs debootstrap (apt-get install debootstrap)"
		return 1
	fi
	rm -rf "$BOOKWORM_ROOT" "$BOOKWORM_DIR/root.done"
	mkdir -p "$BOOKWORM_DIR"
	if ! debootstrap --variant=minbase bookworm "$BOOKWORM_ROOT" "$BOOKWORM_MIRROR" \
		>"$BOOKWORM_DIR/debootstrap.log" 2>&1; then
		echo "debootstrap bookworm from $BOOKWORM_MIRROR failed: $(tail -n 1 "$BOOKWORM_DIR/debootstrap.log")"
		return 1
	fi
	: >"$BOOKWORM_DIR/root.done"
}

# bookworm_run STATE cmd...: run cmd as root in the bookworm, in / (or in the folder
# $BOOKWORM_CWD inside it), with a clean environment. Its changes go to the folder
# STATE (made if missing), so calls with the same STATE see each other's changes and
# the root stays bare. /proc is mounted, the host's resolv.conf copied in; the mounts
# live in a private mount namespace and end with the command.
bookworm_run() {
	_state=$1
	shift
	mkdir -p "$_state/upper" "$_state/work" "$_state/merged"
	unshare -m --propagation private sh -c '
		root=$1 state=$2 cwd=$3
		shift 3
		mount -t overlay overlay -o "lowerdir=$root,upperdir=$state/upper,workdir=$state/work" \
			"$state/merged" || exit 125
		mount -t proc proc "$state/merged/proc" || exit 125
		cp /etc/resolv.conf "$state/merged/etc/resolv.conf" || exit 125
		exec chroot "$state/merged" /usr/bin/env -i HOME=/root LC_ALL=C.UTF-8 \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
	' sh "$BOOKWORM_ROOT" "$_state" "${BOOKWORM_CWD:-/}" "$@"
}

# bookworm_files STATE: the folder where STATE's files appear inside the bookworm
# (to put files into it before bookworm_run: they land in the overlay's upper layer)
bookworm_files() {
	mkdir -p "$1/upper"
	printf '%s' "$1/upper"
}

# bookworm_block STATE NAME DIR: run README.md's block named NAME (tests/snippets.sh) as
# written, with sh -e, in the bookworm at /root/release, after copying the files of DIR
# there (the release files a user downloaded). `sudo` is a shim that runs its command
# (the shell is root already). Captures like lib.sh's `run`; sets block_where to
# README.md:LINE, empty when README.md has no such block.
bookworm_block() {
	_files=$(bookworm_files "$1")
	mkdir -p "$_files/root/release" "$_files/usr/local/bin"
	printf '#!/bin/sh\n# the tests: root already\nexec "$@"\n' >"$_files/usr/local/bin/sudo"
	chmod 755 "$_files/usr/local/bin/sudo"
	[ -z "$3" ] || cp -R "$3"/. "$_files/root/release/"
	# shellcheck disable=SC2034 # block_where: for the caller
	if ! block_where=$(snippet_named_body "$2" "$_files/root/block-$2.sh"); then
		# shellcheck disable=SC2034 # for the caller
		block_where=
		_run_code=127
		return 0
	fi
	BOOKWORM_CWD=/root/release run bookworm_run "$1" sh -e "/root/block-$2.sh"
}

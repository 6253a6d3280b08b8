# images.sh - the container images (`make image`), built and run with podman, offline:
# the base image is imported from the bookworm root of bookworm.sh (debootstrap +
# `podman import`), no registry is used. Podman's configuration and storage live in
# build/containers (CONTAINERS_CONF, CONTAINERS_STORAGE_CONF), nothing in /etc or
# /var/lib/containers. When podman cannot run a container here, the checks are skipped
# with the error podman printed.
#
#   localhost/dkfpolicy:X.Y.Z       the static binary alone (FROM scratch), as nobody;
#                                   lints and renders a mounted values repository with
#                                   a read-only root and no capabilities; the
#                                   docker_image pre-commit hooks pass and fail as they
#                                   should with podman as docker (tests/cli/precommit.sh
#                                   and the README's container snippets, tests/cli/readme.sh)
#   localhost/dkfpolicy-cmp:X.Y.Z   the Argo CD plugin sidecar: user 999, plugin.yaml
#                                   where the CMP server reads it, and every case of
#                                   tests/cli/argocd_cmp.sh run in it as the CMP server
#                                   runs init and generate (read-only root, no
#                                   capabilities, non-root, no network)
#
# usage: sh tests/packages/images.sh build/static/dkfpolicy   (make check-images)
# In this sandbox podman needs runc (crun cannot start containers here) and
# `default_ulimits = []` (setting the default rlimits is refused); the
# containers.conf written here says so.
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"
# shellcheck source=SCRIPTDIR/bookworm.sh
. "$TESTS_DIR/bookworm.sh"

ROOT=$(cd "$TESTS_DIR/../.." && pwd)
V=$(cat "$ROOT/VERSION")
IMAGE=localhost/dkfpolicy:$V
CMP_IMAGE=localhost/dkfpolicy-cmp:$V
BASE=localhost/dkfpolicy-test-base:bookworm
CONF=$ROOT/build/containers

t "podman"
if ! command -v podman >/dev/null 2>&1; then
	skip "container images" "needs podman (apt-get install podman runc)"
	finish
fi
mkdir -p "$CONF"
{
	echo "# written by tests/packages/images.sh"
	echo "[containers]"
	echo "default_ulimits = []"
	echo "[engine]"
	echo 'events_logger = "file"'
	if command -v runc >/dev/null 2>&1; then echo 'runtime = "runc"'; fi
} >"$CONF/containers.conf"
cat >"$CONF/storage.conf" <<EOF
# written by tests/packages/images.sh
[storage]
driver = "overlay"
graphroot = "$CONF/storage"
runroot = "$CONF/run"
EOF
CONTAINERS_CONF=$CONF/containers.conf
CONTAINERS_STORAGE_CONF=$CONF/storage.conf
export CONTAINERS_CONF CONTAINERS_STORAGE_CONF
podman --version | sed 's/^/# /'

if ! why=$(bookworm_root); then
	skip "container images" "no base image: $why"
	finish
fi
if ! podman image exists "$BASE"; then
	run sh -c 'tar -C "$1" -c . | podman import -q - "$2"' sh "$BOOKWORM_ROOT" "$BASE"
	if [ "$_run_code" != 0 ]; then
		skip "container images" "podman import failed: $(tail -n 1 "$_err")"
		finish
	fi
fi
run podman run --rm --network=none "$BASE" true
if [ "$_run_code" != 0 ]; then
	skip "container images" "podman cannot run a container here: $(grep -v '^$' "$_err" | tail -n 1)"
	finish
fi
ok "runs a container (base $BASE, imported from build/bookworm)"

t "make image"
run make -s --no-print-directory -C "$ROOT" image CONTAINER=podman IMAGE_BASE="$BASE"
if [ "$_run_code" = 0 ]; then ok "builds $IMAGE and $CMP_IMAGE offline"; else not_ok "builds both images"; _diag; finish; fi

t "$IMAGE"
run podman image inspect --format '{{.Config.User}} {{index .Config.Labels "org.opencontainers.image.version"}} {{index .Config.Labels "org.opencontainers.image.licenses"}}' "$IMAGE"
expect_stdout_contains "65534:65534 $V Apache-2.0"
cid=$(podman create "$IMAGE")
podman export "$cid" | tar -t | sed 's|/$||' | LC_ALL=C sort >"$T/files"
podman rm -f "$cid" >/dev/null
check "holds the binary, its license and nothing else ($(tr '\n' ' ' <"$T/files"))" sh -c '
	grep -v -x -e usr -e usr/local -e usr/local/bin -e usr/local/bin/dkfpolicy -e usr/share \
		-e usr/share/doc -e usr/share/doc/dkfpolicy -e usr/share/doc/dkfpolicy/LICENSE \
		-e src -e dev -e proc -e sys -e etc -e etc/hosts -e etc/resolv.conf -e run "$1" | grep -q . && exit 1
	grep -qx usr/local/bin/dkfpolicy "$1"' sh "$T/files"
SECURE="--rm --network=none --read-only --cap-drop=ALL --security-opt=no-new-privileges"
# shellcheck disable=SC2086 # $SECURE: options
run podman run $SECURE "$IMAGE" --version
expect_stdout_contains "dkfpolicy $V "
REPO=$WORK/values-repo
mkdir -p "$REPO"
cp "$ROOT/testdata/examples/values.yaml" "$REPO/values.yaml"
printf 'deploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n        enabled: true\n        registryCredentials:\n          - existingSecretNamespace: x\n' >"$REPO/broken.yaml"
# shellcheck disable=SC2086
run podman run $SECURE -v "$REPO:/src" -u "$(id -u):$(id -g)" "$IMAGE" lint values.yaml
check "lints a mounted repository (exit $_run_code)" [ "$_run_code" = 0 ]
# shellcheck disable=SC2086
run podman run $SECURE -v "$REPO:/src" "$IMAGE" lint broken.yaml
check "finds an error, as nobody, in a read-only root (exit $_run_code)" [ "$_run_code" = 1 ]
expect_stderr_contains "broken.yaml:7:13: error: registryCredentials[0]: 'existingSecret' is missing"
# shellcheck disable=SC2086
run podman run $SECURE -v "$REPO:/src" -u "$(id -u):$(id -g)" "$IMAGE" render -f values.yaml -o policy.yaml
"$BIN" render -f "$REPO/values.yaml" >"$T/want.yaml"
check "render -o writes the policy into the mounted folder" cmp -s "$T/want.yaml" "$REPO/policy.yaml"

t "$CMP_IMAGE"
run podman run --rm --network=none "$CMP_IMAGE" sh -c 'id -u; id -g'
check "runs as 999:999 by default ($(tr '\n' ' ' <"$_out"))" [ "$(tr '\n' ' ' <"$_out")" = "999 999 " ]
run podman run --rm --network=none "$CMP_IMAGE" cat /home/argocd/cmp-server/config/plugin.yaml
check "plugin.yaml is where the CMP server reads it" cmp -s "$_out" "$ROOT/argocd-cmp/plugin.yaml"
run podman run --rm --network=none "$CMP_IMAGE" sh -c 'command -v dkfpolicy; command -v dkfpolicy-cmp'
expect_stdout_contains /usr/local/bin/dkfpolicy
expect_stdout_contains /usr/local/bin/dkfpolicy-cmp
DKF_CMP_IMAGE=$CMP_IMAGE DKF_CONTAINER=podman run sh "$ROOT/tests/cli/argocd_cmp.sh" "$BIN"
check "init and generate, run in the image as the CMP server runs them: $(tail -n 1 "$_out" | sed 's/^# //')" \
	[ "$_run_code" = 0 ]
grep '^not ok' "$_out" | sed 's/^/#   /'

# pre-commit's docker_image hooks and the README's container snippets, podman as docker
t "podman as docker"
mkdir "$T/docker"
ln -s "$(command -v podman)" "$T/docker/docker"
for script in precommit.sh readme.sh; do
	PATH=$T/docker:$PATH run sh "$ROOT/tests/cli/$script" "$BIN"
	check "tests/cli/$script passes: $(tail -n 1 "$_out" | sed 's/^# //')" [ "$_run_code" = 0 ]
	grep '^not ok' "$_out" | sed 's/^/#   /'
	check "tests/cli/$script skips nothing for want of the image" sh -c '! grep -q "SKIP needs docker" "$1"' sh "$_out"
done

finish

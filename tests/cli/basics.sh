# basics.sh - the command line contract: help, version, usage errors, input and output
# handling, exit statuses. Run as `sh tests/cli/basics.sh BIN` (tests/run-tests.sh does).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

# --- fixtures ------------------------------------------------------------------
cat >disabled.yaml <<'EOF'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: false
EOF

cat >enabled.yaml <<'EOF'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecret: regcred
EOF

# enabled, but the credential names no secret: refused with exit 1 (conformance 50)
cat >invalid.yaml <<'EOF'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecretNamespace: argocd
EOF

# --- help and version ------------------------------------------------------------
t "--help prints usage on stdout"
expect_exit 0 "$BIN" --help
expect_stdout_matches '[Uu]sage'
expect_stderr_empty

t "--version prints 'dkfpolicy VERSION'"
expect_exit 0 "$BIN" --version
expect_stdout_matches '^dkfpolicy '
expect_stderr_empty

# --- usage errors: exit 2, message on stderr, nothing on stdout ----------------------
t "unknown option is a usage error"
expect_exit 2 "$BIN" --no-such-option
expect_stderr_contains 'no-such-option'
expect_stdout_empty

t "unknown option after render is a usage error"
expect_exit 2 "$BIN" render --no-such-option enabled.yaml
expect_stderr_contains 'no-such-option'
expect_stdout_empty

# --- input files ---------------------------------------------------------------------
t "render of a missing file"
expect_exit 2 "$BIN" render missing.yaml
expect_stderr_contains 'missing.yaml'
expect_stdout_empty

t "render of a directory given as a file"
mkdir adir
expect_exit 2 "$BIN" render adir
expect_stderr_contains 'adir'
expect_stdout_empty

t "'-' reads stdin (policy disabled)"
expect_exit 0 "$BIN" render - <disabled.yaml
expect_stdout_empty

t "'-f -' reads stdin (policy disabled)"
expect_exit 0 "$BIN" render -f - <disabled.yaml
expect_stdout_empty

t "'-' reads stdin (policy enabled)"
expect_exit 0 "$BIN" render - <enabled.yaml
expect_stdout_contains 'kind: "ClusterPolicy"'

# --- output: -o writes through a temp file and rename, only on success ------------------
t "render -o writes the policy"
mkdir out
expect_exit 0 "$BIN" render -o out/policy.yaml enabled.yaml
expect_stdout_empty
expect_file_contains out/policy.yaml 'kind: "ClusterPolicy"'
expect_files out policy.yaml

t "render -o into a missing folder"
echo 'old content' >out/keep.yaml
expect_exit 2 "$BIN" render -o no-such-dir/policy.yaml enabled.yaml
expect_stderr_contains 'no-such-dir'
check "the missing folder is not created" test ! -e no-such-dir
check "the old file is untouched" test "$(cat out/keep.yaml)" = 'old content'

t "render -o with a missing input keeps the old output"
expect_exit 2 "$BIN" render -o out/keep.yaml missing.yaml
check "the old file is untouched" test "$(cat out/keep.yaml)" = 'old content'
expect_files out keep.yaml policy.yaml

t "render -o with refused input keeps the old output"
expect_exit 1 "$BIN" render -o out/keep.yaml invalid.yaml
check "the old file is untouched" test "$(cat out/keep.yaml)" = 'old content'
expect_files out keep.yaml policy.yaml

t "write error on stdout (/dev/full)"
if [ -w /dev/full ]; then
	# shellcheck disable=SC2016 # expanded by the inner sh
	expect_exit 2 sh -c '"$0" render "$1" >/dev/full' "$BIN" enabled.yaml
	expect_stderr_nonempty
else
	skip "exit 2" "no /dev/full"
fi

# --- deployKF versions --------------------------------------------------------------------
t "--deploykf-version v0.1.2 has no such policy"
expect_exit 2 "$BIN" render --deploykf-version v0.1.2 enabled.yaml
expect_stderr_contains 'v0.1.2'
expect_stdout_empty

t "--deploykf-version v9 is unknown"
expect_exit 2 "$BIN" render --deploykf-version v9 enabled.yaml
expect_stderr_contains 'v9'
expect_stdout_empty

finish

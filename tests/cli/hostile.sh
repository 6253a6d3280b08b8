# hostile.sh - broken, huge and odd input, and output that cannot be written: a clear
# message naming the file and the documented exit status, never a crash or a hang.
# Run as `sh tests/cli/hostile.sh BIN`.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

cat >enabled.yaml <<'YAML'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecret: regcred
YAML

# --- input that is not a regular file ---------------------------------------------
t "a FIFO is read like a file"
mkfifo pipe.yaml
cat enabled.yaml >pipe.yaml &
expect_exit 0 "$BIN" render pipe.yaml
expect_stdout_contains 'name: "regcred"'
wait

t "invalid UTF-8 through a FIFO: position of the bad byte"
printf 'a: 1\nb: "\377"\n' >pipe.yaml &
expect_exit 1 "$BIN" lint pipe.yaml
expect_stderr_contains 'pipe.yaml:2:5: error:'
expect_stderr_contains '[DKF112]'
wait
rm pipe.yaml

t "an empty device sets nothing"
expect_exit 0 "$BIN" lint /dev/null
expect_stderr_contains '/dev/null: info: the file sets no values'

t "empty standard input sets nothing"
expect_exit 0 "$BIN" lint - </dev/null
expect_stderr_contains '<stdin>: info:'

t "a file that cannot be read"
if [ -r /proc/self/mem ]; then
	expect_exit 2 "$BIN" lint /proc/self/mem
	expect_stderr_contains "cannot read '/proc/self/mem'"
	expect_stdout_empty
else
	skip "exit 2" "no /proc/self/mem"
fi

t "a path through a regular file"
expect_exit 2 "$BIN" lint enabled.yaml/values.yaml
expect_stderr_contains "enabled.yaml/values.yaml"

# --- limits ------------------------------------------------------------------------------
t "a billion laughs of 10 levels is refused"
{
	printf 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
	i=1
	while [ "$i" -le 10 ]; do
		p=$((i - 1))
		printf 'l%d: &l%d [*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d]\n' \
			"$i" "$i" "$p" "$p" "$p" "$p" "$p" "$p" "$p" "$p" "$p" "$p"
		i=$((i + 1))
	done
} >laughs.yaml
expect_exit 1 "$BIN" lint laughs.yaml
expect_stderr_matches '^laughs\.yaml:[0-9]+:[0-9]+: error: .*\[DKF110\]$'
expect_exit 1 "$BIN" render laughs.yaml
expect_stdout_empty

t "--max-nodes"
{
	printf 'big: &big ['
	i=0
	while [ "$i" -lt 200 ]; do printf '%d, ' "$i"; i=$((i + 1)); done
	printf '0]\n'
} >nodes.yaml
expect_exit 1 "$BIN" lint --max-nodes 100 nodes.yaml
expect_stderr_contains '[DKF113]'
expect_exit 0 "$BIN" lint --max-nodes 1000 nodes.yaml
expect_stderr_empty

t "limits take positive whole numbers"
for opt in --max-bytes --max-depth --max-alias-nodes --max-nodes; do
	expect_exit 2 "$BIN" lint "$opt" 0 enabled.yaml
	expect_exit 2 "$BIN" lint "$opt" many enabled.yaml
done

t "the alias budget stays below 2^32 (a node keeps its expanded size in 32 bits)"
expect_exit 2 "$BIN" lint --max-alias-nodes 4294967295 enabled.yaml
expect_stderr_contains "--max-alias-nodes must be below 4294967295"
expect_exit 0 "$BIN" lint --max-alias-nodes 4294967294 enabled.yaml

# --- output that cannot be written ----------------------------------------------------------
credentials() {
	printf 'deploykf_dependencies:\n  kyverno:\n    clusterPolicies:\n      imagePullSecrets:\n'
	printf '        enabled: true\n        registryCredentials:\n'
	_i=0
	while [ "$_i" -lt "$1" ]; do
		printf '          - existingSecret: regcred-%d\n' "$_i"
		_i=$((_i + 1))
	done
}
# more than a pipe buffer (64 KiB) of output, so the writer meets the closed pipe
credentials 60 >many.yaml

t "a reader that closes the pipe (EPIPE)"
# shellcheck disable=SC2016 # expanded by the inner sh
run sh -c '{ "$0" render "$1"; echo $? >"$2"; } | true' "$BIN" many.yaml "$T/status"
check "exit 2" test "$(cat "$T/status")" = 2
check "one message" test "$(grep -c . "$_err")" = 1
expect_stderr_contains 'cannot write to standard output'

if [ -w /dev/full ]; then
	t "standard error on a full disk"
	printf 'a: 1\na: 2\n' >dup.yaml
	# shellcheck disable=SC2016
	expect_exit 2 sh -c '"$0" lint "$1" 2>/dev/full' "$BIN" dup.yaml

	t "schema and --help on a full disk"
	# shellcheck disable=SC2016
	expect_exit 2 sh -c '"$0" schema >/dev/full' "$BIN"
	expect_stderr_contains 'cannot write to standard output'
	# shellcheck disable=SC2016
	expect_exit 2 sh -c '"$0" --help >/dev/full' "$BIN"

	t "render -o /dev/full"
	expect_exit 2 "$BIN" render -o /dev/full enabled.yaml
	expect_stderr_contains "cannot write '/dev/full'"
	check "/dev/full is still a device" test -c /dev/full
else
	skip "full disk" "no /dev/full"
fi

t "render -o through a symlink replaces the target and keeps the link"
mkdir out
echo old >out/target.yaml
ln -s target.yaml out/link.yaml
expect_exit 0 "$BIN" render -o out/link.yaml enabled.yaml
check "still a link" test -L out/link.yaml
expect_file_contains out/target.yaml 'kind: "ClusterPolicy"'
expect_files out link.yaml target.yaml

t "render -o onto a directory"
mkdir out/dir
expect_exit 2 "$BIN" render -o out/dir enabled.yaml
expect_stderr_contains "cannot write 'out/dir'"
expect_files out dir link.yaml target.yaml

t "render -o /dev/stdout writes through"
expect_exit 0 "$BIN" render -o /dev/stdout enabled.yaml
expect_stdout_contains 'kind: "ClusterPolicy"'

finish

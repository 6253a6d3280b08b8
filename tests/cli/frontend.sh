#!/bin/sh
# frontend.sh - one front end for every YAML input: the same line breaks (CR,
# CR LF, NEL, LS, PS as libyaml counts them) and the same budgets for values
# files, manifests and namespace lists; a values file is read once.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

cat >values.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecret: regcred
EOF2

t "a manifest with CR line ends: positions of a reader error"
printf 'apiVersion: v1\rkind: Pod\rmetadata: {name: x}\rspec: {containers: [{name: "\377"}]}\r' >cr.yaml
expect_exit 1 "$BIN" preview -f values.yaml cr.yaml
expect_stderr_contains 'cr.yaml:4:29: error: invalid leading UTF-8 octet'

t "a manifest with CR LF line ends"
printf 'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: x}\r\nspec: {containers: [{name: "\377"}]}\r\n' >crlf.yaml
expect_exit 1 "$BIN" preview -f values.yaml crlf.yaml
expect_stderr_contains 'crlf.yaml:4:29: error'

t "NEL, LS and PS end lines in manifests too"
printf '# a\302\205# b\342\200\250# c\342\200\251apiVersion: v1\nkind: Pod\nmetadata: {name: "\377"}\n' >nel.yaml
expect_exit 1 "$BIN" preview -f values.yaml nel.yaml
expect_stderr_contains 'nel.yaml:6:'

t "--max-nodes bounds preview"
{
	echo 'apiVersion: v1'
	echo 'kind: List'
	echo 'items:'
	i=0
	while [ $i -lt 400 ]; do
		echo "  - {kind: ConfigMap, metadata: {name: c$i}, data: {a: b}}"
		i=$((i + 1))
	done
} >many.yaml
expect_exit 1 "$BIN" preview --max-nodes 1000 -f values.yaml many.yaml
expect_stderr_contains '[DKF113]'
expect_stdout_empty
expect_exit 0 "$BIN" preview --max-nodes 100000 -f values.yaml many.yaml

t "--max-nodes bounds namespaces --from JSON"
{
	printf '{"kind": "List", "items": ['
	i=0
	while [ $i -lt 300 ]; do
		printf '{"kind": "Namespace", "metadata": {"name": "ns-%d"}},' $i
		i=$((i + 1))
	done
	printf '{"kind": "Namespace", "metadata": {"name": "last"}}]}\n'
} >ns.json
expect_exit 1 "$BIN" namespaces --max-nodes 500 -f values.yaml --from ns.json
expect_stderr_contains '[DKF113]'
expect_exit 0 "$BIN" namespaces --max-nodes 100000 -f values.yaml --from ns.json

t "--max-depth bounds manifests"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: [[[[[[[[[[1]]]]]]]]]]\n' >deep.yaml
expect_exit 1 "$BIN" preview --max-depth 5 -f values.yaml deep.yaml
expect_stderr_contains '[DKF109]'

t "a values file is read once, its suppression markers included"
cat >marked.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true  # dkfpolicy: ignore[DKF302]
        excludeNamespaces: [argocd]  # dkfpolicy: ignore[DKF301]
EOF2
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
	# LeakSanitizer cannot run under ptrace; the sanitizer build's leak
	# check runs in every other test
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export ASAN_OPTIONS
	run strace -f -e trace=open,openat -o trace.txt "$BIN" lint --format json marked.yaml
	check "exit 0 (the warning is silenced)" [ "$_run_code" = 0 ]
	opens=$(grep -c 'marked\.yaml' trace.txt || :)
	check "opened once for loading and suppressions (opened $opens times)" [ "$opens" = 1 ]
	# text quotes the public lines of findings: one more read, near those lines
	run strace -f -e trace=open,openat -o trace.txt "$BIN" lint --strict --color=never marked.yaml
	opens=$(grep -c 'marked\.yaml' trace.txt || :)
	check "at most once more for excerpts (opened $opens times)" [ "$opens" -le 2 ]
else
	skip "opened once" "needs strace that may trace here"
fi

t "a namespace list counts lines as YAML does (NEL, LS, PS, lone CR)"
printf 'team-1\302\205team-2\342\200\250Team-3\n' >ns.txt
expect_exit 1 "$BIN" namespaces -f values.yaml --from ns.txt
expect_stderr_contains 'ns.txt:3:1: error: this is not a namespace name'
printf 'team-a\rteam-b\r' >cr.txt
expect_exit 0 "$BIN" namespaces -f values.yaml --from cr.txt
expect_stdout_matches '^team-a +cloned'
expect_stdout_matches '^team-b +cloned'

finish

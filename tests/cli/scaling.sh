#!/bin/sh
# scaling.sh - inputs that were quadratic (or worse) in an earlier version,
# at sizes where that took tens of seconds to minutes: each must still give
# the right answer. How the time grows is measured by `make bench` (its
# scaling rows run each of these at N and 2N); run-tests.sh's per-script
# timeout is the only clock here.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

B='deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:'

t "80,000 anchors (a linear anchor table cost N squared string compares)"
awk 'BEGIN { for (i = 0; i < 80000; i++) printf "k%d: &a%d v\n", i, i; print "last: *a79999" }' >anchors.yaml
expect_exit 0 "$BIN" lint anchors.yaml
expect_stderr_empty

t "a '<<' merge of a map of 40,000 keys into another (each key was looked up in all)"
awk 'BEGIN { print "base: &base"; for (i = 0; i < 40000; i++) printf "  k%d: v\n", i
	print "other: &other"; print "  <<: *base"; print "  k7: override"
	for (i = 0; i < 40000; i++) printf "  j%d: v\n", i }' >merge.yaml
expect_exit 0 "$BIN" lint merge.yaml
expect_stderr_empty

t "300 findings at the end of a 5 MB file (each excerpt read the file from its start)"
{
	awk 'BEGIN { for (i = 0; i < 120000; i++) printf "key%d: value %d with some padding text\n", i, i }'
	printf '%s\n        enabled: true\n        registryCredentials: [{existingSecret: a}]\n        excludeNamespaces:\n' "$B"
	awk 'BEGIN { for (i = 0; i < 300; i++) printf "          - \"Bad_%d\"\n", i }'
} >deep.yaml
expect_exit 1 "$BIN" lint deep.yaml
check "300 findings" [ "$(grep -c '\[DKF210\]$' "$_err")" = 300 ]
expect_stderr_contains '120307 |           - "Bad_299"'

t "20,000 findings and 20,000 unused suppressions in one file"
{
	printf '%s\n        enabled: true\n        registryCredentials: [{existingSecret: a}]\n        excludeNamespaces:\n' "$B"
	awk 'BEGIN { for (i = 0; i < 20000; i++) printf "          - \"Bad_%d\"  # dkfpolicy: ignore[DKF305]\n", i }'
} >supp.yaml
expect_exit 1 "$BIN" lint --format json supp.yaml
check "every finding and every unused marker" [ "$(grep -c '"code": "DKF210"' "$_out")" = 20000 ] && [ "$(grep -c '"code": "DKF121"' "$_out")" = 20000 ]

t "a manifest of 20,000 anchors and aliases (preview looked every alias up in all)"
{
	printf '%s\n        enabled: true\n        registryCredentials: [{existingSecret: a}]\n' "$B" >values.yaml
	echo 'apiVersion: v1'
	echo 'kind: List'
	echo 'items:'
	awk 'BEGIN { for (i = 0; i < 20000; i++) printf "  - {kind: ConfigMap, metadata: {name: &n%d c%d}, data: {x: *n%d}}\n", i, i, i }'
} >manifest.yaml
expect_exit 0 "$BIN" preview -f values.yaml manifest.yaml
check "every manifest listed" [ "$(grep -c 'ConfigMap' "$_out")" = 20000 ]

t "2,000 files on one command line"
i=0
while [ $i -lt 2000 ]; do
	printf '%s\n        enabled: maybe\n' "$B" >"f$i.yaml"
	i=$((i + 1))
done
run sh -c '"$0" lint f*.yaml' "$BIN"
check "one warning per file" [ "$(grep -c '\[DKF304\]$' "$_err")" = 2000 ]

finish

#!/bin/sh
# run.sh - behind `make fuzz`: run each libFuzzer harness for SECONDS, seeded with the
# values files under testdata/ (copied into a corpus folder the fuzzer may grow).
#
# usage: sh fuzz/run.sh BUILDDIR SECONDS HARNESS...
# Crash inputs are written to BUILDDIR/artifacts/; exit 1 when a harness failed.
set -u
[ $# -ge 3 ] || { echo "usage: sh fuzz/run.sh BUILDDIR SECONDS HARNESS..." >&2; exit 2; }
build=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$build/artifacts"
status=0
for harness in "$@"; do
	name=${harness##*/}
	corpus=$build/corpus-$name
	mkdir -p "$corpus"
	# seeds: every values file and stdin of the golden cases (cheap to redo)
	for f in "$here"/../testdata/*/*.yaml "$here"/../testdata/*/stdin; do
		[ -f "$f" ] || continue
		case=${f%/*}
		cp "$f" "$corpus/seed-${case##*/}-${f##*/}"
	done
	echo "== $name: ${seconds}s, corpus $corpus"
	if ! "$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$name-" "$corpus"; then
		echo "== $name: FAILED (inputs in $build/artifacts/)"
		status=1
	else
		echo "== $name: ok"
	fi
done
exit "$status"

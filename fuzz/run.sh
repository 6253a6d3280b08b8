#!/bin/sh
# run.sh - behind `make fuzz`: run each libFuzzer harness for SECONDS, seeded from
# testdata/ (copied into a corpus folder the fuzzer may grow): fuzz_config gets the
# configuration files (.dkfpolicy.yaml, *config*.yaml), the others the values files.
# A fuzz/NAME.dict next to a harness is passed as its libFuzzer dictionary.
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
	# seeds from the golden cases (cheap to redo)
	case $name in
	fuzz_config) seeds="$here/../testdata/*/.dkfpolicy.yaml $here/../testdata/*/*config*.yaml" ;;
	*) seeds="$here/../testdata/*/*.yaml $here/../testdata/*/stdin" ;;
	esac
	for f in $seeds; do
		[ -f "$f" ] || continue
		case=${f%/*}
		cp "$f" "$corpus/seed-${case##*/}-${f##*/}"
	done
	dict=
	[ -f "$here/$name.dict" ] && dict="-dict=$here/$name.dict"
	echo "== $name: ${seconds}s, corpus $corpus"
	# shellcheck disable=SC2086 # $dict: no option or one word
	if ! "$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 $dict \
		-artifact_prefix="$build/artifacts/$name-" "$corpus"; then
		echo "== $name: FAILED (inputs in $build/artifacts/)"
		status=1
	else
		echo "== $name: ok"
	fi
done
exit "$status"

#!/bin/sh
# run.sh - behind `make fuzz`: run each libFuzzer harness for SECONDS, seeded
# (into a corpus folder the fuzzer may grow) from two places:
#   fuzz/corpus/HARNESS/   small hand-written inputs of the hostile shapes of
#                          issue 14 (NEL, LS and PS line breaks, control
#                          characters in keys and names, BOM, CR line ends,
#                          several documents, aliases, suppressions)
#   testdata/              the golden cases' inputs: fuzz_config their
#                          configuration files, fuzz_preview their manifests,
#                          fuzz_nslist their namespace lists, the others their
#                          values files
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
data=$here/../testdata
mkdir -p "$build/artifacts"
# The report harnesses allocate and free a few 100 KB per input: with ASan's
# default 256 MB quarantine nearly every page is fresh, and page faults took
# a third of the time. 16 MB still holds the frees of many inputs.
ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16}
export ASAN_OPTIONS
status=0
for harness in "$@"; do
	name=${harness##*/}
	corpus=$build/corpus-$name
	mkdir -p "$corpus"
	# seeds from the golden cases (cheap to redo); a case's expected output is no input
	case $name in
	fuzz_config) seeds="$data/*/.dkfpolicy.yaml $data/*/*config*.yaml" ;;
	fuzz_preview) seeds="$data/preview-*/*" ;;
	fuzz_nslist) seeds="$data/namespaces-*/*" ;;
	*) seeds="$data/*/*.yaml $data/*/stdin" ;;
	esac
	for f in $seeds; do
		[ -f "$f" ] || continue
		case $name:${f##*/} in
		*:args | *:exit | *:stdout | *:stderr) continue ;;
		fuzz_preview:values*.yaml | fuzz_nslist:values*.yaml) continue ;; # the stack, not the input
		esac
		case=${f%/*}
		cp "$f" "$corpus/seed-${case##*/}-${f##*/}"
	done
	for f in "$here/corpus/$name"/*; do
		[ -f "$f" ] && cp "$f" "$corpus/hostile-${f##*/}"
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

#!/bin/sh
# bench/run.sh - what `make bench` runs.
#
# usage: sh bench/run.sh DKFPOLICY TOOLDIR [RUNS]
#
# TOOLDIR holds the built floor, gen and measure programs; the inputs are
# generated there too (deterministic, so every run measures the same bytes).
# For each input, `dkfpolicy lint`, `dkfpolicy render` and the floor (every
# libyaml event pulled, nothing else) run in alternation, RUNS times each
# (default 15) after a warm-up round. The inputs that take milliseconds
# (typical, wide, small) run 3 x RUNS times: one such run on a shared
# machine varies by a third, and a round costs next to nothing. Prints a
# Markdown table of median times, median ratios to the floor and peak RSS,
# then checks the targets of issue 6; exit 1 when one is missed.
#
# Ratios are judged on CPU time (user + system of the process): on a shared
# machine, elapsed time mostly measures the neighbours. Elapsed-time ratios
# are printed as well.

set -eu
export LC_ALL=C

[ $# -ge 2 ] || { echo "usage: sh bench/run.sh DKFPOLICY TOOLDIR [RUNS]" >&2; exit 2; }
bin=$1
dir=$2
runs=${3:-15}
short_runs=$((3 * runs))
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
here=$(cd "$(dirname "$0")" && pwd)
schema=$here/../schemas/dkfpolicy-values.schema.json

inputs=$dir/inputs
mkdir -p "$inputs"
for kind in small typical large wide deep; do
	[ -s "$inputs/$kind.yaml" ] && [ "$inputs/$kind.yaml" -nt "$dir/gen" ] ||
		"$dir/gen" "$kind" "$inputs/$kind.yaml"
done
if [ ! -s "$inputs/many/values-499.yaml" ] || [ "$dir/gen" -nt "$inputs/many/values-499.yaml" ]; then
	"$dir/gen" many "$inputs/many"
fi
cd "$inputs"
many_files=$(ls many/*.yaml)

# Python JSON-Schema validation, as context only: a check-jsonschema style hook.
python=
if command -v python3 >/dev/null 2>&1; then
	if ! python3 -c 'import jsonschema, yaml' 2>/dev/null && [ -z "${DKF_NO_INSTALL-}" ] &&
		[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench: installing python3-jsonschema and python3-yaml for the context column" >&2
		apt-get install -y -q python3-jsonschema python3-yaml >/dev/null 2>&1 || true
	fi
	python3 -c 'import jsonschema, yaml' 2>/dev/null && python=python3
fi

results=$dir/results.txt
# rounds of the scaling rows: a third of RUNS, at least 5
scale_runs=$(((runs + 2) / 3))
[ "$scale_runs" -ge 5 ] || scale_runs=5
# BENCH_REPORT_ONLY=1 prints the table of the last run again without measuring
if [ -z "${BENCH_REPORT_ONLY-}" ]; then
echo "runs $runs $short_runs $scale_runs" >"$results"

# bench NAME RUNS FILE...: floor, lint and render on the files
bench() {
	name=$1 n=$2
	shift 2
	echo "bench: $name ($n runs each)" >&2
	"$dir/measure" "$n" -- floor "$dir/floor" "$@" -- lint "$bin" lint "$@" \
		-- render "$bin" render "$@" | sed "s/^/$name /" >>"$results"
}

bench typical "$short_runs" typical.yaml
bench large "$runs" large.yaml
# large's size with 300 findings at its very end: excerpts and sorting on top
bench deep "$runs" deep.yaml
# With 2,000 credentials the policy is 4 MB as JSON, over the 1.5 MiB etcd
# stores, so `render` sizes it and refuses (DKF411, exit 1): that is the
# target's row. The whole policy, written with the check off, is measured too.
printf 'rules:\n  off: [policy-too-large]\n' >size-check-off.yaml
echo "bench: wide ($short_runs runs each)" >&2
"$dir/measure" "$short_runs" -- floor "$dir/floor" wide.yaml -- lint "$bin" lint wide.yaml \
	-- render "$bin" render wide.yaml \
	-- render-whole "$bin" render --config size-check-off.yaml wide.yaml |
	sed "s/^/wide /" >>"$results"
# shellcheck disable=SC2086 # one word per file
bench many "$runs" $many_files
echo "bench: small ($short_runs runs each)" >&2
"$dir/measure" "$short_runs" -- floor "$dir/floor" small.yaml -- start "$bin" --version \
	-- lint "$bin" lint small.yaml -- render "$bin" render small.yaml |
	sed "s/^/small /" >>"$results"

# Scaling rows: each path that was quadratic (issue 14), at N and 2N in one
# measure call (alternating rounds); the ratio of the CPU times is about 2 when
# the path is linear, 4 when it is quadratic. N is chosen so that a run at 2N
# takes a tenth of a second or so: large enough to dwarf process start.
m() { "$dir/measure" "$scale_runs" "$@"; }
# scale KIND N: generate KIND at N and 2N (bench/gen.c) and time dkfpolicy on both
scale() {
	kind=$1 n=$2
	a=scale/$kind-$n b=scale/$kind-$((2 * n))
	for d in "$a" "$b"; do
		if [ ! -e "$d/.done" ] || [ "$dir/gen" -nt "$d/.done" ]; then
			rm -rf "$d"
			mkdir -p "$d"
			"$dir/gen" scale "$kind" "${d##*-}" "$d" && : >"$d/.done"
		fi
	done
	echo "bench: scaling $kind at $n and $((2 * n)) ($scale_runs runs each)" >&2
	echo "scalesize scale-$kind $n" >>"$results"
	case $kind in
	nslist | wildcard)
		m -- n "$bin" namespaces -f "$a/values.yaml" --from "$a/namespaces.txt" \
			-- 2n "$bin" namespaces -f "$b/values.yaml" --from "$b/namespaces.txt" ;;
	rules)
		m -- n "$bin" lint --config "$a/dkfpolicy.yaml" "$a/values.yaml" \
			-- 2n "$bin" lint --config "$b/dkfpolicy.yaml" "$b/values.yaml" ;;
	preview)
		m -- n "$bin" preview -f "$a/values.yaml" "$a/manifest.yaml" \
			-- 2n "$bin" preview -f "$b/values.yaml" "$b/manifest.yaml" ;;
	files) m -- n "$bin" lint "$a"/f*.yaml -- 2n "$bin" lint "$b"/f*.yaml ;;
	*) m -- n "$bin" lint "$a/values.yaml" -- 2n "$bin" lint "$b/values.yaml" ;;
	esac | sed "s/^/scale-$kind /" >>"$results"
}
mkdir -p scale
scale anchors 20000
scale aliases 8000
scale nslist 25000
scale rules 8000
scale suppressions 5000
scale profiles 20000
scale preview 6000
scale merge 10000
scale files 1000
scale deep 40000
scale wildcard 20000

if [ -n "$python" ]; then
	for name in small typical large wide many; do
		case $name in
		many) files=$many_files ;;
		*) files=$name.yaml ;;
		esac
		n=3
		[ "$name" = large ] && n=1
		echo "bench: python jsonschema on $name ($n runs)" >&2
		# shellcheck disable=SC2086
		"$dir/measure" "$n" -- floor "$dir/floor" $files \
			-- python python3 "$here/jsonschema_check.py" "$schema" $files |
			sed -n "s/^python /$name python /p" >>"$results"
	done
fi

fi

size() {
	wc -c "$@" | awk '$2 != "total" { s += $1 } END { if (s >= 1048576) printf "%.1f MB", s / 1048576; else printf "%.1f KB", s / 1024 }'
}
sizes="typical=$(size typical.yaml);large=$(size large.yaml);deep=$(size deep.yaml);wide=$(size wide.yaml);many=500 × $(size many/values-000.yaml);small=$(size small.yaml)"

awk -v sizes="$sizes" -v runs="$runs" '
function ms(s) { return sprintf("%.1f ms", s * 1000) }
function mib(k) { return sprintf("%.1f MiB", k / 1024) }
BEGIN {
	n = split(sizes, kv, ";")
	for (i = 1; i <= n; i++) { split(kv[i], p, "="); size[p[1]] = p[2] }
}
$1 == "runs" { runs = $2; short_runs = $3 ? $3 : $2; scale_runs = $4; next }
$1 == "scalesize" { scale_n[$2] = $3; scales[++scale_count] = $2; next }
{
	# input label wall wall_ratio cpu cpu_ratio rss exit
	key = $1 SUBSEP $2
	wall[key] = $3; wratio[key] = $4; cpu[key] = $5; cratio[key] = $6; rss[key] = $7
	status[key] = $8
}
END {
	printf "| input | size | floor | lint | lint / floor | render | render / floor | peak RSS (lint, render) | Python JSON Schema |\n"
	printf "|---|---|---|---|---|---|---|---|---|\n"
	split("typical large deep wide many small", order, " ")
	bad = 0
	for (i = 1; i <= 6; i++) {
		in_ = order[i]
		f = in_ SUBSEP "floor"; l = in_ SUBSEP "lint"; r = in_ SUBSEP "render"
		pk = in_ SUBSEP "python"
		py = (pk in cpu) ? ms(cpu[pk]) : "skipped"
		printf "| %s | %s | %s | %s | **%.2f** (%.2f) | %s | **%.2f** (%.2f) | %s, %s | %s |\n", \
			in_, size[in_], ms(cpu[f]), ms(cpu[l]), cratio[l], wratio[l], \
			ms(cpu[r]), cratio[r], wratio[r], mib(rss[l]), mib(rss[r]), py
		if (status[l] > 1 || status[r] > 1) {
			printf "dkfpolicy failed on %s (exit %d, %d)\n", in_, status[l], status[r] > "/dev/stderr"
			bad = 1
		}
	}
	s = "small" SUBSEP "start"
	w = "wide" SUBSEP "render-whole"
	printf "\nTimes are medians of %d runs (%d for large and many) of CPU time (user + system);\n", short_runs, runs
	printf "ratios are medians of per-round ratios to the floor, CPU time in bold, elapsed time\n"
	printf "in brackets. Process start alone (`dkfpolicy --version`): %s; lint of the 1 KB\n", ms(cpu[s])
	printf "file: %s.", ms(cpu["small" SUBSEP "lint"])
	if (w in cpu) {
		printf " On wide, render refuses the 4 MB policy (DKF411, over what etcd\n"
		printf "stores); written whole with that check off it takes %s, **%.2f** (%.2f) x the\n", ms(cpu[w]), cratio[w], wratio[w]
		printf "floor, peak RSS %s.", mib(rss[w])
	}
	printf "\n\n"
	if ((w in cpu) && status[w] != 0) {
		printf "dkfpolicy failed to render wide whole (exit %d)\n", status[w] > "/dev/stderr"
		bad = 1
	}

	# the targets of issue 6; deep: they hold with findings too (issue 14)
	split("typical large many deep", fast, " ")
	for (i = 1; i <= 4; i++)
		for (j = 1; j <= 2; j++) {
			cmd = j == 1 ? "lint" : "render"
			k = fast[i] SUBSEP cmd
			if (cratio[k] > 1.25) { printf "MISSED: %s on %s is %.2f x the floor (target 1.25)\n", cmd, fast[i], cratio[k]; bad = 1 }
		}
	k = "wide" SUBSEP "render"
	if (cratio[k] > 2) { printf "MISSED: render on wide is %.2f x the floor (target 2)\n", cratio[k]; bad = 1 }
	for (j = 1; j <= 2; j++) {
		k = "large" SUBSEP (j == 1 ? "lint" : "render")
		if (rss[k] > 8192) { printf "MISSED: peak RSS on large is %s (target 8 MiB)\n", mib(rss[k]); bad = 1 }
	}
	# 1 KB: set-up must not dominate process start
	k = "small" SUBSEP "lint"
	if (cpu[k] > 1.25 * cpu[s]) { printf "MISSED: lint of 1 KB takes %s, process start %s (target 1.25 x)\n", ms(cpu[k]), ms(cpu[s]); bad = 1 }

	# the scaling rows (issue 14)
	what["scale-anchors"] = "N anchors defined"
	what["scale-aliases"] = "N aliases of one bad name"
	what["scale-nslist"] = "`namespaces --from` a list of N names"
	what["scale-rules"] = "N unknown rule names in `.dkfpolicy.yaml`"
	what["scale-suppressions"] = "N findings, each with an unused suppression"
	what["scale-profiles"] = "N profiles, a wildcard exclude"
	what["scale-preview"] = "`preview` of N objects, an anchor and an alias each"
	what["scale-merge"] = "`<<` of an anchored map of N keys into another"
	what["scale-files"] = "N files on one command line"
	what["scale-deep"] = "N lines, then N / 400 findings at the end"
	what["scale-wildcard"] = "`*a*a*a*a*a*a*a*a*a*a*a*a*b` against N near-matching names"
	if (scale_count) {
		printf "| path | N | at N | at 2N | 2N / N |\n|---|---|---|---|---|\n"
		for (i = 1; i <= scale_count; i++) {
			k = scales[i]
			a = k SUBSEP "n"; b = k SUBSEP "2n"
			printf "| %s | %d | %s | %s | **%.2f** (%.2f) |\n", what[k], scale_n[k], \
				ms(cpu[a]), ms(cpu[b]), cratio[b], wratio[b]
			if (status[a] > 1 || status[b] > 1) {
				printf "dkfpolicy failed on %s (exit %d, %d)\n", k, status[a], status[b] > "/dev/stderr"
				bad = 1
			}
		}
		printf "\nCPU time at N and 2N, medians of %d alternating rounds; the ratio is the median\n", scale_runs
		printf "of per-round ratios (CPU in bold, elapsed in brackets): about 2 is linear, 4 quadratic.\n\n"
		# a judgement of this bench, on a shared machine; no test times anything
		for (i = 1; i <= scale_count; i++) {
			k = scales[i]
			if (cratio[k SUBSEP "2n"] > 3) {
				printf "MISSED: %s: 2N takes %.2f x the time of N (linear is about 2; the bench allows 3)\n", what[k], cratio[k SUBSEP "2n"]
				bad = 1
			}
		}
	}

	if (!bad)
		print "bench: every target met"
	exit bad
}' "$results"

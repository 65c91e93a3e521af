#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# campaign.sh: a libFuzzer campaign over every parser target (not run in CI).
#
#   tests/fuzz/campaign.sh [-r RUNS] [-b BUILDDIR] [-w WORKDIR] [TARGET...]
#
# Builds the fuzz targets with clang, libFuzzer, ASan and UBSan (meson option
# fuzzing=true, every UBSan check fatal) in BUILDDIR (default build-fuzz), runs
# each target for RUNS executions (default 10000000) on one core, one target
# after the other, starting from its corpus in tests/fuzz/corpus/TARGET, then
# merges what it found back into that corpus, minimised (-merge=1: only inputs
# that add coverage are kept). A crash stops that target; its input is kept in
# WORKDIR/TARGET/crashes/ (WORKDIR: build-fuzz-campaign by default) and named
# in the summary; add it to the corpus once fixed, so the fuzz suite replays it.
#
# A fuzzer stopped with SIGINT (kill -INT PID) ends its target early: what it
# found is still merged, and the summary has its executions. Rerunning
# continues from WORKDIR/TARGET/new.
#
# Writes WORKDIR/summary.tsv: target, executions, seconds, coverage (edges),
# features, corpus files before and after the merge, findings. Run it niced:
#   nice -n 19 tests/fuzz/campaign.sh
set -u

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
runs=10000000
build=$src/build-fuzz
work=$src/build-fuzz-campaign
while getopts r:b:w:h opt; do
	case $opt in
	r) runs=$OPTARG ;;
	b) build=$OPTARG ;;
	w) work=$OPTARG ;;
	h)
		sed -n '4,23p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "Try 'campaign.sh -h' for more information." >&2
		exit 2
		;;
	esac
done
shift $((OPTIND - 1))
case $runs in
'' | *[!0-9]*)
	echo "campaign.sh: -r wants a number of executions, not '$runs'" >&2
	exit 2
	;;
esac

# target name, executable path under the build directory
all="stat:tests/fuzz-stat status:tests/fuzz-status cgroup:tests/fuzz-cgroup
mountinfo:tests/fuzz-mountinfo nslink:tests/fuzz-nslink passwd:tests/fuzz-passwd
cpulist:tests/fuzz-cpulist json:tests/fuzz-json ct-pb:tests/containers/fuzz-ct-pb
ct-json:tests/containers/fuzz-ct-json ct-text:tests/containers/fuzz-ct-text
http:tests/service/fuzz-http
request-line:tests/service/fuzz-request-line"
targets=()
if [ $# -eq 0 ]; then
	targets=($all)
else
	for t in "$@"; do
		found=
		for a in $all; do
			[ "${a%%:*}" = "$t" ] && found=$a
		done
		if [ -z "$found" ]; then
			echo "campaign.sh: no fuzz target '$t' (known:$(for a in $all; do printf ' %s' "${a%%:*}"; done))" >&2
			exit 2
		fi
		targets+=("$found")
	done
fi

command -v clang >/dev/null || {
	echo "campaign.sh: clang is needed (apt-get install clang)" >&2
	exit 1
}
mkdir -p "$work"
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$src" -Dfuzzing=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dwerror=false --buildtype=debugoptimized \
		-Dc_args=-fno-sanitize-recover=all >"$work/setup.log" 2>&1 || {
		echo "campaign.sh: meson setup failed, see $work/setup.log" >&2
		exit 1
	}
fi
exes=()
for t in "${targets[@]}"; do
	exes+=("${t#*:}")
done
ninja -C "$build" -j1 "${exes[@]}" >"$build/campaign-build.log" 2>&1 || {
	echo "campaign.sh: build failed, see $build/campaign-build.log" >&2
	exit 1
}

export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
summary=$work/summary.tsv
[ -f "$summary" ] || printf 'target\texecutions\tseconds\tcoverage\tfeatures\tcorpus_before\tcorpus_after\tfindings\n' >"$summary"
status=0
for t in "${targets[@]}"; do
	name=${t%%:*}
	exe=$build/${t#*:}
	corpus=$src/tests/fuzz/corpus/$name
	mkdir -p "$corpus" "$work/$name/new" "$work/$name/crashes"
	before=$(find "$corpus" -type f | wc -l)
	log=$work/$name/fuzz.log
	start=$(date +%s)
	"$exe" -runs="$runs" -print_final_stats=1 -max_total_time=0 \
		-artifact_prefix="$work/$name/crashes/" -rss_limit_mb=2048 \
		"$work/$name/new" "$corpus" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	findings=$(find "$work/$name/crashes" -type f | wc -l)
	# keep what adds coverage, minimised, in the repository's corpus
	"$exe" -merge=1 "$corpus" "$work/$name/new" >"$work/$name/merge.log" 2>&1
	after=$(find "$corpus" -type f | wc -l)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${execs:-?}" "$secs" "${cov:-?}" \
		"${ft:-?}" "$before" "$after" "$findings" >>"$summary"
	if [ "$findings" -ne 0 ]; then
		echo "campaign.sh: $name: finding(s) in $work/$name/crashes (log $log)" >&2
		status=1
	elif [ "$rc" -ne 0 ]; then
		# SIGINT (kill -INT the fuzzer's PID): stops early, merges what it has
		echo "campaign.sh: $name: stopped after ${execs:-?} executions (exit $rc, log $log)" >&2
	fi
done
column -t "$summary"
exit $status

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# cache-scale.sh - the per-process costs of `dumpns -c --threads 1` that do
# not depend on how busy the machine is: user-space instructions and cache
# misses (cachegrind with fixed caches: 32 KiB 8-way I1/D1, 4 MiB 16-way LL),
# syscalls (strace -c) and max RSS (median of 3), against the full floor's
# syscalls and RSS, per load.  Give a second dumpns with -b to measure a
# before and an after in the same load (e.g. main built in another dir).
#
#   bench/cache-scale.sh [-B BUILDDIR] [-b BASE_DUMPNS] [-o OUTDIR] [LOAD...]
#
#   -B  build dir with bench/nsload, bench/nsfloor, bench/benchrun and
#       tools/dumpns (default ./build)
#   -b  another dumpns, measured as "base" in the same load
#   -o  raw results (default /tmp/cache-scale.<time>)
#   LOAD  S, M, L or P<procs> as in compare.sh (default: L P20000)
#
# Needs root, valgrind and strace.  Each load runs inside nsload, which
# tears it down when the measurement ends.
set -euo pipefail

die() { echo "cache-scale.sh: $*" >&2; exit 1; }

load_opts() {
	case $1 in
	S) echo "-p 200 -n 64" ;;
	M) echo "-p 1000 -n 200 -b 8 -F 8 -S 4 -m 4" ;;
	L) echo "-p 5000 -n 800 -b 16 -F 16 -S 8 -m 8" ;;
	P[0-9]*) echo "-p ${1#P} -n 64" ;;
	*) return 1 ;;
	esac
}

CACHES="--I1=32768,8,64 --D1=32768,8,64 --LL=4194304,16,64"

if [ "${1:-}" = "--inner" ]; then
	# --inner OUT BUILD NAME=DUMPNS...
	out=$2 build=$3
	shift 3
	sleep 2
	procs=$(find /proc -maxdepth 1 -name '[0-9]*' | wc -l)
	specs=("floor=$build/bench/nsfloor -l full")
	for s in "$@"; do specs+=("${s%%=*}=${s#*=} -c --threads 1"); done
	"$build/bench/benchrun" -r 3 -w 1 "${specs[@]}" >"$out/benchrun.tsv" || true
	for s in "${specs[@]}"; do
		name=${s%%=*}
		# shellcheck disable=SC2086 # the command lines are word lists
		timeout 600 strace -f -c -o "$out/$name.strace" ${s#*=} >/dev/null 2>&1 || true
		sc=$(awk '$NF == "total" {print $4}' "$out/$name.strace")
		rss=$(awk -F'\t' -v t="$name" '$1 == t {print $7}' "$out/benchrun.tsv")
		cg="NA NA NA NA NA NA NA NA NA"
		if [ "$name" != floor ]; then
			# shellcheck disable=SC2086
			timeout 900 valgrind --tool=cachegrind --cache-sim=yes $CACHES \
				--cachegrind-out-file="$out/$name.cg" ${s#*=} >/dev/null \
				2>"$out/$name.cg.log" || true
			cg=$(awk '/^summary:/ {$1 = ""; print}' "$out/$name.cg")
		fi
		# name procs syscalls rss Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw
		echo "$name $procs ${sc:-NA} ${rss:-NA} $cg" >>"$out/results"
	done
	exit 0
fi

BUILD=./build BASE="" OUTBASE=""
while getopts "B:b:o:h" opt; do
	case $opt in
	B) BUILD=$OPTARG ;;
	b) BASE=$OPTARG ;;
	o) OUTBASE=$OPTARG ;;
	h) sed -n '4,19p' "$0"; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
LOADS=("$@")
[ ${#LOADS[@]} -gt 0 ] || LOADS=(L P20000)
[ "$(id -u)" = 0 ] || die "must run as root"
for t in valgrind strace; do command -v $t >/dev/null || die "$t is missing"; done
BUILD=$(readlink -f "$BUILD")
for p in bench/nsload bench/nsfloor bench/benchrun tools/dumpns; do
	[ -x "$BUILD/$p" ] || die "no $BUILD/$p (build first)"
done
tools=("new=$BUILD/tools/dumpns")
if [ -n "$BASE" ]; then
	[ -x "$BASE" ] || die "no dumpns at $BASE"
	tools=("base=$(readlink -f "$BASE")" "${tools[@]}")
fi
[ -n "$OUTBASE" ] || OUTBASE=/tmp/cache-scale.$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUTBASE"
SELF=$(readlink -f "$0")

echo "| load | tool | processes | Ir/proc | D1 misses/proc (rd+wr) | LL misses/proc (rd+wr) | syscalls/proc | × floor | max RSS KiB | × floor |"
echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"
for load in "${LOADS[@]}"; do
	opts=$(load_opts "$load") || die "unknown load $load (S, M, L or P<procs>)"
	dir=$OUTBASE/$load
	mkdir -p "$dir"
	: >"$dir/results"
	# shellcheck disable=SC2086
	"$BUILD/bench/nsload" run -q $opts -- bash "$SELF" --inner "$dir" "$BUILD" "${tools[@]}" \
		2>"$dir/nsload.log" || { cat "$dir/nsload.log" >&2; die "load $load failed"; }
	awk -v load="$load" '
		$1 == "floor" { fsc = $3; frss = $4; next }
		{ line[++n] = $0 }
		END {
			for (i = 1; i <= n; i++) {
				split(line[i], f, " ")
				p = f[2]
				if (f[5] == "NA" || p == 0) { printf "| %s | %s | %d | NA | NA | NA | | | | |\n", load, f[1], p; continue }
				printf "| %s | %s | %d | %.0f | %.1f | %.2f | %.1f | %.2f | %d | %.2f |\n",
					load, f[1], p, f[5] / p, (f[9] + f[12]) / p, (f[10] + f[13]) / p,
					f[3] / p, f[3] / fsc, f[4], f[4] / frss
			}
		}' "$dir/results"
done
echo
echo "cache-scale.sh: raw data in $OUTBASE" >&2

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# compare.sh - run the benchmark loads and compare dumpns with the floor
# (nsfloor) and lsns.  Builds nothing: give it a meson build dir that has
# bench/nsload, bench/nsfloor, bench/benchrun (and tools/dumpns, once it exists).
#
#   bench/compare.sh [-B BUILDDIR] [-o OUTDIR] [-r RUNS] [-w WARMUP]
#                    [-s SETTLE] [-D DUMPNS] [-C BASE] [-x] [S] [M] [L] [P<procs>...]
#   bench/compare.sh [options] scale     (S M L P10000 P20000, one table)
#
#   -B  build dir (default ./build)
#   -o  where raw results and report.md go (default /tmp/nsbench.<time>)
#   -r  interleaved timing rounds (default S 15, M 10, L 5)
#   -w  warm-up rounds (default S 3, M 2, L 1)
#   -s  seconds to let the load settle before measuring (default 2)
#   -D  path of dumpns (default BUILDDIR/tools/dumpns[/dumpns])
#   -C  another dumpns (e.g. main's, built elsewhere) measured in the same
#       rounds as base, base-1t and base-ns: a before/after in one run
#   -x  skip the slow measurements (strace, callgrind)
#
# Loads (nsload options; no load named: S M L):
#   S  -p 200 -n 64
#   M  -p 1000 -n 200 -b 8 -F 8 -S 4 -m 4
#   L  -p 5000 -n 800 -b 16 -F 16 -S 8 -m 8
#   P<procs>  -p <procs> -n 64 (scaling in processes)
#   P<procs>t<k>  the same with k extra threads (not 4) in every 10th
#             sleeper: P30000t0, since 30,000 processes with 4 threads in
#             every 10th need 42,000 PIDs and pid_max is 32,768 here (a
#             child PID namespace cannot raise it past its parent's)
#   scale     S M L P10000 P20000, then one table of µs/proc and the ratios
#             per load (callgrind skips lsns on P loads: it is O(P²));
#             `scale S L P20000`: the same table for the loads named
#
# Needs root, strace, valgrind, jq and lsns (apt-get install strace valgrind
# jq util-linux).  Inside each load this script runs itself again (--inner)
# to measure; the report goes to OUTDIR/report.md and stdout.
set -euo pipefail

die() { echo "compare.sh: $*" >&2; exit 1; }

load_opts() {
	case $1 in
	S) echo "-p 200 -n 64" ;;
	M) echo "-p 1000 -n 200 -b 8 -F 8 -S 4 -m 4" ;;
	L) echo "-p 5000 -n 800 -b 16 -F 16 -S 8 -m 8" ;;
	P[0-9]*t[0-9]*) local n=${1#P}; echo "-p ${n%t*} -n 64 -t ${n#*t}" ;;
	P[0-9]*) echo "-p ${1#P} -n 64" ;;  # scaling in processes
	*) return 1 ;;
	esac
}

default_runs() { case $1 in S) echo 15 ;; M) echo 10 ;; *) echo 7 ;; esac; }
default_warmup() { case $1 in S) echo 3 ;; M) echo 2 ;; *) echo 1 ;; esac; }

# ---------------------------------------------------------------------------
# inner part: runs inside the load's sandbox
# ---------------------------------------------------------------------------

measure_syscalls() { # name cmd... -> total syscalls (strace -f -c)
	local name=$1; shift
	timeout 600 strace -f -c -o "$OUT/$name.strace" "$@" >/dev/null 2>&1 || true
	awk '$NF == "total" {print $4}' "$OUT/$name.strace" 2>/dev/null | grep . || echo NA
}

measure_ir() { # name cmd... -> user-space instructions (callgrind, all processes)
	local name=$1 f v total=0 any=
	shift
	timeout 900 valgrind --tool=callgrind --log-file="$OUT/$name.valgrind.log" \
		--callgrind-out-file="$OUT/$name.callgrind.%p" "$@" >/dev/null 2>&1 || true
	for f in "$OUT/$name".callgrind.*; do
		[ -e "$f" ] || continue
		v=$(awk '/^(summary|totals):/ {print $2; exit}' "$f")
		[ -n "$v" ] && { total=$((total + v)); any=1; }
		rm -f "$f"
	done
	[ -n "$any" ] && echo "$total" || echo NA
}

found_list() { # name -> writes $OUT/$name.ns ("type ino", sorted by ino)
	local name=$1
	# shellcheck disable=SC2086 # DUMPNS_NS_FLAGS is a word list
	case $name in
	floor-full) "$NSFLOOR" -l full -PP -q ;;
	floor-ns) "$NSFLOOR" -l ns -PP -q ;;
	lsns) lsns -n -o TYPE,NS ;;
	dumpns) "$DUMPNS" -c | jq -r '.namespaces | to_entries[] | "\(.value.type) \(.key)"' ;;
	dumpns-1t) "$DUMPNS" -c --threads 1 | jq -r '.namespaces | to_entries[] | "\(.value.type) \(.key)"' ;;
	dumpns-ns) "$DUMPNS" -c $DUMPNS_NS_FLAGS | jq -r '.namespaces | to_entries[] | "\(.value.type) \(.key)"' ;;
	esac 2>"$OUT/$name.found.err" | awk 'NF >= 2' | sort -k2,2 -u >"$OUT/$name.ns" || true
	wc -l <"$OUT/$name.ns"
}

# lsns-equivalent work: the namespaces of processes, no tasks, fds, mounts,
# freezer, affinity or NSpid (user names stay: lsns shows users too)
DUMPNS_NS_FLAGS="--no-tasks --no-fds --no-sockets --no-bindmounts --no-hierarchy --no-ownership --no-mounts --no-freezer --no-affinity --no-pidmap"

inner() {
	# inner LOAD OUTDIR NSFLOOR BENCHRUN DUMPNS RUNS WARMUP SLOW SETTLE [BASE]
	local load=$1 runs=$6 warmup=$7 slow=$8 settle=$9 base=${10:-}
	OUT=$2 NSFLOOR=$3 BENCHRUN=$4 DUMPNS=$5
	mkdir -p "$OUT"
	# tool name -> command line
	local -a names=()
	declare -A cmd
	if [ -n "$DUMPNS" ]; then
		names+=(dumpns)
		cmd[dumpns]="$DUMPNS -c"
		# single-threaded, to compare with the (single-threaded) floor
		if "$DUMPNS" --help 2>&1 | grep -q -- '--threads'; then
			names+=(dumpns-1t)
			cmd[dumpns-1t]="$DUMPNS -c --threads 1"
		fi
		names+=(dumpns-ns)
		cmd[dumpns-ns]="$DUMPNS -c $DUMPNS_NS_FLAGS"
	fi
	if [ -n "$base" ]; then
		names+=(base base-1t base-ns)
		cmd[base]="$base -c"
		cmd[base-1t]="$base -c --threads 1"
		cmd[base-ns]="$base -c $DUMPNS_NS_FLAGS"
	fi
	names+=(floor-full floor-ns lsns)
	cmd[floor-full]="$NSFLOOR -l full"
	cmd[floor-ns]="$NSFLOOR -l ns"
	cmd[lsns]="$(command -v lsns)"

	# let the kernel finish deferred work of the load's start-up
	sleep "$settle"
	# what is there while we measure (includes the floor itself)
	"$NSFLOOR" -l full >"$OUT/census" 2>&1 || true
	echo "expected_ns ${NSLOAD_NS:-NA}" >>"$OUT/census"

	# wall time and max RSS: all tools interleaved in rounds
	local -a specs=()
	local n
	for n in "${names[@]}"; do specs+=("$n=${cmd[$n]}"); done
	"$BENCHRUN" -r "$runs" -w "$warmup" "${specs[@]}" >"$OUT/benchrun.tsv" || true
	echo "  $load: wall time and RSS done ($runs interleaved rounds after $warmup warm-up rounds)"

	local wall sc ir rss found cpu
	: >"$OUT/results.tsv"
	for n in "${names[@]}"; do
		wall=$(awk -F'\t' -v t="$n" '$1 == t && $2 > 0 {print $3}' "$OUT/benchrun.tsv")
		rss=$(awk -F'\t' -v t="$n" '$1 == t && $2 > 0 {print $7}' "$OUT/benchrun.tsv")
		cpu=$(awk -F'\t' -v t="$n" '$1 == t && $2 > 0 {print $8 + $9}' "$OUT/benchrun.tsv")
		# shellcheck disable=SC2086 # the command lines are word lists
		if [ "$slow" = 1 ]; then
			sc=$(measure_syscalls "$n" ${cmd[$n]})
			# lsns's user time grows with P² (ten minutes and more under
			# callgrind at P20000): its instructions only on S, M and L
			case $n.$load in
			lsns.P*) ir=NA ;;
			*) ir=$(measure_ir "$n" ${cmd[$n]}) ;;
			esac
		else
			sc=NA ir=NA
		fi
		case $n in
		base*) found=NA ;;
		*) found=$(found_list "$n") ;;
		esac
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "${wall:-NA}" "$sc" "$ir" "${rss:-NA}" \
			"$found" "${cpu:-NA}" >>"$OUT/results.tsv"
		# progress on stdout: nsload gives CMD only fds 0..2, and the
		# outer part keeps nsload's stderr for its log
		echo "  $load $n: wall ${wall:-NA} ms, syscalls $sc, Ir $ir, RSS ${rss:-NA} KiB, found $found"
	done
}

if [ "${1:-}" = "--inner" ]; then
	shift
	inner "$@"
	exit 0
fi

# ---------------------------------------------------------------------------
# outer part
# ---------------------------------------------------------------------------

BUILD=./build OUTBASE="" RUNS="" WARMUP="" DUMPNS="" SLOW=1 SETTLE=2 BASE=""
while getopts "B:o:r:w:D:C:s:xh" opt; do
	case $opt in
	B) BUILD=$OPTARG ;;
	o) OUTBASE=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	w) WARMUP=$OPTARG ;;
	D) DUMPNS=$OPTARG ;;
	C) BASE=$(readlink -f "$OPTARG") ;;
	s) SETTLE=$OPTARG ;;
	x) SLOW=0 ;;
	h) sed -n '4,34p' "$0"; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
LOADS=("$@")
[ ${#LOADS[@]} -gt 0 ] || LOADS=(S M L)
SCALE=0
if [ "${LOADS[0]}" = scale ]; then
	SCALE=1
	LOADS=("${LOADS[@]:1}")
	[ ${#LOADS[@]} -gt 0 ] || LOADS=(S M L P10000 P20000)
fi

[ "$(id -u)" = 0 ] || die "must run as root"
SELF=$(readlink -f "$0")
BUILD=$(readlink -f "$BUILD")
NSLOAD=$BUILD/bench/nsload
NSFLOOR=$BUILD/bench/nsfloor
BENCHRUN=$BUILD/bench/benchrun
for p in "$NSLOAD" "$NSFLOOR" "$BENCHRUN"; do
	[ -x "$p" ] || die "no $p (build first: meson setup build && ninja -C build)"
done
if [ -z "$DUMPNS" ]; then
	for d in "$BUILD/tools/dumpns/dumpns" "$BUILD/tools/dumpns"; do
		[ -f "$d" ] && [ -x "$d" ] && { DUMPNS=$d; break; }
	done
fi
if [ -n "$DUMPNS" ]; then
	if [ ! -f "$DUMPNS" ] || [ ! -x "$DUMPNS" ]; then die "no dumpns at $DUMPNS"; fi
	DUMPNS=$(readlink -f "$DUMPNS")
fi
[ -n "$DUMPNS" ] || echo "compare.sh: no dumpns in $BUILD yet: measuring the floor and lsns only" >&2
if [ -n "$BASE" ] && { [ ! -f "$BASE" ] || [ ! -x "$BASE" ]; }; then die "no dumpns at $BASE (-C)"; fi
for t in lsns jq; do command -v $t >/dev/null || die "$t is missing"; done
if [ "$SLOW" = 1 ]; then
	for t in strace valgrind; do
		command -v $t >/dev/null || die "$t is missing (apt-get install $t, or use -x)"
	done
fi
[ -n "$OUTBASE" ] || OUTBASE=/tmp/nsbench.$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUTBASE"
OUTBASE=$(readlink -f "$OUTBASE")
REPORT=$OUTBASE/report.md

ratio() { # a b -> a/b with 2 decimals, or –
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || a == "" || b == "" || b + 0 == 0) print "–"; else printf "%.2f×", a / b }'
}
fmt() { # number with given decimals, or NA
	awk -v a="$1" -v d="$2" 'BEGIN { if (a == "NA" || a == "") print "NA"; else printf "%.*f", d, a }'
}
usper() { # wall ms, procs -> µs per process
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || a == "" || b + 0 == 0) print "NA"; else printf "%.0f", a * 1000 / b }'
}
per() { # a / b with d decimals
	awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { if (a == "NA" || a == "" || b + 0 == 0) print "NA"; else printf "%.*f", d, a / b }'
}
human() { # instructions -> k/M/G
	awk -v a="$1" 'BEGIN { if (a == "NA" || a == "") print "NA"; else if (a >= 1e9) printf "%.2f G", a/1e9; else if (a >= 1e6) printf "%.1f M", a/1e6; else printf "%.0f k", a/1e3 }'
}

field() { # tool column -> value from results.tsv
	awk -F'\t' -v t="$2" -v c="$3" '$1 == t {print $c}' "$1"
}

goal() { # text value op limit -> one bullet with ✓/✗
	awk -v t="$1" -v v="$2" -v op="$3" -v l="$4" 'BEGIN {
		if (v == "NA" || v == "" || l == "NA" || l == "") { printf "* %s: n/a\n", t; exit }
		ok = (op == "<=") ? (v + 0 <= l + 0) : (v + 0 >= l + 0)
		printf "* %s: %s %s %s %s\n", t, v, op, l, ok ? "✓" : "✗" }'
}

goals() { # results procs -> the baseline's goals, checked for dumpns
	local res=$1 procs=$2
	[ -n "$(field "$res" dumpns 2)" ] || return 0
	local w fw fnw lw nw sc fsc ir rss lrss fd ff
	w=$(field "$res" dumpns 2) fw=$(field "$res" floor-full 2)
	fnw=$(field "$res" floor-ns 2) lw=$(field "$res" lsns 2)
	nw=$(field "$res" dumpns-ns 2)
	sc=$(field "$res" dumpns 3) fsc=$(field "$res" floor-full 3)
	ir=$(field "$res" dumpns 4) rss=$(field "$res" dumpns 5) lrss=$(field "$res" lsns 5)
	local nir nrss
	nir=$(field "$res" dumpns-ns 4) nrss=$(field "$res" dumpns-ns 5)
	fd=$(field "$res" dumpns 6) ff=$(field "$res" floor-full 6)
	r() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || a == "" || b == "" || b + 0 == 0) print "NA"; else printf "%.2f", a / b }'; }
	echo
	echo "Goals (performance baseline §10) for dumpns:"
	echo
	goal "wall / floor-full wall" "$(r "$w" "$fw")" "<=" 1.3
	goal "wall / lsns wall" "$(r "$w" "$lw")" "<=" 1.0
	goal "ns-only (dumpns-ns) wall / floor-ns wall" "$(r "$nw" "$fnw")" "<=" 1.5
	goal "user-space instructions per process" "$(r "$ir" "$procs" | awk '{ if ($1 == "NA") print; else printf "%.0f", $1 }')" "<=" 20000
	goal "syscalls / floor-full syscalls" "$(r "$sc" "$fsc")" "<=" 1.15
	goal "max RSS / lsns max RSS" "$(r "$rss" "$lrss")" "<=" 1.0
	goal "ns-only (dumpns-ns) user-space instructions per process" "$(r "$nir" "$procs" | awk '{ if ($1 == "NA") print; else printf "%.0f", $1 }')" "<=" 20000
	goal "ns-only (dumpns-ns) max RSS / lsns max RSS" "$(r "$nrss" "$lrss")" "<=" 1.0
	goal "namespaces found / floor-full found" "$(r "$fd" "$ff")" ">=" 1.0
}

report_load() { # load dir
	local load=$1 dir=$2 res=$2/results.tsv
	local procs tasks expect ffound
	procs=$(sed -n 's/.*procs=\([0-9]*\).*/\1/p' "$dir/census")
	tasks=$(sed -n 's/.* tasks=\([0-9]*\).*/\1/p' "$dir/census")
	expect=$(awk '$1 == "expected_ns" {print $2}' "$dir/census")
	ffound=$(field "$res" floor-full 6)
	local fwall fnswall fsc lrss fcpu
	fwall=$(field "$res" floor-full 2)
	fcpu=$(field "$res" floor-full 7)
	fnswall=$(field "$res" floor-ns 2)
	fsc=$(field "$res" floor-full 3)
	lrss=$(field "$res" lsns 5)
	{
		echo
		echo "### Load $load (\`nsload run $(load_opts "$load")\`)"
		echo
		echo "$procs processes, $tasks tasks while measuring; nsload expects $expect distinct namespaces, floor-full found $ffound."
		[ -n "${SETUP[$load]:-}" ] && echo "${SETUP[$load]}"
		echo
		echo "| tool | wall ms (median) | µs/proc | × floor-full | × floor-ns | CPU ms (user+sys) | × floor-full | syscalls | sc/proc | × floor-full | user Ir | Ir/proc | max RSS KiB | × lsns | found | found/floor-full |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		local t wall sc ir rss found cpu
		while IFS=$'\t' read -r t wall sc ir rss found cpu; do
			printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
				"$t" "$(fmt "$wall" 1)" "$(usper "$wall" "$procs")" \
				"$(ratio "$wall" "$fwall")" "$(ratio "$wall" "$fnswall")" \
				"$(fmt "$cpu" 1)" "$(ratio "$cpu" "$fcpu")" \
				"$sc" "$(per "$sc" "$procs" 1)" "$(ratio "$sc" "$fsc")" \
				"$(human "$ir")" "$(per "$ir" "$procs" 0)" \
				"$rss" "$(ratio "$rss" "$lrss")" "$found" "$(ratio "$found" "$ffound")"
		done <"$res"
		local d
		goals "$res" "$procs"
		for d in dumpns dumpns-1t dumpns-ns lsns; do
			[ -f "$dir/$d.ns" ] || continue
			# namespaces (by inode) the full floor found but this tool did not
			local missing
			missing=$(awk 'NR == FNR {seen[$2] = 1; next} !($2 in seen)' "$dir/$d.ns" "$dir/floor-full.ns")
			local nmiss
			nmiss=$(printf '%s' "$missing" | grep -c . || true)
			echo
			if [ ! -s "$dir/$d.ns" ]; then
				echo "$d found nothing: it failed (see $dir/$d.found.err)."
				continue
			elif [ "$nmiss" = 0 ]; then
				echo "$d found every namespace the full floor found."
			else
				echo "$d missed $nmiss namespaces the full floor found (type, inode, how the floor found it first):"
				echo
				echo '```'
				printf '%s\n' "$missing" | awk '{c[$1" "$3]++} END {for (k in c) printf "%4d %s\n", c[k], k}' | sort -k2
				printf '%s\n' "$missing" | head -n 12
				[ "$nmiss" -le 12 ] || echo "..."
				echo '```'
			fi
			[ "$d" = lsns ] && continue
			local extra
			extra=$(awk 'NR == FNR {seen[$2] = 1; next} !($2 in seen)' "$dir/floor-full.ns" "$dir/$d.ns" | grep -c . || true)
			[ "$extra" = 0 ] || echo "$d reported $extra namespaces the floor did not find."
		done
	} | tee -a "$REPORT"
}

# the scaling table (issue 18's columns), then the details behind it
scale_table() { # outbase load...
	local base=$1 load dir res procs
	shift
	# shellcheck disable=SC2016 # an awk program
	local thousands='{ n = $1; s = ""; while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) } print n s }'
	echo
	echo "### Scaling: µs per process and ratios per load"
	echo
	echo "| load | dumpns µs/proc | × floor-full | dumpns --threads 1 × floor | lsns × floor | max RSS |"
	echo "|---|--:|--:|--:|--:|--:|"
	for load in "$@"; do
		res=$base/$load/results.tsv
		[ -s "$res" ] || { echo "| $load | failed | | | | |"; continue; }
		procs=$(sed -n 's/.*procs=\([0-9]*\).*/\1/p' "$base/$load/census")
		local w fw w1 lw rss
		w=$(field "$res" dumpns 2) fw=$(field "$res" floor-full 2)
		w1=$(field "$res" dumpns-1t 2) lw=$(field "$res" lsns 2)
		rss=$(field "$res" dumpns 5)
		printf '| %s (%s processes) | %s | %s | %s | %s | %s |\n' "$load" \
			"$(echo "$procs" | awk "$thousands")" "$(usper "$w" "$procs")" \
			"$(r2 "$w" "$fw")" "$(r2 "$w1" "$fw")" "$(r2 "$lw" "$fw")" \
			"$(awk -v a="$rss" 'BEGIN { if (a == "" || a == "NA") print "NA"; else printf "%.1f MiB", a / 1024 }')"
	done
	echo
	echo "Details: syscalls and instructions per process (strace -f -c, callgrind; NA with -x),"
	echo "CPU time (user+sys, rusage: steadier than wall time on a busy machine), the"
	echo "lsns-equivalent mode against the ns-only floor, and memory (max RSS; per process:"
	echo "dumpns's RSS above the full floor's, which is about the libc baseline, over the processes)."
	echo
	echo "| load | processes | dumpns sc/proc | sc × floor-full | dumpns Ir/proc | dumpns --threads 1 CPU × floor-full | dumpns-ns × floor-ns | dumpns-ns sc/proc | floor-full µs/proc | dumpns --threads 1 µs/proc | lsns µs/proc | RSS KiB dumpns / lsns | × lsns | B/proc |"
	echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	for load in "$@"; do
		res=$base/$load/results.tsv
		[ -s "$res" ] || continue
		procs=$(sed -n 's/.*procs=\([0-9]*\).*/\1/p' "$base/$load/census")
		local sc fsc ir nw fnw nsc fw w1 lw rss lrss frss
		sc=$(field "$res" dumpns 3) fsc=$(field "$res" floor-full 3)
		ir=$(field "$res" dumpns 4) nw=$(field "$res" dumpns-ns 2)
		fnw=$(field "$res" floor-ns 2) nsc=$(field "$res" dumpns-ns 3)
		fw=$(field "$res" floor-full 2) w1=$(field "$res" dumpns-1t 2)
		lw=$(field "$res" lsns 2) rss=$(field "$res" dumpns 5)
		lrss=$(field "$res" lsns 5) frss=$(field "$res" floor-full 5)
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s | %s |\n' \
			"$load" "$procs" "$(per "$sc" "$procs" 1)" "$(r2 "$sc" "$fsc")" \
			"$(per "$ir" "$procs" 0)" \
			"$(r2 "$(field "$res" dumpns-1t 7)" "$(field "$res" floor-full 7)")" \
			"$(r2 "$nw" "$fnw")" "$(per "$nsc" "$procs" 1)" \
			"$(usper "$fw" "$procs")" "$(usper "$w1" "$procs")" "$(usper "$lw" "$procs")" \
			"${rss:-NA}" "${lrss:-NA}" "$(r2 "$rss" "$lrss")" \
			"$(awk -v a="$rss" -v f="$frss" -v p="$procs" 'BEGIN { if (a == "" || a == "NA" || f == "" || f == "NA" || p + 0 == 0) print "NA"; else printf "%.0f", (a - f) * 1024 / p }')"
	done
	# before/after (-C): this dumpns against the base in the same rounds
	if [ -n "$BASE" ]; then
		echo
		echo "Before/after in the same rounds (-C $BASE): this dumpns / the base."
		echo
		echo "| load | wall | --threads 1 wall | --threads 1 CPU | dumpns-ns wall | syscalls | Ir | max RSS |"
		echo "|---|--:|--:|--:|--:|--:|--:|--:|"
		for load in "$@"; do
			res=$base/$load/results.tsv
			[ -s "$res" ] || continue
			printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$load" \
				"$(r2 "$(field "$res" dumpns 2)" "$(field "$res" base 2)")" \
				"$(r2 "$(field "$res" dumpns-1t 2)" "$(field "$res" base-1t 2)")" \
				"$(r2 "$(field "$res" dumpns-1t 7)" "$(field "$res" base-1t 7)")" \
				"$(r2 "$(field "$res" dumpns-ns 2)" "$(field "$res" base-ns 2)")" \
				"$(r2 "$(field "$res" dumpns 3)" "$(field "$res" base 3)")" \
				"$(r2 "$(field "$res" dumpns 4)" "$(field "$res" base 4)")" \
				"$(r2 "$(field "$res" dumpns 5)" "$(field "$res" base 5)")"
		done
	fi
	# linearity: µs/proc of the biggest P load against L's (goal ≤ 1.1)
	local lres=$base/L/results.tsv big="" b
	for b in "$@"; do case $b in P*) big=$b ;; esac; done
	if [ -n "$big" ] && [ -s "$lres" ] && [ -s "$base/$big/results.tsv" ]; then
		local lp bp
		lp=$(sed -n 's/.*procs=\([0-9]*\).*/\1/p' "$base/L/census")
		bp=$(sed -n 's/.*procs=\([0-9]*\).*/\1/p' "$base/$big/census")
		echo
		for t in dumpns dumpns-1t floor-full; do
			awk -v t="$t" -v big="$big" -v a="$(field "$base/$big/results.tsv" "$t" 2)" -v ap="$bp" \
				-v b="$(field "$lres" "$t" 2)" -v bp="$lp" 'BEGIN {
				if (a == "" || b == "" || a == "NA" || b == "NA" || ap + 0 == 0 || bp + 0 == 0 || b + 0 == 0) { printf "* %s µs/proc %s / L: n/a\n", t, big; exit }
				printf "* %s µs/proc %s / L: %.2f\n", t, big, (a / ap) / (b / bp) }'
		done
		for t in dumpns floor-full; do
			awk -v t="$t" -v big="$big" -v a="$(field "$base/$big/results.tsv" "$t" 4)" -v ap="$bp" \
				-v b="$(field "$lres" "$t" 4)" -v bp="$lp" 'BEGIN {
				if (a == "" || b == "" || a == "NA" || b == "NA" || b + 0 == 0) { printf "* %s Ir/proc %s / L: n/a\n", t, big; exit }
				printf "* %s Ir/proc %s / L: %.2f\n", t, big, (a / ap) / (b / bp) }'
		done
	fi
}

r2() { # a b -> a/b with 2 decimals, or NA
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || a == "" || b == "" || b + 0 == 0) print "NA"; else printf "%.2f", a / b }'
}

declare -A SETUP
{
	echo "# Namespace discovery benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "$(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); dumpns: ${DUMPNS:-not built}; $(lsns --version)"
	echo
	echo "Wall: median of interleaved runs (benchrun); max RSS: median over the same runs (wait4 rusage);"
	echo "syscalls: strace -f -c total; user Ir: callgrind (all processes); found: distinct namespace"
	echo "inodes. Ratios are against the full floor, wall also against the ns-only floor; RSS against lsns."
} >"$REPORT"

rc=0
for load in "${LOADS[@]}"; do
	opts=$(load_opts "$load") || die "unknown load $load (S, M, L, P<procs> or P<procs>t<threads>)"
	dir=$OUTBASE/$load
	mkdir -p "$dir"
	runs=${RUNS:-$(default_runs "$load")}
	warmup=${WARMUP:-$(default_warmup "$load")}
	echo "compare.sh: load $load: nsload run $opts" >&2
	t0=$EPOCHREALTIME
	# shellcheck disable=SC2086
	if ! "$NSLOAD" run $opts -- bash "$SELF" --inner "$load" "$dir" "$NSFLOOR" \
		"$BENCHRUN" "$DUMPNS" "$runs" "$warmup" "$SLOW" "$SETTLE" "$BASE" 2>"$dir/nsload.log"; then
		cat "$dir/nsload.log" >&2
		echo "compare.sh: load $load failed" >&2
		rc=1
		continue
	fi
	t1=$EPOCHREALTIME
	cat "$dir/nsload.log" >&2
	up=$(sed -n 's/.* in \([0-9.]*\) s (state.*/\1/p' "$dir/nsload.log" | head -n 1)
	down=$(sed -n 's/.*down: .* in \([0-9.]*\) s$/\1/p' "$dir/nsload.log" | head -n 1)
	SETUP[$load]="nsload: up ${up:-?} s, down ${down:-?} s, whole run incl. measuring $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", b - a}') s."
	warn=$(grep -h 'warning' "$dir/nsload.log" || true)
	[ -z "$warn" ] || SETUP[$load]="${SETUP[$load]}
**$warn**"
	report_load "$load" "$dir"
	# nothing of the load may remain
	if pgrep -x 'nsl-.*' >/dev/null || grep -q "/run/nsload/" /proc/self/mountinfo; then
		echo "compare.sh: WARNING: load $load left processes or mounts behind" >&2
		rc=1
	fi
done
[ "$SCALE" = 0 ] || scale_table "$OUTBASE" "${LOADS[@]}" | tee -a "$REPORT"
echo >&2
echo "compare.sh: report in $REPORT (raw data in $OUTBASE)" >&2
exit $rc

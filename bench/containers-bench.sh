#!/bin/bash
# containers-bench.sh [BUILD_DIR] [N_CONTAINERS] [RUNS]: what the container
# step of a discovery costs with N containers (default 50) on a private
# dockerd (on a private containerd), run as root:
#   one-shot   dumpns, which asks every engine afresh (Docker's list plus one
#              inspection per container, 8 at a time)
#   watcher    a long-running discovery (tests/containers/ct-watch, as the
#              service would) that keeps engine state in sync from the event
#              streams: the first discovery syncs, later ones copy
# The figure is the "containers" phase of LXKNS_DEBUG's trace (median, 90th
# percentile and max over RUNS discoveries, default 20). Not a timed test.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(realpath "${1:-$HERE/../build}")
N=${2:-50}
RUNS=${3:-20}
DUMPNS=$BUILD/tools/dumpns
WATCH=$BUILD/tests/containers/ct-watch
[ -x "$DUMPNS" ] && [ -x "$WATCH" ] || { echo "build first: $DUMPNS, $WATCH" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

# the engines and their clean-up, as the tests have them (TAP lines go to
# stdout as "# ..." comments only)
source "$HERE/../tests/containers/lib.sh"
ct_init "$DUMPNS" "$BUILD/tests/containers" >/dev/null
start_dockerd

echo "# starting $N containers"
for ((i = 0; i < N; i++)); do
	docker_run "bench-$i" --label "com.docker.compose.project=bench$((i % 5))" \
		--label "bench.index=$i" >/dev/null || { echo "docker run failed" >&2; exit 1; }
done

stats() { # stdin: one number per line -> "median p90 max"
	sort -n | awk '{v[NR] = $1} END {
		if (!NR) { print "n/a"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		p = v[int(NR * 0.9 + 0.999)]
		printf "median %.2f ms, p90 %.2f ms, max %.2f ms (%d runs)\n", m, p, v[NR], NR }'
}

# one-shot: every discovery asks the engines
for ((i = 0; i < RUNS; i++)); do
	LXKNS_DEBUG=1 "$DUMPNS" -c 2>&1 >/tmp/lxkns-bench-$$.json | awk '$2 == "containers" {print $3}'
done >"$W/oneshot.txt"
got=$(jq '.containers | length' /tmp/lxkns-bench-$$.json)
rm -f /tmp/lxkns-bench-$$.json
echo "containers found: $got (engines: containerd + its CRI plugin, dockerd)"
echo "one-shot (dumpns):        $(stats <"$W/oneshot.txt")"

# watcher: a long-running caller
coproc BW { LXKNS_DEBUG=1 "$WATCH" 3000 2>"$W/watch.err"; }
for ((i = 0; i <= RUNS; i++)); do
	echo discover >&"${BW[1]}"
	IFS= read -r line <&"${BW[0]}"
done
echo quit >&"${BW[1]}"
wait "$BW_PID" 2>/dev/null
awk '$2 == "containers" {print $3}' "$W/watch.err" >"$W/watch-all.txt"
echo "watcher, first (sync):    $(head -1 "$W/watch-all.txt") ms"
echo "watcher, synced:          $(tail -n +2 "$W/watch-all.txt" | stats)"

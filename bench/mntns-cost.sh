#!/bin/bash
# mntns-cost.sh [BUILD] [N]: what looking into a mount namespace costs dumpns,
# from its LXKNS_DEBUG phase timing "mount-ns" (bind-mount search only:
# --no-mounts, so the same work as the floor's mountinfo + nsfs opens):
#  - N process-held mount namespaces (sleepers in private mount namespaces),
#  - N process-less ones (bind-mounted, entered by a helper thread).
# Prints µs per mount namespace (median of 7 runs, minus the run without
# them), and for process-held ones the floor on the same processes
# (mntns-floor: read mountinfo, open root, nothing else). Root; cleans up
# everything it made.
set -euo pipefail
BUILD=${1:-build}
N=${2:-100}
DUMPNS=$BUILD/tools/dumpns
[ "$(id -u)" = 0 ] || { echo "mntns-cost: needs root" >&2; exit 77; }
W=$(mktemp -d /run/lxkns-mntns-cost.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	for f in "$W"/m/*; do umount "$f" 2>/dev/null || true; done
	umount "$W/m" 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT

phase() { # median ms of the mount-ns phase over 7 runs
	for _ in 1 2 3 4 5 6 7; do
		LXKNS_DEBUG=1 "$DUMPNS" -c --no-mounts --no-tasks --no-freezer --no-affinity 2>&1 >/dev/null |
			awk '$2 == "mount-ns" { print $3 }'
	done | sort -n | sed -n 4p
}

base=$(phase)
# all copies of the host's mount table first, so that no table holds the
# bind mounts made later (the tables stay the same size for every N)
for _ in $(seq "$N"); do
	unshare --mount --propagation private sleep infinity </dev/null >/dev/null 2>&1 &
	PIDS+=($!)
done
sleep 1
with_procs=$(phase)
floor=$("$BUILD/bench/mntns-floor" "${PIDS[@]}")
# then keep each one by a bind mount, and let the processes go
mkdir -p "$W/m"
mount --bind "$W/m" "$W/m"
mount --make-private "$W/m"
made=0
for p in "${PIDS[@]}"; do
	touch "$W/m/$p"
	mount --bind "/proc/$p/ns/mnt" "$W/m/$p" 2>/dev/null && made=$((made + 1))
done
for p in "${PIDS[@]}"; do kill -KILL "$p"; done
PIDS=()
sleep 3
base2=$(phase)
echo "mount-ns phase, median of 7: without: $base ms; with $N process-held: $with_procs ms"
awk -v a="$base" -v b="$with_procs" -v n="$N" -v f="$floor" 'BEGIN { c = (b - a) * 1000 / n; printf "process-held mount namespaces: %.1f µs each; floor (mountinfo + root only) %.1f µs: %.2fx\n", c, f, c / f }'
awk -v a="$base" -v b="$base2" -v n="$made" 'BEGIN { printf "process-less mount namespaces (%d bind-mounted): %.1f µs each\n", n, (b - a) * 1000 / n }'

#!/bin/bash
# Live test: which namespaces a discovery opens (strace -f -e trace=openat).
#
# A namespace first seen in /proc/PID/ns/ is opened only when there is
# something to ask it: the owner UID of a user namespace, the owner
# (ownership), the parent (hierarchy).  The lsns-equivalent mode
# (--no-ownership --no-hierarchy) therefore opens only user namespaces,
# and still finds every namespace, with exact inodes; the default mode opens
# every type (for the owner).  Not timed: it counts opens.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

command -v strace >/dev/null || fatal "strace is not installed"
# LeakSanitizer cannot run under ptrace: the leak check is the other tests' job
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
probe "a user namespace with all other namespace types" \
    unshare -Ur --fork --pid --mount --uts --ipc --net --cgroup --time true

unshare -Ur --fork --kill-child --pid --mount --uts --ipc --net --cgroup --time sleep infinity \
    </dev/null >/dev/null 2>&1 &
U=$!
track_pid $U
C=$(wait_child $U)
track_pid $C
wait_exe $C "$SLEEP_EXE"

NSONLY=(--no-tasks --no-fds --no-sockets --no-bindmounts --no-hierarchy --no-ownership
    --no-mounts --no-freezer --no-affinity --no-pidmap)

# the types of the nsfs files dumpns opened for reading (not O_PATH)
opened_types() { # strace log -> sorted unique types, one line
    grep -E 'openat\([^,]*, "[^"]*/ns/[a-z_]+"' "$1" | grep -v O_PATH |
        sed -E 's|.*/ns/([a-z_]+)".*|\1|; s/_for_children//' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

strace -f -qq -e trace=openat -o "$WORK/nsonly.strace" "$DUMPNS" -c "${NSONLY[@]}" \
    >"$DUMP" 2>"$WORK/dumpns.err" || fatal "dumpns ${NSONLY[*]} failed: $(cat "$WORK/dumpns.err")"
got=$(opened_types "$WORK/nsonly.strace")
LIVE_CHECKS=$((LIVE_CHECKS + 1))
[ "$got" = "user" ] || fail "lsns-equivalent mode opened namespaces of types '$got', expected 'user' only"
for t in user mnt uts ipc net cgroup pid time; do
    i=$(nsino $C $t)
    expect "lsns-equivalent mode: $t namespace $i of $C found" "\"$t\"" "$(N "$i").type"
    expect "lsns-equivalent mode: $C is in $t:[$i]" "$i" "$(P "$C").namespaces.$t"
done
expect "lsns-equivalent mode: the owner UID of $C's user namespace" 0 \
    "$(N "$(nsino $C user)").\"user-id\""

strace -f -qq -e trace=openat -o "$WORK/full.strace" "$DUMPNS" -c \
    >"$DUMP" 2>"$WORK/dumpns.err" || fatal "dumpns failed: $(cat "$WORK/dumpns.err")"
got=$(opened_types "$WORK/full.strace")
LIVE_CHECKS=$((LIVE_CHECKS + 1))
[ "$got" = "cgroup ipc mnt net pid time user uts" ] ||
    fail "full discovery opened namespaces of types '$got', expected all eight"
expect "full discovery: the owner of $C's net namespace" "$(nsino $C user)" \
    "$(N "$(nsino $C net)").owner"

# Namespace pins (scan-procs.c): during the scan each namespace is held by
# one O_PATH fd, opened once for all workers, and every pin is closed before
# the discovery returns. One worker, so that strace does not split the calls.
strace -f -qq -e trace=openat,close -o "$WORK/pins.strace" "$DUMPNS" -c --threads 1 \
    >"$DUMP" 2>"$WORK/dumpns.err" || fatal "dumpns --threads 1 failed: $(cat "$WORK/dumpns.err")"
read -r pins left < <(awk '
    /openat\([^,]*, "[0-9]+\/ns\/[a-z_]+", O_RDONLY\|O_CLOEXEC\|O_PATH\) = [0-9]+$/ ||
    /openat\([^,]*, "ns\/[a-z_]+", O_RDONLY\|O_CLOEXEC\|O_PATH\) = [0-9]+$/ {
        n++; open[$NF] = 1; next }
    /close\([0-9]+\)/ { fd = $0; sub(/.*close\(/, "", fd); sub(/\).*/, "", fd); delete open[fd] }
    END { l = 0; for (f in open) l++; print n + 0, l }' "$WORK/pins.strace")
nns=$(jq '.namespaces | length' "$DUMP")
LIVE_CHECKS=$((LIVE_CHECKS + 1))
[ "$pins" -gt 0 ] && [ "$pins" -le "$nns" ] ||
    fail "one worker pinned $pins namespaces, expected 1 to $nns (one per namespace at most)"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
[ "$left" -eq 0 ] || fail "$left of $pins namespace pins were still open when dumpns exited"

finish

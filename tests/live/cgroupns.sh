#!/bin/bash
# Live test: cgroup paths are those of the initial cgroup namespace, also
# when the discoverer runs in a private one (Kubernetes pods on cgroup v2,
# docker run --cgroupns private), where /proc/PID/cgroup reads "/../x".
#
# On this hybrid host (v1 controllers under /sys/fs/cgroup/<ctrl>, cgroup2 at
# /sys/fs/cgroup/unified) the test makes lxkns-cgtest-$$/{inner,inner/t,
# inner2,disc} in the v1 cpu and freezer hierarchies and in cgroup2:
#  - S (sleep) in cpu, freezer and unified "inner", frozen by the v1 freezer;
#  - S2 (sleep) in cpu, freezer and unified "inner2", frozen by the v2 freezer
#    only (so its state proves the translated unified path);
#  - T (threadns) in cpu "inner", its second thread alone in cpu "inner/t";
#  - the discoverer: a shell moved into "disc", then `unshare --cgroup`, so
#    its cgroup namespace is rooted at .../disc and its raw reads give
#    "/../inner" (checked first, so the test cannot pass vacuously).
# Asserts, exactly, from a discovery in that private cgroup namespace and
# from one in the host's: cpucgroup and fridgecgroup of S, S2, T, T's thread
# and kthreadd (PID 2, "/"), fridgefrozen of S and S2 (true), the unified
# paths (helper cgpaths, internal model), no cgroup diagnostic. Then without
# CAP_SYS_ADMIN (setns refused): dumpns still exits 0, says once that the
# paths are relative and why, keeps S's raw path, and reads no freezer state
# through it (the host's mounts would give other cgroups' states).
# In a PID namespace of its own too (no process of the initial cgroup
# namespace visible): exit 0, one diagnostic saying so.
# Cleanup (EXIT trap): thaw, kill S, S2 and T by PID and reap them, rmdir the
# cgroups (polling); the discoverer shells have exited by then.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"
CGPATHS=$(helper cgpaths)
THREADNS=$(helper threadns)

R=/sys/fs/cgroup
for c in cpu freezer unified; do
    [ -f "$R/$c/cgroup.procs" ] || skip "not a hybrid cgroup host: no $R/$c"
done
grep -q ' - cgroup2 ' <(grep " $R/unified " /proc/self/mountinfo) || skip "$R/unified is not cgroup2"
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
probe "unshare --cgroup" unshare --cgroup true

G=lxkns-cgtest-$$
S="" S2="" T=""
MADE=()   # cgroup directories we made, parents first

cleanup_cgroups() { # keeps the exit status for live_cleanup
    local rc=$? i p
    set +e
    [ -f "$R/freezer/$G/inner/freezer.state" ] && echo THAWED >"$R/freezer/$G/inner/freezer.state"
    [ -f "$R/unified/$G/inner2/cgroup.freeze" ] && echo 0 >"$R/unified/$G/inner2/cgroup.freeze"
    for p in $S $S2 $T; do
        kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    for ((i = ${#MADE[@]} - 1; i >= 0; i--)); do
        for _ in $(seq 1500); do
            [ -d "${MADE[i]}" ] || break
            rmdir "${MADE[i]}" 2>/dev/null && break
            sleep 0.01
        done
        [ ! -d "${MADE[i]}" ] || log "warning: cannot remove ${MADE[i]}"
    done
    return $rc
}
trap 'cleanup_cgroups; live_cleanup' EXIT

mkcg() { # mkcg HIERARCHY REL
    mkdir "$R/$1/$G/$2" || fatal "mkdir $R/$1/$G/$2"
    MADE+=("$R/$1/$G/$2")
}
for c in cpu freezer unified; do
    mkdir "$R/$c/$G" || fatal "mkdir $R/$c/$G"
    MADE+=("$R/$c/$G")
    mkcg "$c" inner
    mkcg "$c" disc
done
mkcg cpu inner/t
for c in cpu freezer unified; do mkcg "$c" inner2; done
[ -f "$R/unified/$G/inner2/cgroup.freeze" ] || skip "no cgroup v2 freezer (kernel < 5.2)"

# S: inner everywhere, frozen by the v1 freezer
sleep infinity </dev/null >/dev/null 2>&1 &
S=$!
track_pid "$S"
for c in cpu freezer unified; do echo "$S" >"$R/$c/$G/inner/cgroup.procs"; done
echo FROZEN >"$R/freezer/$G/inner/freezer.state"
for _ in $(seq 300); do grep -qx FROZEN "$R/freezer/$G/inner/freezer.state" && break; sleep 0.01; done
grep -qx FROZEN "$R/freezer/$G/inner/freezer.state" || fatal "v1 freezer: $(cat "$R/freezer/$G/inner/freezer.state")"

# S2: inner2 (v1 freezer thawed), frozen by the v2 freezer
sleep infinity </dev/null >/dev/null 2>&1 &
S2=$!
track_pid "$S2"
for c in cpu freezer unified; do echo "$S2" >"$R/$c/$G/inner2/cgroup.procs"; done
echo 1 >"$R/unified/$G/inner2/cgroup.freeze"
for _ in $(seq 300); do grep -qx 'frozen 1' "$R/unified/$G/inner2/cgroup.events" && break; sleep 0.01; done
grep -qx 'frozen 1' "$R/unified/$G/inner2/cgroup.events" || fatal "v2 freezer did not freeze"

# T: cpu inner, its second thread alone in cpu inner/t (v1 moves threads)
"$THREADNS" </dev/null >"$WORK/threadns.out" 2>&1 &
T=$!
track_pid "$T"
line=$(wait_line "$WORK/threadns.out")
if ! [[ $line =~ ^tid=([0-9]+)\  ]]; then
    wait "$T" || [ $? != 3 ] || skip "kernel refuses per-thread unshare: $line"
    fatal "threadns: $line"
fi
TID=${BASH_REMATCH[1]}
echo "$T" >"$R/cpu/$G/inner/cgroup.procs"
echo "$TID" >"$R/cpu/$G/inner/t/tasks"
grep -qx "[0-9]*:cpu:/$G/inner/t" "/proc/$T/task/$TID/cgroup" || fatal "thread $TID not in cpu inner/t"

# in_disc CMD...: run CMD in a shell moved into the "disc" cgroups; the
# shell (and so CMD, exec'ed by unshare) exits before cleanup
in_disc() {
    bash -c 'for c in cpu freezer unified; do echo $$ >"$0/$c/$1/disc/cgroup.procs" || exit 90; done
             shift; exec "$@"' "$R" "$G" "$@"
}

# ground truth: the raw view from the private namespace is relative
raw=$(in_disc unshare --cgroup cat "/proc/$S/cgroup") || fatal "cannot read /proc/$S/cgroup in a private cgroup namespace"
grep -qx '[0-9]*:cpu:/../inner' <<<"$raw" || fatal "raw cpu path from the private namespace is not /../inner: $raw"
grep -qx '0::/../inner' <<<"$raw" || fatal "raw unified path from the private namespace is not /../inner: $raw"

check_dump() { # check_dump WHERE
    local where=$1
    expect "$where: cpucgroup of S" "\"/$G/inner\"" '.processes[$p].cpucgroup' --arg p "$S"
    expect "$where: fridgecgroup of S" "\"/$G/inner\"" '.processes[$p].fridgecgroup' --arg p "$S"
    expect "$where: S frozen (v1 freezer)" true '.processes[$p].fridgefrozen' --arg p "$S"
    expect "$where: fridgecgroup of S2" "\"/$G/inner2\"" '.processes[$p].fridgecgroup' --arg p "$S2"
    expect "$where: S2 frozen (v2 freezer, unified path)" true '.processes[$p].fridgefrozen' --arg p "$S2"
    expect "$where: cpucgroup of T and of its thread" "[\"/$G/inner\",\"/$G/inner/t\"]" \
        '[.processes[$p].cpucgroup, (.processes[$p].tasks[] | select(.tid == ($t | tonumber)) | .cpucgroup)]' \
        --arg p "$T" --arg t "$TID"
    expect "$where: kthreadd's cpucgroup and fridgecgroup" '["/","/"]' \
        '[.processes["2"].cpucgroup, .processes["2"].fridgecgroup]'
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    if grep -q 'cgroup paths are relative' "$WORK/dumpns.err"; then
        fail "$where: unexpected diagnostic: $(grep 'cgroup paths' "$WORK/dumpns.err")"
    fi
}

check_cgpaths() { # check_cgpaths WHERE CMD...
    local where=$1 got want
    shift
    got=$("$@" "$CGPATHS" "$S" "$S2" 2) || fatal "$where: cgpaths failed"
    want="$S cpu=/$G/inner freezer=/$G/inner v1=1 v2=/$G/inner frozen=1
$S2 cpu=/$G/inner2 freezer=/$G/inner2 v1=1 v2=/$G/inner2 frozen=1
2 cpu=/ freezer=/ v1=1 v2=/ frozen=0"
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    [ "$got" = "$want" ] || fail "$where: cgpaths (library model, unified paths): got
$got
want
$want"
}

# --- in the private cgroup namespace
rc=0
in_disc unshare --cgroup "$DUMPNS" -c --no-containers --diagnostics >"$DUMP" 2>"$WORK/dumpns.err" || rc=$?
[ $rc = 0 ] || fatal "dumpns in a private cgroup namespace exited with $rc: $(cat "$WORK/dumpns.err")"
check_dump "private cgroup namespace"
check_cgpaths "private cgroup namespace" in_disc unshare --cgroup

# --- in the host's cgroup namespace (regression), from the same cgroups
rc=0
in_disc "$DUMPNS" -c --no-containers --diagnostics >"$DUMP" 2>"$WORK/dumpns.err" || rc=$?
[ $rc = 0 ] || fatal "dumpns in the host cgroup namespace exited with $rc: $(cat "$WORK/dumpns.err")"
check_dump "host cgroup namespace"
check_cgpaths "host cgroup namespace" in_disc

# --- without CAP_SYS_ADMIN: no setns, relative paths and one diagnostic
rc=0
in_disc unshare --cgroup setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin \
    "$DUMPNS" -c --no-containers --diagnostics >"$DUMP" 2>"$WORK/dumpns.err" || rc=$?
LIVE_CHECKS=$((LIVE_CHECKS + 1))
[ $rc = 0 ] || fail "dumpns without CAP_SYS_ADMIN exited with $rc: $(cat "$WORK/dumpns.err")"
want="dumpns: cgroup paths are relative to the discoverer's cgroup namespace: setns into the initial cgroup namespace: Operation not permitted (needs CAP_SYS_ADMIN)"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
n=$(grep -cxF "$want" "$WORK/dumpns.err" || true)
[ "$n" = 1 ] || fail "without CAP_SYS_ADMIN: the diagnostic appears $n times, want once: $(grep cgroup "$WORK/dumpns.err")"
expect "without CAP_SYS_ADMIN: S keeps its relative path" '"/../inner"' '.processes[$p].cpucgroup' --arg p "$S"
expect "without CAP_SYS_ADMIN: kthreadd keeps its relative path" '"/../.."' '.processes["2"].cpucgroup'
expect "without CAP_SYS_ADMIN: no freezer state read through relative paths" '[false,false]' \
    '[.processes[$p].fridgefrozen, .processes[$q].fridgefrozen]' --arg p "$S" --arg q "$S2"

# --- in a PID namespace of its own as well: no process of the initial
# cgroup namespace is visible, so nothing to setns() through
rc=0
in_disc unshare --cgroup --pid --fork --mount-proc \
    "$DUMPNS" -c --no-containers --diagnostics >"$DUMP" 2>"$WORK/dumpns.err" || rc=$?
LIVE_CHECKS=$((LIVE_CHECKS + 1))
[ $rc = 0 ] || fail "dumpns in its own PID namespace exited with $rc: $(cat "$WORK/dumpns.err")"
want="dumpns: cgroup paths are relative to the discoverer's cgroup namespace: no process in the initial cgroup namespace is visible"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
n=$(grep -cxF "$want" "$WORK/dumpns.err" || true)
[ "$n" = 1 ] || fail "own PID namespace: the diagnostic appears $n times, want once: $(grep cgroup "$WORK/dumpns.err")"
expect "own PID namespace: dumpns itself (PID 1 there) keeps its relative path" '"/"' '.processes["1"].cpucgroup'
finish

#!/bin/bash
# Live test: time namespaces.
#
#  T)  unshare --time --fork --kill-child --boottime 86400 --monotonic 3600 sleep
#      parent P: time = ours, time_for_children = T;  child C: time = T.
#  T2) helper "timeonly": unshare(CLONE_NEWTIME) without fork/exec, so T2 is
#      referenced only by /proc/Q/ns/time_for_children.
#
# Asserts: T exactly (type time, owner = our user ns, reference
# /proc/C/ns/time, leaders [C], ealdorman C); P's own time namespace is ours
# (time_for_children must not leak into the process's namespaces), C's is T;
# T2 is found (type, owner), has no leaders/ealdorman, and its reference is
# either absent (Go lxkns) or ["/proc/Q/ns/time_for_children"]; Q's time
# namespace is ours.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

[ -e /proc/self/ns/time ] || skip "kernel has no time namespaces"
probe "time namespaces" unshare --time --fork true

INIT_USER=$(nsino $$ user)
HT=$(nsino $$ time)

unshare --time --fork --kill-child --boottime 86400 --monotonic 3600 sleep infinity </dev/null >/dev/null 2>&1 &
P=$!
track_pid $P
C=$(wait_child $P)
track_pid $C
wait_exe $C "$SLEEP_EXE"
T=$(nsino $C time)
[ "$T" != "$HT" ] || fatal "ground truth: child $C is still in our time namespace"
[ "$(nsino $P time)" = "$HT" ] || fatal "ground truth: unshare parent $P is not in our time namespace"
[ "$(nsino $P time_for_children)" = "$T" ] || fatal "ground truth: time_for_children of $P is not $T"
grep -q '^monotonic *3600 ' /proc/$C/timens_offsets || fatal "ground truth: timens_offsets of $C: $(cat /proc/$C/timens_offsets)"

TIMEONLY=$(helper timeonly)
"$TIMEONLY" </dev/null >"$WORK/timeonly.out" 2>&1 &
Q=$!
track_pid $Q
line=$(wait_line "$WORK/timeonly.out")
case $line in
time=*) ;;
*) wait $Q || [ $? != 3 ] || skip "kernel refuses unshare(CLONE_NEWTIME): $line"
   fatal "timeonly: $line" ;;
esac
T2=$(nsino $Q time_for_children)
[ "$(nsino $Q time)" = "$HT" ] || fatal "ground truth: timeonly $Q is not in our time namespace"
[ "$line" = "time=$HT time_for_children=$T2" ] || fatal "ground truth: timeonly says '$line'"
[ "$(nsrel /proc/$Q/ns/time_for_children owner)" = "$INIT_USER" ] || fatal "ground truth: $T2 not owned by $INIT_USER"
log "time ns: ours $HT; T $T (parent $P, child $C); T2 $T2 (only time_for_children of $Q)"

run_dumpns
expect_wire_format

expect_ns "T (via child)" "$T" "{\"nsid\":$T,\"type\":\"time\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$C/ns/time\"],\"leaders\":[$C],\"ealdorman\":$C}"
expect "unshare parent stays in our time ns, child is in T" "[$HT,$T]" "[$(P $P).namespaces.time, $(P $C).namespaces.time]"
expect "our time ns: type" '"time"' "$(N $HT).type"

expect "T2 (only via time_for_children)" "{\"nsid\":$T2,\"type\":\"time\",\"owner\":$INIT_USER}" \
    "$(N $T2) | del(.reference)"
expect_true "T2 reference absent or [\"/proc/$Q/ns/time_for_children\"]" \
    "$(N $T2) | (has(\"reference\") | not) or .reference == [\"/proc/$Q/ns/time_for_children\"]"
expect "timeonly process stays in our time ns" "$HT" "$(P $Q).namespaces.time"

# time_for_children references must still work when tasks are not scanned
run_dumpns --no-tasks
expect "--no-tasks: T2 still found" '"time"' "$(N $T2).type"
expect "--no-tasks: T still found with leader C" "[$C]" "$(N $T).leaders"

finish

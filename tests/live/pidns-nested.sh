#!/bin/bash
# Live test: PID namespaces nested 3 deep.
#
#   unshare --pid --fork --kill-child      (U1, host PID ns; pid_for_children P1)
#     unshare --pid --fork --kill-child    (U2, in P1)
#       unshare --pid --fork --kill-child  (U3, in P2)
#         sleep infinity                   (S,  in P3)
#
# Asserts (whole namespace objects, exactly): P1/P2/P3 type pid, owner = our
# user ns, reference /proc/<leader>/ns/pid, leaders = [U2], [U3], [S],
# ealdorman, parent chain P3 -> P2 -> P1 -> our PID ns, children lists
# [P2], [P3], none; our PID ns lists P1 among its children; the processes'
# "pid" namespaces and ppids.  Also a PID ns owned by a child user ns.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

probe "PID namespaces" unshare --pid --fork true

INIT_USER=$(nsino $$ user)
HOST_PID=$(nsino $$ pid)

unshare --pid --fork --kill-child unshare --pid --fork --kill-child \
    unshare --pid --fork --kill-child sleep infinity </dev/null >/dev/null 2>&1 &
U1=$!
track_pid $U1
U2=$(wait_child $U1)
track_pid $U2
U3=$(wait_child $U2)
track_pid $U3
S=$(wait_child $U3)
track_pid $S
wait_exe $S "$SLEEP_EXE"
P1=$(nsino $U2 pid)
P2=$(nsino $U3 pid)
P3=$(nsino $S pid)
[ "$(nsino $U1 pid)" = "$HOST_PID" ] || fatal "ground truth: outer unshare not in our PID ns"
[ "$(nsino $U1 pid_for_children)" = "$P1" ] || fatal "ground truth: pid_for_children of $U1 is not $P1"
[ "$(nsrel -c /proc/$S/ns/pid | tr '\n' ' ')" = "$P2 $P1 $HOST_PID " ] ||
    fatal "ground truth: parent chain of $P3 is not $P2 $P1 $HOST_PID: $(nsrel -c /proc/$S/ns/pid | tr '\n' ' ')"
[ "$(nsrel /proc/$S/ns/pid owner)" = "$INIT_USER" ] || fatal "ground truth: $P3 not owned by $INIT_USER"
nspid=$(awk '/^NSpid:/ {$1=""; print substr($0,2)}' /proc/$S/status)
[ "$nspid" = "$S 3 2 1" ] || fatal "ground truth: NSpid of leaf is '$nspid', not '$S 3 2 1'"
log "pids $U1 > $U2 > $U3 > $S; pid ns $HOST_PID > $P1 > $P2 > $P3"

# a PID namespace owned by a (process-held) child user namespace
unshare -Ur --pid --fork --kill-child sleep infinity </dev/null >/dev/null 2>&1 &
V1=$!
track_pid $V1
V2=$(wait_child $V1)
track_pid $V2
wait_exe $V2 "$SLEEP_EXE"
VU=$(nsino $V1 user)
VP=$(nsino $V2 pid)
[ "$(nsrel /proc/$V2/ns/pid owner)" = "$VU" ] || fatal "ground truth: pid ns $VP not owned by $VU"
[ "$(nsrel /proc/$V2/ns/pid parent)" = "$HOST_PID" ] || fatal "ground truth: parent of pid ns $VP is not $HOST_PID"
log "pid ns $VP owned by user ns $VU (pids $V1 > $V2)"

run_dumpns
expect_wire_format

expect_ns "P1" "$P1" "{\"nsid\":$P1,\"type\":\"pid\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$U2/ns/pid\"],\"leaders\":[$U2],\"ealdorman\":$U2,\"parent\":$HOST_PID,\"children\":[$P2]}"
expect_ns "P2" "$P2" "{\"nsid\":$P2,\"type\":\"pid\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$U3/ns/pid\"],\"leaders\":[$U3],\"ealdorman\":$U3,\"parent\":$P1,\"children\":[$P3]}"
expect_ns "P3" "$P3" "{\"nsid\":$P3,\"type\":\"pid\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$S/ns/pid\"],\"leaders\":[$S],\"ealdorman\":$S,\"parent\":$P2}"
expect_ns "pid ns owned by child user ns" "$VP" "{\"nsid\":$VP,\"type\":\"pid\",\"owner\":$VU,\"reference\":[\"/proc/$V2/ns/pid\"],\"leaders\":[$V2],\"ealdorman\":$V2,\"parent\":$HOST_PID}"
expect "host PID ns: type, no parent" '{"type":"pid","parent":false}' \
    '.namespaces[$k] | {type, parent: has("parent")}' --arg k "$HOST_PID"
expect_true "host PID ns has P1 and $VP as children" \
    ".namespaces[\$k].children | (index($P1) != null) and (index($VP) != null)" --arg k "$HOST_PID"
expect "pid namespaces of the processes" "[$HOST_PID,$P1,$P2,$P3,$HOST_PID,$VP]" \
    "[$(P $U1).namespaces.pid, $(P $U2).namespaces.pid, $(P $U3).namespaces.pid, $(P $S).namespaces.pid, $(P $V1).namespaces.pid, $(P $V2).namespaces.pid]"
expect "ppids" "[$$,$U1,$U2,$U3]" "[$(P $U1).ppid, $(P $U2).ppid, $(P $U3).ppid, $(P $S).ppid]"
expect "pid fields" "[$U1,$U2,$U3,$S]" "[$(P $U1).pid, $(P $U2).pid, $(P $U3).pid, $(P $S).pid]"
expect "leaf cmdline" '["sleep","infinity"]' "$(P $S).cmdline"
expect "leaf name" '"sleep"' "$(P $S).name"

run_dumpns --no-hierarchy
expect "--no-hierarchy: P1..P3 have no parent/children" '[false,false,false]' \
    "[$(N $P1), $(N $P2), $(N $P3)] | map(has(\"parent\") or has(\"children\"))"
expect "--no-hierarchy: P3 still has its leader" "[$S]" "$(N $P3).leaders"

finish

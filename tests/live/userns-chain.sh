#!/bin/bash
# Live test: user namespaces nested 3 deep.
#
#  A) unshare -Ur unshare -Ur unshare -Ur --net --uts sleep infinity
#     Every unshare execs the next one, so only the innermost user ns A3 has a
#     process; A1 and A2 are "hidden" (reachable only via NS_GET_PARENT).
#  B) unshare -Ur --fork ... : the same chain, but every level keeps a
#     process (the forking unshare), so every level has a leader.
#
# Asserts (whole namespace objects, exactly): type, parent, children, owner
# (absent for user ns), reference (absent for hidden ones), leaders,
# ealdorman, user-id 0 and user-name "root" at every level; the net/uts
# namespaces of the innermost level are owned by it; the processes' own
# namespace maps.
#  C) a user namespace created by uid 65534 (setpriv + unshare -U): its
#     user-id is 65534 and user-name the passwd name of 65534 (skipped if
#     the kernel refuses unprivileged user namespaces).  Then --no-hierarchy drops parents and the hidden levels,
# and --no-ownership drops "owner".
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

probe "unprivileged-style user namespaces (unshare -Ur)" unshare -Ur true

INIT_USER=$(nsino $$ user)

# --- A: exec chain, hidden intermediate levels -------------------------------
unshare -Ur unshare -Ur unshare -Ur --net --uts sleep infinity </dev/null >/dev/null 2>&1 &
A=$!
track_pid $A
wait_exe $A "$SLEEP_EXE"

A3=$(nsino $A user)
mapfile -t chain < <(nsrel -c /proc/$A/ns/user)
[ ${#chain[@]} = 3 ] || fatal "ground truth: expected 3 parents above $A3, nsrel says: ${chain[*]}"
A2=${chain[0]}
A1=${chain[1]}
[ "${chain[2]}" = "$INIT_USER" ] || fatal "ground truth: top parent ${chain[2]} is not our user ns $INIT_USER"
AN=$(nsino $A net)
AU=$(nsino $A uts)
[ "$(nsrel /proc/$A/ns/net owner)" = "$A3" ] || fatal "ground truth: net $AN not owned by $A3"
[ "$(nsrel /proc/$A/ns/uts owner)" = "$A3" ] || fatal "ground truth: uts $AU not owned by $A3"
for lvl in "" " parent" " parent parent"; do
    # shellcheck disable=SC2086
    [ "$(nsrel /proc/$A/ns/user $lvl uid)" = 0 ] || fatal "ground truth: owner uid of user ns (/proc/$A/ns/user$lvl) is not 0"
done
log "A: pid $A, user $A1 > $A2 > $A3, net $AN, uts $AU"

# --- B: fork chain, a leader on every level ----------------------------------
unshare -Ur --fork --kill-child unshare -Ur --fork --kill-child \
    unshare -Ur --net --uts sleep infinity </dev/null >/dev/null 2>&1 &
B1=$!
track_pid $B1
B2=$(wait_child $B1)
track_pid $B2
B3=$(wait_child $B2)
track_pid $B3
wait_exe $B3 "$SLEEP_EXE"
L1=$(nsino $B1 user)
L2=$(nsino $B2 user)
L3=$(nsino $B3 user)
BN=$(nsino $B3 net)
BU=$(nsino $B3 uts)
[ "$(nsrel -c /proc/$B3/ns/user | tr '\n' ' ')" = "$L2 $L1 $INIT_USER " ] ||
    fatal "ground truth: parent chain of $L3 is not $L2 $L1 $INIT_USER"
log "B: pids $B1 $B2 $B3, user $L1 > $L2 > $L3, net $BN, uts $BU"

# --- C: a user namespace owned by an unprivileged uid --------------------------
C=""
if command -v setpriv >/dev/null &&
    setpriv --reuid 65534 --regid 65534 --clear-groups unshare -U true </dev/null >/dev/null 2>&1; then
    setpriv --reuid 65534 --regid 65534 --clear-groups unshare -U sleep infinity </dev/null >/dev/null 2>&1 &
    C=$!
    track_pid $C
    wait_exe $C "$SLEEP_EXE"
    CU=$(nsino $C user)
    [ "$(nsrel /proc/$C/ns/user uid)" = 65534 ] || fatal "ground truth: owner uid of $CU is not 65534"
    CNAME=$(getent passwd 65534 | cut -d: -f1 || true)
    log "C: pid $C, user ns $CU owned by uid 65534 ($CNAME)"
else
    log "note: unprivileged user namespaces refused here, part C skipped"
fi

# --- full discovery ----------------------------------------------------------
run_dumpns
expect_wire_format

expect_ns "A level 1 (hidden)" "$A1" "{\"nsid\":$A1,\"type\":\"user\",\"parent\":$INIT_USER,\"children\":[$A2],\"user-id\":0,\"user-name\":\"root\"}"
expect_ns "A level 2 (hidden)" "$A2" "{\"nsid\":$A2,\"type\":\"user\",\"parent\":$A1,\"children\":[$A3],\"user-id\":0,\"user-name\":\"root\"}"
expect_ns "A level 3" "$A3" "{\"nsid\":$A3,\"type\":\"user\",\"reference\":[\"/proc/$A/ns/user\"],\"leaders\":[$A],\"ealdorman\":$A,\"parent\":$A2,\"user-id\":0,\"user-name\":\"root\"}"
expect_ns "A innermost net" "$AN" "{\"nsid\":$AN,\"type\":\"net\",\"owner\":$A3,\"reference\":[\"/proc/$A/ns/net\"],\"leaders\":[$A],\"ealdorman\":$A}"
expect_ns "A innermost uts" "$AU" "{\"nsid\":$AU,\"type\":\"uts\",\"owner\":$A3,\"reference\":[\"/proc/$A/ns/uts\"],\"leaders\":[$A],\"ealdorman\":$A}"
expect "A process namespaces" "{\"user\":$A3,\"net\":$AN,\"uts\":$AU}" "$(P $A).namespaces | {user, net, uts}"

expect_ns "B level 1" "$L1" "{\"nsid\":$L1,\"type\":\"user\",\"reference\":[\"/proc/$B1/ns/user\"],\"leaders\":[$B1],\"ealdorman\":$B1,\"parent\":$INIT_USER,\"children\":[$L2],\"user-id\":0,\"user-name\":\"root\"}"
expect_ns "B level 2" "$L2" "{\"nsid\":$L2,\"type\":\"user\",\"reference\":[\"/proc/$B2/ns/user\"],\"leaders\":[$B2],\"ealdorman\":$B2,\"parent\":$L1,\"children\":[$L3],\"user-id\":0,\"user-name\":\"root\"}"
expect_ns "B level 3" "$L3" "{\"nsid\":$L3,\"type\":\"user\",\"reference\":[\"/proc/$B3/ns/user\"],\"leaders\":[$B3],\"ealdorman\":$B3,\"parent\":$L2,\"user-id\":0,\"user-name\":\"root\"}"
expect_ns "B innermost net" "$BN" "{\"nsid\":$BN,\"type\":\"net\",\"owner\":$L3,\"reference\":[\"/proc/$B3/ns/net\"],\"leaders\":[$B3],\"ealdorman\":$B3}"
expect_ns "B innermost uts" "$BU" "{\"nsid\":$BU,\"type\":\"uts\",\"owner\":$L3,\"reference\":[\"/proc/$B3/ns/uts\"],\"leaders\":[$B3],\"ealdorman\":$B3}"
expect "B processes' user namespaces" "[$L1,$L2,$L3]" "[$(P $B1).namespaces.user, $(P $B2).namespaces.user, $(P $B3).namespaces.user]"
expect "B processes' ppids" "[$$,$B1,$B2]" "[$(P $B1).ppid, $(P $B2).ppid, $(P $B3).ppid]"

expect "initial user ns: type, no parent, no owner" '{"type":"user","parent":false,"owner":false,"user-id":0}' \
    '.namespaces[$k] | {type, parent: has("parent"), owner: has("owner"), "user-id"}' --arg k "$INIT_USER"
expect_true "initial user ns has both level-1 namespaces as children" \
    ".namespaces[\$k].children | (index($A1) != null) and (index($L1) != null)" --arg k "$INIT_USER"
if [ -n "$C" ]; then
    expect_ns "C (owned by uid 65534)" "$CU" "{\"nsid\":$CU,\"type\":\"user\",\"reference\":[\"/proc/$C/ns/user\"],\"leaders\":[$C],\"ealdorman\":$C,\"parent\":$INIT_USER,\"user-id\":65534,\"user-name\":\"$CNAME\"}"
fi
expect "default discovery options" \
    '{"from-procs":true,"from-tasks":true,"from-fds":true,"from-bindmounts":true,"with-hierarchy":true,"with-ownership":true,"scanned-namespace-types":["time","mnt","cgroup","uts","ipc","user","pid","net"]}' \
    '.["discovery-options"] | {"from-procs","from-tasks","from-fds","from-bindmounts","with-hierarchy","with-ownership","scanned-namespace-types"}'
expect_true "every namespace's nsid equals its key" '[.namespaces | to_entries[] | (.key == (.value.nsid | tostring))] | all'
expect_true "no user namespace has an owner" '[.namespaces[] | select(.type == "user") | has("owner")] | any | not'

# --- without hierarchy: no parents, no hidden levels -------------------------
run_dumpns --no-hierarchy
expect "--no-hierarchy: discovery-options.with-hierarchy" false '.["discovery-options"]["with-hierarchy"]'
expect_absent "--no-hierarchy: hidden A level 1" "$A1"
expect_absent "--no-hierarchy: hidden A level 2" "$A2"
expect "--no-hierarchy: A level 3 without parent/children" '{"type":"user","parent":false,"children":false}' \
    '.namespaces[$k] | {type, parent: has("parent"), children: has("children")}' --arg k "$A3"
expect_true "--no-hierarchy: no namespace has parent or children" \
    '[.namespaces[] | has("parent") or has("children")] | any | not'
expect "--no-hierarchy: A net still owned by A3" "$A3" "$(N $AN).owner"

# --- without ownership: no owners --------------------------------------------
run_dumpns --no-ownership
expect "--no-ownership: discovery-options.with-ownership" false '.["discovery-options"]["with-ownership"]'
expect_true "--no-ownership: no namespace has an owner" '[.namespaces[] | has("owner")] | any | not'
expect "--no-ownership: A net still found" '"net"' "$(N $AN).type"
expect "--no-ownership: A level 3 parent still found" "$A2" "$(N $A3).parent"

finish

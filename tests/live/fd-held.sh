#!/bin/bash
# Live test: namespaces held only by open file descriptors of an unrelated
# process H (which itself stays in our namespaces):
#
#   fd 3: a netns NX (its creator process is gone)
#   fd 4: a user ns FU whose parent user ns FP has no process (hidden)
#   fd 5: a PID ns PP without any process left in it
#
# Asserts (whole namespace objects, exactly): reference ["/proc/H/fd/N"],
# type, owner, no leaders/ealdorman; FU's parent is FP, FP is present
# without reference and lists FU as its only child; PP's parent is our PID
# ns; H's own namespaces are ours.  With --no-fds none of them is found.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

probe "network namespaces" unshare --net true
probe "user namespaces" unshare -Ur true
probe "PID namespaces" unshare --pid --fork true

INIT_USER=$(nsino $$ user)
HOST_NET=$(nsino $$ net)
HOST_PID=$(nsino $$ pid)

unshare --net sleep infinity </dev/null >/dev/null 2>&1 &
X=$!
track_pid $X
unshare -Ur unshare -Ur sleep infinity </dev/null >/dev/null 2>&1 &
Y=$!
track_pid $Y
unshare --pid --fork --kill-child sleep infinity </dev/null >/dev/null 2>&1 &
Z=$!
track_pid $Z
ZC=$(wait_child $Z)
track_pid $ZC
wait_exe $X "$SLEEP_EXE"
wait_exe $Y "$SLEEP_EXE"
wait_exe $ZC "$SLEEP_EXE"
NX=$(nsino $X net)
FU=$(nsino $Y user)
FP=$(nsrel /proc/$Y/ns/user parent)
PP=$(nsino $ZC pid)

bash -c "exec 3</proc/$X/ns/net 4</proc/$Y/ns/user 5</proc/$ZC/ns/pid && exec sleep infinity" \
    </dev/null >/dev/null 2>&1 &
H=$!
track_pid $H
wait_exe $H "$SLEEP_EXE"
[ "$(readlink /proc/$H/fd/3)" = "net:[$NX]" ] || fatal "ground truth: fd 3 of $H is $(readlink /proc/$H/fd/3)"
[ "$(readlink /proc/$H/fd/4)" = "user:[$FU]" ] || fatal "ground truth: fd 4 of $H is $(readlink /proc/$H/fd/4)"
[ "$(readlink /proc/$H/fd/5)" = "pid:[$PP]" ] || fatal "ground truth: fd 5 of $H is $(readlink /proc/$H/fd/5)"

kill_now $X $Y $Z $ZC

[ "$(nsrel /proc/$H/fd/3 owner)" = "$INIT_USER" ] || fatal "ground truth: $NX not owned by $INIT_USER"
[ "$(nsrel /proc/$H/fd/4 parent)" = "$FP" ] || fatal "ground truth: parent of $FU is not $FP"
[ "$(nsrel /proc/$H/fd/4 parent parent)" = "$INIT_USER" ] || fatal "ground truth: grandparent of $FU is not $INIT_USER"
[ "$(nsrel /proc/$H/fd/5 parent)" = "$HOST_PID" ] || fatal "ground truth: parent of $PP is not $HOST_PID"
[ "$(nsrel /proc/$H/fd/5 owner)" = "$INIT_USER" ] || fatal "ground truth: $PP not owned by $INIT_USER"
# only the holder's fds may refer to them (checked without the holder)
hits=$(find /proc/[0-9]*/ns /proc/[0-9]*/task/[0-9]*/ns /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 \
    \( -lname "*:\\[$NX\\]" -o -lname "*:\\[$FU\\]" -o -lname "*:\\[$FP\\]" -o -lname "*:\\[$PP\\]" \) \
    -not -path "/proc/$H/*" 2>/dev/null | head -n 5 || true)
[ -z "$hits" ] || fatal "ground truth: still referenced elsewhere: $hits"
log "holder $H: fd3 net $NX, fd4 user $FU (parent $FP), fd5 pid $PP"

run_dumpns
expect_wire_format

expect_ns "netns held by fd 3" "$NX" "{\"nsid\":$NX,\"type\":\"net\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$H/fd/3\"]}"
expect_ns "user ns held by fd 4" "$FU" "{\"nsid\":$FU,\"type\":\"user\",\"reference\":[\"/proc/$H/fd/4\"],\"parent\":$FP,\"user-id\":0,\"user-name\":\"root\"}"
expect_ns "hidden parent of the fd-held user ns" "$FP" "{\"nsid\":$FP,\"type\":\"user\",\"parent\":$INIT_USER,\"children\":[$FU],\"user-id\":0,\"user-name\":\"root\"}"
expect_ns "process-less PID ns held by fd 5" "$PP" "{\"nsid\":$PP,\"type\":\"pid\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$H/fd/5\"],\"parent\":$HOST_PID}"
expect "holder's own namespaces are ours" "{\"net\":$HOST_NET,\"user\":$INIT_USER,\"pid\":$HOST_PID}" "$(P $H).namespaces | {net, user, pid}"
expect "holder's cmdline" '["sleep","infinity"]' "$(P $H).cmdline"

run_dumpns --no-fds
expect "--no-fds: discovery-options.from-fds" false '.["discovery-options"]["from-fds"]'
expect_absent "--no-fds: fd-held netns" "$NX"
expect_absent "--no-fds: fd-held user ns" "$FU"
expect_absent "--no-fds: hidden parent of the fd-held user ns" "$FP"
expect_absent "--no-fds: fd-held PID ns" "$PP"

finish

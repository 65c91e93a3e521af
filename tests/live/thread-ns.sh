#!/bin/bash
# Live test: a thread in other net and uts namespaces than its process.
#
# Helper "threadns": its second thread (named "nsthread") does
# unshare(CLONE_FS) + unshare(CLONE_NEWNET|CLONE_NEWUTS) and sleeps; the
# main thread stays in our namespaces.
#
# Asserts (whole namespace objects, exactly): the thread's netns and utsns
# have reference ["/proc/TID/ns/net|uts"], "loose-threads": [TID], owner =
# our user ns, no leaders; the process's namespaces are ours; its task list
# is exactly [PID, TID] with the right names and per-task namespaces; the
# TID is not a process key; our netns does not list TID as a loose thread.
# With --no-tasks the thread's namespaces are not found.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

INIT_USER=$(nsino $$ user)
HOST_NET=$(nsino $$ net)
HOST_UTS=$(nsino $$ uts)

THREADNS=$(helper threadns)
"$THREADNS" </dev/null >"$WORK/threadns.out" 2>&1 &
T=$!
track_pid $T
line=$(wait_line "$WORK/threadns.out")
if ! [[ $line =~ ^tid=([0-9]+)\ net=([0-9]+)\ uts=([0-9]+)$ ]]; then
    wait $T || [ $? != 3 ] || skip "kernel refuses per-thread unshare: $line"
    fatal "threadns: $line"
fi
TID=${BASH_REMATCH[1]}
NN=${BASH_REMATCH[2]}
NU=${BASH_REMATCH[3]}
[ "$(nsino $T net)" = "$HOST_NET" ] || fatal "ground truth: process $T is not in our netns"
[ "$(nsino $T uts)" = "$HOST_UTS" ] || fatal "ground truth: process $T is not in our utsns"
[ "$(nsino $T/task/$TID net)" = "$NN" ] || fatal "ground truth: thread $TID not in net:[$NN]"
[ "$(nsino $TID uts)" = "$NU" ] || fatal "ground truth: thread $TID not in uts:[$NU]"
[ "$NN" != "$HOST_NET" ] && [ "$NU" != "$HOST_UTS" ] || fatal "ground truth: thread did not get new namespaces"
[ "$(cat /proc/$T/task/$TID/comm)" = nsthread ] || fatal "ground truth: thread name is $(cat /proc/$T/task/$TID/comm)"
MAINNAME=$(cat /proc/$T/comm)
[ "$(ls /proc/$T/task | sort -n | tr '\n' ' ')" = "$T $TID " ] || fatal "ground truth: tasks of $T: $(ls /proc/$T/task)"
log "process $T ($MAINNAME): thread $TID in net:[$NN] uts:[$NU]"

run_dumpns
expect_wire_format

expect_ns "thread's netns" "$NN" "{\"nsid\":$NN,\"type\":\"net\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$TID/ns/net\"],\"loose-threads\":[$TID]}"
expect_ns "thread's utsns" "$NU" "{\"nsid\":$NU,\"type\":\"uts\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$TID/ns/uts\"],\"loose-threads\":[$TID]}"
expect "process namespaces are ours" "{\"net\":$HOST_NET,\"uts\":$HOST_UTS}" "$(P $T).namespaces | {net, uts}"
expect "process name" "\"$MAINNAME\"" "$(P $T).name"
expect "task ids" "[$T,$TID]" "[$(P $T).tasks[].tid] | sort"
expect "main task" "{\"name\":\"$MAINNAME\",\"net\":$HOST_NET,\"uts\":$HOST_UTS}" \
    "$(P $T).tasks[] | select(.tid == $T) | {name, net: .namespaces.net, uts: .namespaces.uts}"
expect "thread task" "{\"name\":\"nsthread\",\"net\":$NN,\"uts\":$NU}" \
    "$(P $T).tasks[] | select(.tid == $TID) | {name, net: .namespaces.net, uts: .namespaces.uts}"
expect "other task namespaces equal the process's" true \
    "$(P $T) | .namespaces as \$p | .tasks[] | select(.tid == $TID) | .namespaces | del(.net, .uts) == (\$p | del(.net, .uts))"
expect "thread is not a process" false '.processes | has($k)' --arg k "$TID"
expect "our netns does not list the thread as loose" false \
    "($(N $HOST_NET)[\"loose-threads\"] // []) | index($TID) != null"
expect "process is not a leader of the thread's netns" false "$(N $NN) | has(\"leaders\")"

run_dumpns --no-tasks
expect "--no-tasks: discovery-options.from-tasks" false '.["discovery-options"]["from-tasks"]'
expect_absent "--no-tasks: thread's netns" "$NN"
expect_absent "--no-tasks: thread's utsns" "$NU"
expect_true "--no-tasks: no namespace has loose threads" '[.namespaces[] | has("loose-threads")] | any | not'

finish

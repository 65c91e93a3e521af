#!/bin/bash
# Live test: processes whose comm contains spaces and parentheses, which
# breaks naive parsers of /proc/PID/stat (the comm is field 2, in parens).
#
#   "a) (b c"        first ')' is not the end of the comm
#   "x) R 1 2 (y"    looks like more stat fields after a fake ')'
#   "((("            only opening parentheses
#   "z)"             ends in ')' itself
#   "nl<LF>x"        a newline (raw in /proc/PID/stat, escaped in status)
#   'q"b\s'          JSON escaping of quote and backslash
#
# Asserts per process: "name" exact, "pid", "ppid" (our shell), "starttime"
# (field 22 of /proc/PID/stat, counted after the LAST ')'), "cmdline"
# exact (argv with the spaces kept), the single task's "tid" and "name".
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

COMMNAME=$(helper commname)
names=('a) (b c' 'x) R 1 2 (y' '(((' 'z)' $'nl\nx' 'q"b\s')
pids=()
for i in "${!names[@]}"; do
    "$COMMNAME" "${names[i]}" </dev/null >"$WORK/comm$i.out" 2>&1 &
    p=$!
    track_pid $p
    pids+=("$p")
done
for i in "${!names[@]}"; do
    p=${pids[i]}
    line=$(wait_line "$WORK/comm$i.out")
    [ "$line" = ready ] || fatal "commname '${names[i]}': $line"
    [ "$(cat /proc/$p/comm)" = "${names[i]}" ] || fatal "ground truth: comm of $p is '$(cat /proc/$p/comm)'"
    [ "$(starttime_of $p)" -gt 0 ] || fatal "ground truth: cannot parse /proc/$p/stat"
done

run_dumpns
expect_wire_format

for i in "${!names[@]}"; do
    p=${pids[i]}
    name=${names[i]}
    st=$(starttime_of $p)
    want=$(jq -cn --arg n "$name" --arg exe "$COMMNAME" --argjson pid $p --argjson ppid $$ --argjson st "$st" \
        '{name: $n, pid: $pid, ppid: $ppid, starttime: $st, cmdline: [$exe, $n], tasks: [{tid: $pid, name: $n}]}')
    expect "process with comm '$name'" "$want" \
        "$(P $p) | {name, pid, ppid, starttime, cmdline, tasks: [.tasks[] | {tid, name}]}"
done

finish

#!/bin/bash
# Live test: cross-check dumpns against util-linux `lsns -J`.
#
# lsns (2.38) lists only namespaces that have processes; for every row
# (ns, type, pid) that lsns reports identically before AND after the dumpns
# run (so short-lived processes can't make the test flaky):
#   - the namespace is in dumpns "namespaces" with the same type,
#   - it has at least one leader,
#   - process pid is in dumpns "processes" and its namespaces[type] is ns.
# To make this meaningful, the test first starts
#   unshare -Ur --fork --kill-child --pid --mount --uts --ipc --net --cgroup --time sleep
# and checks that its 8 new namespaces are among the rows and that, for
# them, the number of processes dumpns puts in each equals lsns' NPROCS.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

command -v lsns >/dev/null || fatal "lsns (util-linux) is not installed"
probe "a user namespace with all other namespace types" \
    unshare -Ur --fork --pid --mount --uts --ipc --net --cgroup --time true

unshare -Ur --fork --kill-child --pid --mount --uts --ipc --net --cgroup --time sleep infinity \
    </dev/null >/dev/null 2>&1 &
U=$!
track_pid $U
C=$(wait_child $U)
track_pid $C
wait_exe $C "$SLEEP_EXE"
ours="[]"
for t in user mnt uts ipc net cgroup pid time; do
    i=$(nsino $C $t)
    [ "$i" != "$(nsino $$ $t)" ] || fatal "ground truth: $t namespace of $C is not new"
    ours=$(jq -c --argjson ns "$i" --arg t "$t" '. + [{ns: $ns, type: $t}]' <<<"$ours")
done
log "new namespaces of $U/$C: $ours"

lsns_json() {
    # lsns 2.38 gives up (silently, exit 1) when a process it is reading
    # exits under it: on a busy host, ask again
    local try
    for try in 1 2 3 4 5; do
        lsns -J -o NS,TYPE,PID,NPROCS >"$1" 2>"$WORK/lsns.err" && break
        [ "$try" = 5 ] && fatal "lsns failed 5 times: $(cat "$WORK/lsns.err")"
        sleep 0.2
    done
}
lsns_json "$WORK/lsns1.json"
run_dumpns
expect_wire_format
lsns_json "$WORK/lsns2.json"

ROWS=$(jq -cn --slurpfile a "$WORK/lsns1.json" --slurpfile b "$WORK/lsns2.json" '
    [$b[0].namespaces[] | {ns, type, pid, nprocs}] as $y
    | [$a[0].namespaces[] | {ns, type, pid, nprocs} | select(. as $r | any($y[]; .ns == $r.ns and .type == $r.type and .pid == $r.pid))]')
total=$(jq '.namespaces | length' "$WORK/lsns1.json")
stable=$(jq length <<<"$ROWS")
log "lsns rows: $total, stable across the dumpns run: $stable"
[ "$stable" -ge 8 ] || fatal "too few stable lsns rows ($stable of $total) to cross-check"

MISMATCH_FILTER='
    . as $d
    | [ $rows[]
        | . as $r
        | ($r.ns | tostring) as $k
        | ($r.pid | tostring) as $p
        | if ($d.namespaces | has($k) | not) then
              "\($r.type):[\($k)] (lsns pid \($p)) is missing from dumpns namespaces"
          else
              (if $d.namespaces[$k].type != $r.type then
                   "\($k): lsns type \($r.type), dumpns type \($d.namespaces[$k].type)" else empty end),
              (if (($d.namespaces[$k].leaders // []) | length) == 0 then
                   "\($r.type):[\($k)] has processes (lsns pid \($p)) but no leaders in dumpns" else empty end)
          end,
          if ($d.processes | has($p) | not) then
              "pid \($p) (lsns: \($r.type):[\($k)]) is missing from dumpns processes"
          elif $d.processes[$p].namespaces[$r.type] != $r.ns then
              "pid \($p) \($r.type): lsns \($k), dumpns \($d.processes[$p].namespaces[$r.type])"
          else empty end
      ]'
expect "lsns rows that disagree with dumpns" '[]' "$MISMATCH_FILTER" --argjson rows "$ROWS"

# our own namespaces: present in lsns, and the same number of processes
for row in $(jq -c '.[]' <<<"$ours"); do
    ns=$(jq -r .ns <<<"$row")
    t=$(jq -r .type <<<"$row")
    n=$(jq -r --argjson ns "$ns" --arg t "$t" '[.[] | select(.ns == $ns and .type == $t)][0].nprocs // empty' <<<"$ROWS")
    [ -n "$n" ] || { fail "lsns does not list our $t:[$ns] (test setup problem)"; continue; }
    expect "number of processes in our $t:[$ns] (lsns NPROCS)" "$n" \
        '[.processes[] | select(.namespaces[$t] == $ns)] | length' --arg t "$t" --argjson ns "$ns"
done
expect "our pid ns: leader is the forked child" "[$C]" "$(N "$(nsino $C pid)").leaders"
expect "our user ns: leader is the unshare parent" "[$U]" "$(N "$(nsino $C user)").leaders"

finish

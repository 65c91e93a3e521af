#!/bin/bash
# Live test of -J/--json of lsuns, lspidns, pidtree and nscaps: a freshly
# built chain of nested user and PID namespaces must be nested in the JSON
# trees with the exact inodes (from the kernel: stat, nsrel) and PIDs:
#
#   B1  unshare -Ur --pid --fork --kill-child      user U1, pid_for_children P1
#   C1    unshare -Ur --pid --fork --kill-child    pid P1 (PID 1 there), user U2
#   C2      sleep infinity                         user U2, pid P2 (NSpid C2 2 1)
source "$(dirname "${BASH_SOURCE[0]}")/toolslib.sh"
tools_init "$@"

probe "user namespaces" unshare -Ur true
probe "PID namespaces" unshare --pid --fork true
command -v jq >/dev/null || skip "jq is not installed"

INIT_USER=$(nsino $$ user)
HOST_PID=$(nsino $$ pid)

unshare -Ur --pid --fork --kill-child unshare -Ur --pid --fork --kill-child \
    sleep infinity </dev/null >/dev/null 2>&1 &
B1=$!
track_pid $B1
C1=$(wait_child $B1)
track_pid $C1
C2=$(wait_child $C1)
track_pid $C2
wait_exe $C2 "$SLEEP_EXE"
U1=$(nsino $B1 user)
U2=$(nsino $C2 user)
P1=$(nsino $C1 pid)
P2=$(nsino $C2 pid)
[ "$(nsrel /proc/$C2/ns/user parent)" = "$U1" ] || fatal "ground truth: parent of $U2 is not $U1"
[ "$(nsrel /proc/$B1/ns/user parent)" = "$INIT_USER" ] || fatal "ground truth: parent of $U1 is not $INIT_USER"
[ "$(nsrel /proc/$C2/ns/pid parent)" = "$P1" ] || fatal "ground truth: parent of $P2 is not $P1"
[ "$(nsrel /proc/$C1/ns/pid parent)" = "$HOST_PID" ] || fatal "ground truth: parent of $P1 is not $HOST_PID"
[ "$(nsrel /proc/$C1/ns/pid owner)" = "$U1" ] || fatal "ground truth: $P1 is not owned by $U1"
[ "$(nsrel /proc/$C2/ns/pid owner)" = "$U2" ] || fatal "ground truth: $P2 is not owned by $U2"
nspid=$(awk '/^NSpid:/ {$1=""; print substr($0,2)}' /proc/$C2/status)
[ "$nspid" = "$C2 2 1" ] || fatal "ground truth: NSpid of $C2 is '$nspid', not '$C2 2 1'"
log "B1 $B1 > C1 $C1 > C2 $C2; user $INIT_USER > $U1 > $U2; pid $HOST_PID > $P1 > $P2"

JQDEFS='
def node_id: if has("nsid") then "\(.type):\(.nsid)" else "\(.pid)" end;
def chain($k; $v): . as $d
  | first(paths(objects | select(has("children") and .[$k] == $v))) as $p
  | [range(2; ($p | length) + 1; 2) as $i | $d | getpath($p[:$i]) | node_id];
def node($k; $v): first(.. | objects | select(has("children") and .[$k] == $v));
'

# json OUT TOOL ARGS...: runs TOOL -J (exit 0, nothing on stderr, valid JSON)
json() {
    local out=$1 tool=$2 rc=0
    shift 2
    "${TOOL[$tool]}" -J "$@" >"$WORK/$out.json" 2>"$WORK/$out.err" || rc=$?
    # (a partial view's one line is no error: processes we cannot read here)
    sed -i '/; --diagnostics lists them$/d' "$WORK/$out.err"
    if [ $rc != 0 ] || [ -s "$WORK/$out.err" ]; then
        sed 's/^/    /' "$WORK/$out.err" >&2
        fatal "$tool -J $* exited with $rc"
    fi
    jq -e . "$WORK/$out.json" >/dev/null || fatal "$tool -J $*: not valid JSON"
}

# check OUT WHAT EXPECTED FILTER: the compact result of FILTER is EXPECTED
check() {
    local out=$1 what=$2 want=$3 got
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    got=$(jq -c "$JQDEFS $4" "$WORK/$out.json" 2>&1)
    if [ "$got" != "$want" ]; then
        fail "$out: $what: want $want, got $got"
    fi
}

# the chains, from the root down; our user namespace may itself be below the
# initial one (a container), so the chains start where ours does
UCHAIN_TAIL="\"user:$INIT_USER\",\"user:$U1\",\"user:$U2\""
json lsuns lsuns
check lsuns "user chain $INIT_USER > $U1 > $U2" "[$UCHAIN_TAIL]" \
    "chain(\"nsid\"; $U2) | .[index(\"user:$INIT_USER\"):]"
check lsuns "user:[$U1]'s senior process and owner" \
    "{\"pid\":$B1,\"name\":\"unshare\",\"user-id\":0}" \
    "node(\"nsid\"; $U1) | {pid: .ealdorman.pid, name: .ealdorman.name, \"user-id\"}"
check lsuns "user:[$U2] is a leaf" "[]" "node(\"nsid\"; $U2).children"
json lsuns-d lsuns -d
check lsuns-d "-d: user:[$U1] owns pid:[$P1], user:[$U2] owns pid:[$P2]" "[[$P1],[$P2]]" \
    "[node(\"nsid\"; $U1), node(\"nsid\"; $U2) | [.owned[] | select(.type == \"pid\") | .nsid]]"
json lsuns-sub lsuns "user:[$U1]"
check lsuns-sub "USERNS: the subtree of user:[$U1]" "[\"user:$U1\",\"user:$U2\"]" "chain(\"nsid\"; $U2)"

json lspidns lspidns
check lspidns "PID chain $HOST_PID > $P1 > $P2" "[\"pid:$HOST_PID\",\"pid:$P1\",\"pid:$P2\"]" \
    "chain(\"nsid\"; $P2) | .[index(\"pid:$HOST_PID\"):]"
check lspidns "pid:[$P2]'s senior process" "$C2" "node(\"nsid\"; $P2).ealdorman.pid"
json lspidns-u lspidns -u
check lspidns-u "-u: user namespaces interleaved" \
    "[\"pid:$HOST_PID\",\"user:$U1\",\"pid:$P1\",\"user:$U2\",\"pid:$P2\"]" \
    "chain(\"nsid\"; $P2) | .[index(\"pid:$HOST_PID\"):]"

json pidtree pidtree
check pidtree "processes and PID namespaces nested" \
    "[\"$B1\",\"pid:$P1\",\"$C1\",\"pid:$P2\",\"$C2\"]" "chain(\"pid\"; $C2) | .[index(\"$B1\"):]"
check pidtree "the PIDs of $C2 in the nested PID namespaces" "{\"pidns\":$P2,\"pids\":[$C2,2,1]}" \
    "node(\"pid\"; $C2) | {pidns, pids}"
json pidtree-p pidtree -p 1 -n "pid:[$P2]"
check pidtree-p "-p 1 -n pid:[$P2]: the branch ends in $C2" "[\"$C1\",\"pid:$P2\",\"$C2\"]" \
    "[.namespaces[] | recurse(.children[]) | node_id] | .[-3:]"

# root in our user namespace toward pid:[P2]: U1 was created by UID 0
json nscaps nscaps --brief --proccaps=off "pid:[$P2]"
check nscaps "the target below its user namespaces" "[$UCHAIN_TAIL,\"pid:$P2\"]" \
    "chain(\"nsid\"; $P2) | .[index(\"user:$INIT_USER\"):]"
check nscaps "root has all capabilities in the target" "[\"all\",true]" "node(\"nsid\"; $P2) | [.verdict, .target]"

finish

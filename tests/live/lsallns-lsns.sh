#!/bin/bash
# Live test: lsallns speaks lsns. Cross-checks lsallns against util-linux
# lsns on this system, column by column with lsns's meanings:
#   NS TYPE NPROCS PID PPID USER UID PNS ONS PATH COMMAND NETNSID NSFS
# for every namespace both list, comparing only the lsns rows that are the
# same before AND after the lsallns run (short-lived processes must not
# make the test flaky). To make that meaningful it first starts
#   - unshare -Ur --fork --pid --mount --uts --ipc --net --cgroup --time sleep
#     (8 new namespaces; the user namespace has 2 processes, the PID one 1),
#   - as UID 54321 (no user name): unshare -U --net sleep, so USER/UID of a
#     process differ from its user namespace's owner,
#   - a veth pair into the new network namespace (it gets a NETNSID in ours)
#     and a bind mount of it (NSFS).
# Then -p PID, a namespace argument (list and tree) and --tree against lsns.
source "$(dirname "${BASH_SOURCE[0]}")/toolslib.sh"
tools_init "$@"

command -v lsns >/dev/null || fatal "lsns (util-linux) is not installed"
LSALLNS=${TOOL[lsallns]:-}
[ -x "$LSALLNS" ] || fatal "lsallns was not passed to the test"
probe "a user namespace with all other namespace types" \
    unshare -Ur --fork --pid --mount --uts --ipc --net --cgroup --time true

unshare -Ur --fork --kill-child --pid --mount --uts --ipc --net --cgroup --time sleep infinity \
    </dev/null >/dev/null 2>&1 &
U=$!
track_pid $U
C=$(wait_child $U)
track_pid $C
wait_exe $C "$SLEEP_EXE"
setpriv --reuid 54321 --regid 54321 --clear-groups unshare -U --net sleep infinity \
    </dev/null >/dev/null 2>&1 &
S=$!
track_pid $S
wait_exe $S "$SLEEP_EXE"
for t in user mnt uts ipc net cgroup pid time; do
    [ "$(nsino $C $t)" != "$(nsino $$ $t)" ] || fatal "ground truth: $t namespace of $C is not new"
done
NETC=$(nsino $C net)
USERC=$(nsino $C user)
PIDC=$(nsino $C pid)
USERS=$(nsino $S user)
[ "$(stat -c %u /proc/$S)" = 54321 ] || fatal "ground truth: /proc/$S is not owned by 54321"

# NSFS: bind-mount the new network namespace; NETNSID: a veth pair into it
touch "$WORK/netns"
mount --bind /proc/$C/ns/net "$WORK/netns" || fatal "cannot bind-mount /proc/$C/ns/net"
track_mount "$WORK/netns"
VETH=lxv$$
if ip link add "${VETH}a" type veth peer name "${VETH}b" netns $C 2>/dev/null; then
    HAVE_NSID=1 # the pair goes with the namespace
else
    HAVE_NSID=0
    log "no veth here: NETNSID is compared as 'unassigned' only"
fi

COLS=NS,TYPE,NPROCS,PID,PPID,USER,UID,PNS,ONS,PATH,COMMAND,NETNSID,NSFS
lsns_json() { # OUT ARGS...
    # lsns 2.38 gives up (silently, exit 1) when a process it is reading
    # exits under it: on a busy host, ask again
    local out=$1 try
    shift
    for try in 1 2 3 4 5; do
        lsns -J -l "$@" >"$out" 2>"$WORK/lsns.err" && return
        sleep 0.2
    done
    fatal "lsns $* failed 5 times: $(cat "$WORK/lsns.err")"
}
lsallns_json() { # OUT ARGS...
    local out=$1
    shift
    "$LSALLNS" -J "$@" >"$out" 2>"$WORK/lsallns.err" ||
        fatal "lsallns -J $* failed: $(cat "$WORK/lsallns.err")"
    # (a partial view's one line is no error: processes we cannot read here)
    sed -i '/; --diagnostics lists them$/d' "$WORK/lsallns.err"
    [ ! -s "$WORK/lsallns.err" ] || fatal "lsallns -J $* wrote to stderr: $(cat "$WORK/lsallns.err")"
}

lsns_json "$WORK/lsns1.json" -o "$COLS"
lsallns_json "$WORK/ours.json" -o "${COLS,,}" # lower case: names are case-insensitive
lsns_json "$WORK/lsns2.json" -o "$COLS"

# the lsns rows that did not change, and which of them lsallns has otherwise
ROWS=$(jq -cn --slurpfile a "$WORK/lsns1.json" --slurpfile b "$WORK/lsns2.json" \
    '[$a[0].namespaces[] | . as $r | select(any($b[0].namespaces[]; . == $r))]')
total=$(jq '.namespaces | length' "$WORK/lsns1.json")
stable=$(jq length <<<"$ROWS")
log "lsns rows: $total, stable across the lsallns run: $stable"
[ "$stable" -ge 10 ] || fatal "too few stable lsns rows ($stable of $total) to cross-check"

LIVE_CHECKS=$((LIVE_CHECKS + 1))
DIFF=$(jq -c --argjson rows "$ROWS" '
    (.namespaces | map({key: (.ns | tostring), value: .}) | from_entries) as $ours
    | [ $rows[] | . as $r
        | if ($ours | has($r.ns | tostring) | not) then "\($r.type):[\($r.ns)] missing"
          else ($ours[$r.ns | tostring]) as $o
               | ($r | keys[]) as $k
               | select($o[$k] != $r[$k])
               | "\($r.type):[\($r.ns)] \($k): lsns \($r[$k] | tojson), lsallns \($o[$k] | tojson)"
          end ]' "$WORK/ours.json")
[ "$DIFF" = "[]" ] || fail "lsallns and lsns disagree: $DIFF"

# the rows of our namespaces are among the stable ones, with the values we
# know: that makes the comparison above cover them
row() { jq -c --argjson ns "$1" '[.[] | select(.ns == $ns)][0] // empty' <<<"$ROWS"; }
expect_row() { # NS JQ-FILTER DESCRIPTION
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    local r
    r=$(row "$1")
    if [ -z "$r" ]; then
        fail "lsns does not list $1 ($3) stably"
    elif [ "$(jq -r "$2" <<<"$r")" != true ]; then
        fail "$3: lsns row $r"
    fi
}
expect_row "$USERC" ".nprocs == 2 and .pid == $U and .user == \"root\" and .ons == $(nsino $$ user)" \
    "our user namespace: 2 processes, unshare the lowest PID"
expect_row "$PIDC" ".nprocs == 1 and .pid == $C and .ppid == $U and .pns == $(nsino $$ pid) and .ons == $USERC" \
    "our PID namespace: sleep, below the initial one, owned by our user namespace"
expect_row "$NETC" ".nsfs == \"$WORK/netns\" and .path == \"/proc/$U/ns/net\"" \
    "our network namespace: bind-mounted"
if [ $HAVE_NSID = 1 ]; then
    expect_row "$NETC" '.netnsid != "unassigned" and (.netnsid | test("^[0-9]+$"))' \
        "our network namespace has an ID"
fi
expect_row "$USERS" ".uid == 54321 and .user == \"54321\" and .pid == $S and .command == \"sleep infinity\"" \
    "the user namespace of UID 54321's process"

# -p PID: the namespaces of that process
lsns_json "$WORK/lsns-p.json" -p $C -o NS,TYPE,NPROCS,PID,PPID,UID,PNS,ONS
lsallns_json "$WORK/ours-p.json" -p $C -o NS,TYPE,NPROCS,PID,PPID,UID,PNS,ONS
check() { # DESCRIPTION COMMAND...
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    local what=$1
    shift
    "$@" || fail "$what"
}
same_ns_json() { cmp -s <(jq -S . "$1") <(jq -S . "$2"); }
check "lsallns -p $C: the same rows as lsns -p $C" same_ns_json "$WORK/lsns-p.json" "$WORK/ours-p.json"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
[ "$(jq '.namespaces | length' "$WORK/ours-p.json")" = 8 ] || fail "lsallns -p $C: not 8 namespaces"

# a namespace argument: its processes, flat (-l) and as a process tree
lsns_json "$WORK/lsns-ns.json" -o PID,PPID,USER,UID,COMMAND,NS,PATH "$USERC"
lsallns_json "$WORK/ours-ns.json" -l -o PID,PPID,USER,UID,COMMAND,NS,PATH "user:[$USERC]"
check "lsallns -l user:[$USERC]: the same processes as lsns -l $USERC" \
    same_ns_json "$WORK/lsns-ns.json" "$WORK/ours-ns.json"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
[ "$(jq -c '[.namespaces[].pid]' "$WORK/ours-ns.json")" = "[$U,$C]" ] ||
    fail "lsallns user:[$USERC]: not the processes $U and $C"
lsns -o PID,PPID,COMMAND "$USERC" >"$WORK/lsns-tree" 2>&1
"$LSALLNS" -o PID,PPID,COMMAND "$USERC" >"$WORK/ours-tree" 2>"$WORK/ours-tree.err"
check "lsallns $USERC (a process tree) prints what lsns $USERC prints" \
    cmp -s "$WORK/lsns-tree" "$WORK/ours-tree"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
grep -qE "^ *$C +$U +└─sleep infinity\$" "$WORK/ours-tree" ||
    fail "lsallns $USERC: sleep is not below unshare: $(cat "$WORK/ours-tree")"

# --tree=owner and --tree=parent: our namespaces nest as in lsns
"$LSALLNS" -J --tree=owner -o NS >"$WORK/ours-towner.json" || fatal "lsallns -T failed"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
jq -e --argjson u "$USERC" --argjson p "$PIDC" \
    '.. | objects | select(.ns? == $u) | .children | any(.ns == $p)' \
    "$WORK/ours-towner.json" >/dev/null || fail "lsallns -T: pid:[$PIDC] is not below user:[$USERC]"
"$LSALLNS" -J --tree=parent -o NS >"$WORK/ours-tparent.json" || fatal "lsallns -Tparent failed"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
jq -e --argjson i "$(nsino $$ pid)" --argjson p "$PIDC" \
    '.. | objects | select(.ns? == $i) | .children | any(.ns == $p)' \
    "$WORK/ours-tparent.json" >/dev/null || fail "lsallns -Tparent: pid:[$PIDC] is not below the initial PID namespace"
for rel in owner parent; do
    lsns -J --tree=$rel -o NS,PNS,ONS >"$WORK/lsns-t$rel.json" 2>/dev/null || continue
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    # the parent of each of our namespaces in lsns's tree is the one in ours
    for ns in "$USERC" "$PIDC" "$NETC" "$USERS"; do
        q='[paths(objects and .ns? == $n)] | .[0] // [] | .[:-2] as $up | $up'
        a=$(jq -c --argjson n "$ns" "getpath($q) | .ns? // null" "$WORK/lsns-t$rel.json" 2>/dev/null)
        b=$(jq -c --argjson n "$ns" "getpath($q) | .ns? // null" "$WORK/ours-t$rel.json" 2>/dev/null)
        [ -n "${DEBUG_TREE:-}" ] && log "tree=$rel $ns: lsns $a, lsallns $b"
        [ "$a" = "$b" ] || fail "--tree=$rel: $ns nests below $a in lsns, below $b in lsallns"
    done
done

finish

#!/bin/bash
# Live test of lsuns, lspidns, pidtree, lsallns and nsgraph on real
# namespaces built here:
#
#   B1  unshare -Ur --pid --fork --kill-child      user U1, pid_for_children P1
#   C1    unshare -Ur --pid --fork --kill-child    pid P1 (PID 1 there); its own
#                                                  unshare -U moves it to U2;
#                                                  pid_for_children P2
#   C2      sleep infinity                         user U2, pid P2 (NSpid C2 2 1)
#   N1  a netns bind-mounted at $WORK/net (no process)
#   UB  a user ns bind-mounted at $WORK/user whose parent UP has no process
#       (both process-less; UP hidden)
#   T   the threadns helper: its thread "nsthread" alone is in net NN (a
#       loose thread)
#
# Checks the exact node labels, properties and parent/child relations the
# trees must show (ASCII tree style, --cgroup=full), the table rows and the
# DOT edges. The owner UIDs, parents and inodes come from the kernel (nsrel,
# stat); only the ealdorman of our mount namespace (the first element of a
# bind mount's reference) is taken from a dumpns run.
source "$(dirname "${BASH_SOURCE[0]}")/toolslib.sh"
tools_init "$@"

probe "user namespaces" unshare -Ur true
probe "PID namespaces" unshare --pid --fork true
probe "network namespaces" unshare --net true

INIT_USER=$(nsino $$ user)
HOST_PID=$(nsino $$ pid)

# --- nested user + PID namespaces, a process on every level ----------------
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
[ "$(nsino $B1 pid)" = "$HOST_PID" ] || fatal "ground truth: $B1 is not in our PID ns"
[ "$(nsino $C1 user)" = "$U2" ] || fatal "ground truth: $C1 is not in user ns $U2"
[ "$(nsrel /proc/$C2/ns/user parent)" = "$U1" ] || fatal "ground truth: parent of $U2 is not $U1"
[ "$(nsrel /proc/$B1/ns/user parent)" = "$INIT_USER" ] || fatal "ground truth: parent of $U1 is not $INIT_USER"
[ "$(nsrel /proc/$C1/ns/pid owner)" = "$U1" ] || fatal "ground truth: $P1 is not owned by $U1"
[ "$(nsrel /proc/$C2/ns/pid owner)" = "$U2" ] || fatal "ground truth: $P2 is not owned by $U2"
[ "$(nsrel /proc/$C2/ns/pid parent)" = "$P1" ] || fatal "ground truth: parent of $P2 is not $P1"
[ "$(nsrel /proc/$C2/ns/user uid)" = 0 ] && [ "$(nsrel /proc/$B1/ns/user uid)" = 0 ] ||
    fatal "ground truth: the owner UIDs of $U1 and $U2 are not 0"
nspid=$(awk '/^NSpid:/ {$1=""; print substr($0,2)}' /proc/$C2/status)
[ "$nspid" = "$C2 2 1" ] || fatal "ground truth: NSpid of $C2 is '$nspid', not '$C2 2 1'"
nspid=$(awk '/^NSpid:/ {$1=""; print substr($0,2)}' /proc/$C1/status)
[ "$nspid" = "$C1 1" ] || fatal "ground truth: NSpid of $C1 is '$nspid', not '$C1 1'"
ROOTNAME=$(getent passwd 0 | cut -d: -f1)
log "B1 $B1 > C1 $C1 > C2 $C2; user $INIT_USER > $U1 > $U2; pid $HOST_PID > $P1 > $P2"

# --- process-less namespaces -------------------------------------------------
touch "$WORK/net"
track_mount "$WORK/net"
unshare --net="$WORK/net" true || fatal "unshare --net=$WORK/net failed"
N1=$(nsino_path "$WORK/net")
touch "$WORK/user"
unshare -Ur unshare -Ur sleep infinity </dev/null >/dev/null 2>&1 &
t=$!
track_pid $t
wait_exe $t "$SLEEP_EXE"
track_mount "$WORK/user"
mount --bind /proc/$t/ns/user "$WORK/user" || fatal "bind-mounting the user ns of $t failed"
kill_now $t
UB=$(nsino_path "$WORK/user")
UP=$(nsrel "$WORK/user" parent)
[ "$(nsrel "$WORK/user" parent parent)" = "$INIT_USER" ] || fatal "ground truth: grandparent of $UB is not $INIT_USER"
assert_unreferenced "$N1" "$UB" "$UP"

# --- a loose thread ------------------------------------------------------------
"$(helper threadns)" </dev/null >"$WORK/threadns.out" 2>&1 &
T=$!
track_pid $T
line=$(wait_line "$WORK/threadns.out")
[[ $line =~ ^tid=([0-9]+)\ net=([0-9]+)\ uts=([0-9]+)$ ]] || fatal "threadns: $line"
TID=${BASH_REMATCH[1]}
NN=${BASH_REMATCH[2]}
TNAME=$(cat /proc/$T/comm)
log "N1 $N1, UB $UB (parent UP $UP), thread $TID of $T in net $NN"

# the first element of a bind mount's reference: our mount ns's ealdorman
run_dumpns
EALD=$(jq -r '.namespaces[$k].ealdorman // empty' --arg k "$(nsino $$ mnt)" "$DUMP")
[ -n "$EALD" ] || fatal "our mount namespace has no ealdorman in the dump"
MNTREF="/proc/$EALD/ns/mnt"

# the labels
L_U1="user:[$U1] process \"unshare\" ($B1)$(controlled $B1) created by UID 0 (\"$ROOTNAME\")"
L_U2="user:[$U2] process \"unshare\" ($C1)$(controlled $C1) created by UID 0 (\"$ROOTNAME\")"
L_UP="user:[$UP] created by UID 0 (\"$ROOTNAME\")"
L_UB="user:[$UB] bind-mounted at \"$MNTREF»$WORK/user\" created by UID 0 (\"$ROOTNAME\")"
L_N1="net:[$N1] bind-mounted at \"$MNTREF»$WORK/net\""
L_NN="net:[$NN] task \"nsthread\" [$TID] of \"$TNAME\" ($T)"
L_P1="pid:[$P1] process \"unshare\" ($C1)$(controlled $C1)"
L_P2="pid:[$P2] process \"sleep\" ($C2)$(controlled $C2)"

# --- lsuns ---------------------------------------------------------------------
render lsuns lsuns -d
INIT_LABEL=$(awk -F'\t' '$1 == "N" && $2 == 0 && index($3, "user:['"$INIT_USER"']") == 1 { print $3 }' "$WORK/lsuns.tree")
[ -n "$INIT_LABEL" ] || fatal "lsuns: no root node for our user namespace $INIT_USER"
expect_child lsuns "$INIT_LABEL" "$L_U1"
expect_child lsuns "$L_U1" "$L_U2"
expect_child lsuns "$INIT_LABEL" "$L_UP"
expect_child lsuns "$L_UP" "$L_UB"
expect_prop lsuns "$INIT_LABEL" "$L_N1"
expect_prop lsuns "$INIT_LABEL" "$L_NN"
expect_prop lsuns "$L_U1" "$L_P1"
expect_prop lsuns "$L_U2" "$L_P2"
render lsuns-notask lsuns -d --task=off
expect_no_node lsuns-notask "$L_NN"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
grep -qF "net:[$NN]" "$WORK/lsuns-notask" && fail "lsuns --task=off still shows the thread's net:[$NN]"
render lsuns-sub lsuns "user:[$U1]"
expect_line lsuns-sub "$L_U1"
expect_line lsuns-sub "\\_ $L_U2"

# --- lspidns -------------------------------------------------------------------
render lspidns lspidns
HOST_LABEL=$(awk -F'\t' '$1 == "N" && index($3, "pid:['"$HOST_PID"']") == 1 { print $3 }' "$WORK/lspidns.tree")
[ -n "$HOST_LABEL" ] || fatal "lspidns: no node for our PID namespace $HOST_PID"
expect_child lspidns "$HOST_LABEL" "$L_P1"
expect_child lspidns "$L_P1" "$L_P2"
render lspidns-u lspidns -u
expect_child lspidns-u "$HOST_LABEL" "$L_U1"
expect_child lspidns-u "$L_U1" "$L_P1"
expect_child lspidns-u "$L_P1" "$L_U2"
expect_child lspidns-u "$L_U2" "$L_P2"

# --- pidtree -------------------------------------------------------------------
L_B1="\"unshare\" ($B1)$(controlled $B1)"
L_C1="\"unshare\" ($C1/1)$(controlled $C1)"
L_C2="\"sleep\" ($C2/2/1)$(controlled $C2)"
L_PNS1="pid:[$P1], owned by UID 0 (\"$ROOTNAME\")"
L_PNS2="pid:[$P2], owned by UID 0 (\"$ROOTNAME\")"
render pidtree pidtree
expect_child pidtree "$L_B1" "$L_PNS1"
expect_child pidtree "$L_PNS1" "$L_C1"
expect_child pidtree "$L_C1" "$L_PNS2"
expect_child pidtree "$L_PNS2" "$L_C2"
render pidtree-p pidtree -p $C2
expect_child pidtree-p "$L_B1" "$L_PNS1"
expect_child pidtree-p "$L_C1" "$L_PNS2"
expect_child pidtree-p "$L_PNS2" "$L_C2"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
[ "$(tail -n1 "$WORK/pidtree-p.tree" | cut -f3)" = "$L_C2" ] || fail "pidtree -p $C2: the branch does not end in $C2"
# the same process as PID 1 of its own PID namespace, and as PID 2 of P1
render pidtree-n pidtree -p 1 -n "pid:[$P2]"
cmp -s "$WORK/pidtree-p" "$WORK/pidtree-n" || fail "pidtree -p 1 -n pid:[$P2] differs from -p $C2"
render pidtree-n2 pidtree -p 2 -n "$P1"
cmp -s "$WORK/pidtree-p" "$WORK/pidtree-n2" || fail "pidtree -p 2 -n $P1 differs from -p $C2"

# --- lsallns -------------------------------------------------------------------
# SENIOR: the most senior process (lsns's PID is the lowest); OWNER and
# PARENT: ONS and PNS, 0 for none (a user namespace's owner is its parent)
render lsallns lsallns -r -o NAMESPACE,TYPE,SENIOR,PROCESS,COMMENT,OWNER,PARENT
raw() { printf '%s' "$1" | sed 's/ /\\x20/g; s/»/\\xc2\\xbb/g'; }
expect_line lsallns "$U1 user $B1 unshare cgroup:$(raw "$(cgroup_of $B1)") $INIT_USER $INIT_USER"
expect_line lsallns "$U2 user $C1 unshare cgroup:$(raw "$(cgroup_of $C1)") $U1 $U1"
expect_line lsallns "$P2 pid $C2 sleep cgroup:$(raw "$(cgroup_of $C2)") $U2 $P1"
expect_line lsallns "$UP user   ??? $INIT_USER $INIT_USER"
expect_line lsallns "$N1 net   bound:$(raw "$MNTREF»$WORK/net") $INIT_USER 0"
expect_line lsallns "$NN net $TID [nsthread] cgroup:$(raw "$(cgroup_of $T)") $INIT_USER 0"
render lsallns-json lsallns -J
DUMP_SAVED=$DUMP
DUMP=$WORK/lsallns-json
expect "lsallns -J: the bind-mounted netns row" \
    "{\"namespace\":$N1,\"type\":\"net\",\"container\":null,\"senior\":null,\"process\":null,\"comment\":\"bound:$MNTREF»$WORK/net\"}" \
    '.namespaces[] | select(.namespace == $n)' --argjson n "$N1"
expect "lsallns -J: the loose thread's row" \
    "{\"namespace\":$NN,\"type\":\"net\",\"senior\":$TID,\"process\":\"[nsthread]\"}" \
    '.namespaces[] | select(.namespace == $n) | {namespace, type, senior, process}' --argjson n "$NN"
DUMP=$DUMP_SAVED

# --- nsgraph -------------------------------------------------------------------
render nsgraph nsgraph
expect_line nsgraph "	ns$U1 -> ns$U2;"
expect_line nsgraph "	ns$P1 -> ns$P2;"
expect_line nsgraph "	ns$U1 -> ns$P1 [style=dashed, arrowhead=odot];"
expect_line nsgraph "	ns$U2 -> ns$P2 [style=dashed, arrowhead=odot];"
expect_line nsgraph "	ns$UP -> ns$UB;"
if command -v dot >/dev/null; then
    render nsgraph-svg nsgraph -T svg
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    grep -qF "user:[$U2]" "$WORK/nsgraph-svg" || fail "nsgraph -T svg does not show user:[$U2]"
fi

# --- a saved discovery renders the same trees -----------------------------------
"$DUMPNS" >"$WORK/saved.json" || fatal "dumpns failed"
render saved-lsuns lsuns -d -i "$WORK/saved.json"
expect_child saved-lsuns "$L_U1" "$L_U2"
expect_prop saved-lsuns "$INIT_LABEL" "$L_N1"

finish

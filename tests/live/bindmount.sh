#!/bin/bash
# Live test: namespaces held only by nsfs bind mounts in our mount namespace,
# and the hidden user namespaces behind them.
#
#  N1) unshare --net=$WORK/net true                    netns, bind mount only
#  N2) netns of "unshare -Ur --net sleep", bind-mounted at $WORK/net-hidden-owner,
#      then the process is killed: its owning user ns U2 has no process and no
#      reference; only NS_GET_USERNS on N2 reaches it.
#  UB) user ns of "unshare -Ur unshare -Ur sleep", bind-mounted at $WORK/user,
#      then the process is killed: UB's parent UP has no process and no
#      reference; only NS_GET_PARENT on UB reaches it.
#
# Asserts: reference = ["/proc/<pid>/ns/mnt", "<mount point>"] where the 2nd
# element is exact and the 1st matches ^/proc/[0-9]+/ns/mnt$, names the
# ealdorman of our mount namespace and that process is in our mount ns;
# types, owners (N1 -> our user ns, N2 -> U2), no leaders; U2 and UP are
# present without "reference" and with parent/children/user-id; UB's
# parent is UP.
#  N3) the netns of a live "unshare --net sleep" that is ALSO bind-mounted
#      keeps its process reference ["/proc/PID/ns/net"] and leader.
# With --no-bindmounts none of N1, N2, U2, UB, UP is found.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

probe "network namespaces" unshare --net true
probe "user namespaces" unshare -Ur true

INIT_USER=$(nsino $$ user)
OUR_MNT=$(nsino $$ mnt)

# --- N1: plain bind-mounted netns ---------------------------------------------
touch "$WORK/net"
track_mount "$WORK/net"
unshare --net="$WORK/net" true || fatal "unshare --net=$WORK/net failed"
N1=$(nsino_path "$WORK/net")
[ "$(nsrel "$WORK/net" type)" = net ] || fatal "ground truth: $WORK/net is not a netns"
[ "$(nsrel "$WORK/net" owner)" = "$INIT_USER" ] || fatal "ground truth: $N1 not owned by $INIT_USER"

# --- N2: bind-mounted netns whose owner user ns has no process -----------------
touch "$WORK/net-hidden-owner"
unshare -Ur --net sleep infinity </dev/null >/dev/null 2>&1 &
t=$!
track_pid $t
wait_exe $t "$SLEEP_EXE"
track_mount "$WORK/net-hidden-owner"
mount --bind /proc/$t/ns/net "$WORK/net-hidden-owner" || fatal "bind-mounting netns of $t failed"
U2=$(nsino $t user)
kill_now $t
N2=$(nsino_path "$WORK/net-hidden-owner")
[ "$(nsrel "$WORK/net-hidden-owner" owner)" = "$U2" ] || fatal "ground truth: $N2 not owned by $U2"
[ "$(nsrel "$WORK/net-hidden-owner" owner parent)" = "$INIT_USER" ] || fatal "ground truth: parent of $U2 is not $INIT_USER"

# --- UB: bind-mounted user ns whose parent user ns has no process --------------
touch "$WORK/user"
unshare -Ur unshare -Ur sleep infinity </dev/null >/dev/null 2>&1 &
t=$!
track_pid $t
wait_exe $t "$SLEEP_EXE"
track_mount "$WORK/user"
mount --bind /proc/$t/ns/user "$WORK/user" || fatal "bind-mounting user ns of $t failed"
kill_now $t
UB=$(nsino_path "$WORK/user")
UP=$(nsrel "$WORK/user" parent)
[ "$(nsrel "$WORK/user" type)" = user ] || fatal "ground truth: $WORK/user is not a user ns"
[ "$(nsrel "$WORK/user" parent parent)" = "$INIT_USER" ] || fatal "ground truth: grandparent of $UB is not $INIT_USER"
[ "$(nsrel "$WORK/user" uid)" = 0 ] && [ "$(nsrel "$WORK/user" parent uid)" = 0 ] ||
    fatal "ground truth: owner uids of $UB/$UP are not 0"

# --- N3: process-held netns that is also bind-mounted -------------------------
touch "$WORK/net-with-process"
unshare --net sleep infinity </dev/null >/dev/null 2>&1 &
X=$!
track_pid $X
wait_exe $X "$SLEEP_EXE"
track_mount "$WORK/net-with-process"
mount --bind /proc/$X/ns/net "$WORK/net-with-process" || fatal "bind-mounting netns of $X failed"
N3=$(nsino $X net)

# nobody else may hold these namespaces through a process or fd
assert_unreferenced "$N1" "$N2" "$U2" "$UB" "$UP"
log "N1 $N1, N2 $N2 (owner U2 $U2), UB $UB (parent UP $UP); our mnt ns $OUR_MNT"

run_dumpns
expect_wire_format

# the first reference element must name the ealdorman of our mount ns
expect "our mount ns: type" '"mnt"' "$(N $OUR_MNT).type"
EALD=$(jq -r '.namespaces[$k].ealdorman // empty' --arg k "$OUR_MNT" "$DUMP")
if [ -z "$EALD" ]; then
    fail "our mount namespace $OUR_MNT has no ealdorman in the dump"
    EALD=none
fi
MNTREF="/proc/$EALD/ns/mnt"
expect "ealdorman $EALD of our mount ns is in our mount ns" "$OUR_MNT" "$(P "$EALD").namespaces.mnt"

for spec in "N1:$N1:net" "N2:$N2:net-hidden-owner" "UB:$UB:user"; do
    IFS=: read -r name ino file <<<"$spec"
    expect "$name reference[1] (mount point)" "\"$WORK/$file\"" "$(N "$ino").reference[1]"
    expect_true "$name reference[0] matches ^/proc/[0-9]+/ns/mnt\$" \
        "$(N "$ino").reference[0] | type == \"string\" and test(\"^/proc/[0-9]+/ns/mnt\$\")"
    expect "$name reference (exact, with the ealdorman of our mnt ns)" "[\"$MNTREF\",\"$WORK/$file\"]" "$(N "$ino").reference"
done

expect_ns "N1" "$N1" "{\"nsid\":$N1,\"type\":\"net\",\"owner\":$INIT_USER,\"reference\":[\"$MNTREF\",\"$WORK/net\"]}"
expect_ns "N2" "$N2" "{\"nsid\":$N2,\"type\":\"net\",\"owner\":$U2,\"reference\":[\"$MNTREF\",\"$WORK/net-hidden-owner\"]}"
expect_ns "U2 (hidden owner of N2)" "$U2" "{\"nsid\":$U2,\"type\":\"user\",\"parent\":$INIT_USER,\"user-id\":0,\"user-name\":\"root\"}"
expect_ns "UB (bind-mounted user ns)" "$UB" "{\"nsid\":$UB,\"type\":\"user\",\"reference\":[\"$MNTREF\",\"$WORK/user\"],\"parent\":$UP,\"user-id\":0,\"user-name\":\"root\"}"
expect_ns "UP (hidden parent of UB)" "$UP" "{\"nsid\":$UP,\"type\":\"user\",\"parent\":$INIT_USER,\"children\":[$UB],\"user-id\":0,\"user-name\":\"root\"}"
expect_ns "N3 (process-held and bind-mounted)" "$N3" "{\"nsid\":$N3,\"type\":\"net\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$X/ns/net\"],\"leaders\":[$X],\"ealdorman\":$X}"
expect_true "our user ns has U2 and UP as children" \
    ".namespaces[\$k].children | (index($U2) != null) and (index($UP) != null)" --arg k "$INIT_USER"

run_dumpns --no-bindmounts
expect "--no-bindmounts: discovery-options.from-bindmounts" false '.["discovery-options"]["from-bindmounts"]'
expect_absent "--no-bindmounts: N1" "$N1"
expect_absent "--no-bindmounts: N2" "$N2"
expect_absent "--no-bindmounts: U2" "$U2"
expect_absent "--no-bindmounts: UB" "$UB"
expect_absent "--no-bindmounts: UP" "$UP"

finish

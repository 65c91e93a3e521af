#!/bin/bash
# Live test: namespaces bind-mounted inside other mount namespaces, found
# transitively (cookbook §2.2 recipes G and I).
#
#  M1) a process-less mount namespace, bind-mounted on the host at
#      $D/mntns ($D: a private bind mount of a directory in $WORK).  Inside
#      M1 only (on a tmpfs at $I, invisible on the host):
#  M2)   a process-less mount namespace bind-mounted at $I/m2; inside M2
#        only (on a tmpfs at $I/d2, invisible in M1 and on the host):
#  U)      a uts namespace bind-mounted at $I/d2/uts
#  N)    a network namespace bind-mounted at $I/net (made after M2, so it
#        is in M1 only)
#  NA) recipe I: a netns bind-mounted at $WORK/ip/netA only inside the
#      private mount namespace PM of a sleeping process P.
#  NB) like NA, at $WORK/ip/netB, mounted after 120 tmpfs mounts: the last
#      line of a mountinfo several pages long.
#
# Asserts the whole namespace objects (exact inodes, types, owners, no
# leaders) with the exact reference chains
#    M1: [/proc/E/ns/mnt, $D/mntns]               (E: ealdorman of our mnt ns)
#    N:  [/proc/E/ns/mnt, $D/mntns, $I/net]
#    M2: [/proc/E/ns/mnt, $D/mntns, $I/m2]
#    U:  [/proc/E/ns/mnt, $D/mntns, $I/m2, $I/d2/uts]
#    NA: [/proc/P/ns/mnt, $WORK/ip/netA]
#    NB: [/proc/P/ns/mnt, $WORK/ip/netB]
# that M1 and M2 have mount tables showing their private mounts and nsfs
# mounts, and that with --no-bindmounts none of M1, N, M2, U, NA, NB is found.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

probe "mount namespaces" unshare --mount true
probe "network namespaces" unshare --net true
probe "uts namespaces" unshare --uts true
command -v nsenter >/dev/null || fatal "nsenter (util-linux) is not installed"

INIT_USER=$(nsino $$ user)
OUR_MNT=$(nsino $$ mnt)
NSREL=$(helper nsrel)

# Runs "unshare --mount=FILE ARGS..." (or another --TYPE=FILE), retrying:
# bind-mounting a namespace file sometimes fails with EINVAL; a fresh
# namespace then works.  Also used inside the namespaces (exported below).
cat >"$WORK/retry.sh" <<'EOF'
# bind_ns FILE UNSHARE-ARGS...: unshare with the new namespace bind-mounted
# at FILE; retries up to 10 times, unmounting FILE after a failed attempt.
bind_ns() {
    local file=$1 i
    shift
    for i in 1 2 3 4 5 6 7 8 9 10; do
        if unshare "$@"; then
            return 0
        fi
        umount "$file" 2>/dev/null || true
        echo "bind_ns: attempt $i for $file failed, retrying" >&2
        sleep 0.05
    done
    return 1
}
EOF
# shellcheck source=/dev/null
source "$WORK/retry.sh"

# --- NA: recipe I, a netns bind-mounted inside a process-held mount ns ---------
# (made first, so that PM is no copy of the host with M1 in it)
mkdir "$WORK/ip"
cat >"$WORK/pm.sh" <<'EOF'
set -e
source "$1"
mount -t tmpfs lxkns-pm "$2"
touch "$2/netA"
bind_ns "$2/netA" --net="$2/netA" true
# a mountinfo of several pages, with one more netns bind mount at its end
for i in $(seq -w 1 120); do
    mkdir "$2/many-$i"
    mount -t tmpfs "lxkns-many-$i" "$2/many-$i"
done
touch "$2/netB"
bind_ns "$2/netB" --net="$2/netB" true
exec sleep infinity
EOF
unshare --mount --propagation private bash "$WORK/pm.sh" "$WORK/retry.sh" "$WORK/ip" \
    </dev/null >/dev/null 2>"$WORK/pm.err" &
P=$!
track_pid $P
wait_exe $P "$SLEEP_EXE"
PM=$(nsino $P mnt)
[ "$PM" != "$OUR_MNT" ] || fatal "ground truth: $P is still in our mount namespace"
NA=$(nsino_path "/proc/$P/root$WORK/ip/netA")
[ "$("$NSREL" "/proc/$P/root$WORK/ip/netA" type)" = net ] || fatal "ground truth: netA is not a netns"
[ "$("$NSREL" "/proc/$P/root$WORK/ip/netA" owner)" = "$INIT_USER" ] || fatal "ground truth: $NA not owned by $INIT_USER"
grep -q "net:\[$NA\]" /proc/self/mountinfo && fatal "ground truth: $NA is bind-mounted in our mount namespace too"
NB=$(nsino_path "/proc/$P/root$WORK/ip/netB")
[ "$("$NSREL" "/proc/$P/root$WORK/ip/netB" type)" = net ] || fatal "ground truth: netB is not a netns"
[ "$(tail -n1 "/proc/$P/mountinfo" | grep -c "net:\[$NB\]")" = 1 ] || fatal "ground truth: netB is not the last mount of PM"
[ "$(wc -c <"/proc/$P/mountinfo")" -gt 8192 ] || fatal "ground truth: the mountinfo of PM is shorter than 2 pages"

# --- M1 with N, M2 and U inside ---------------------------------------------
D=$WORK/m1
I=$WORK/inner
mkdir "$D" "$I"
track_mount "$D"
mount --bind "$D" "$D" || fatal "bind-mounting $D onto itself failed"
mount --make-private "$D" || fatal "mount --make-private $D failed"
touch "$D/mntns"
track_mount "$D/mntns"
cat >"$WORK/m1.sh" <<'EOF'
set -e
source "$1"
I=$2
mount -t tmpfs lxkns-m1 "$I"
mkdir "$I/d2"
touch "$I/m2" "$I/net"
# M2, holding U on a tmpfs of its own
bind_ns "$I/m2" --mount="$I/m2" --propagation private \
    sh -c 'mount -t tmpfs lxkns-m2 "$1/d2" && touch "$1/d2/uts" &&
           for i in 1 2 3 4 5; do unshare --uts="$1/d2/uts" true && exit 0; umount "$1/d2/uts" 2>/dev/null; sleep 0.05; done; exit 1' \
    sh "$I"
# N, after M2 (so that it is not in M2's copy of M1's mounts)
bind_ns "$I/net" --net="$I/net" true
EOF
bind_ns "$D/mntns" --mount="$D/mntns" --propagation private \
    bash "$WORK/m1.sh" "$WORK/retry.sh" "$I" </dev/null >/dev/null ||
    fatal "building M1 (with N, M2, U) failed"

# ground truth
in_m1() { nsenter --mount="$D/mntns" "$@"; }
in_m2() { nsenter --mount="$D/mntns" nsenter --mount="$I/m2" "$@"; }
M1=$(nsino_path "$D/mntns")
N=$(in_m1 stat -L -c %i "$I/net") || fatal "ground truth: cannot stat $I/net in M1"
M2=$(in_m1 stat -L -c %i "$I/m2") || fatal "ground truth: cannot stat $I/m2 in M1"
U=$(in_m2 stat -L -c %i "$I/d2/uts") || fatal "ground truth: cannot stat $I/d2/uts in M2"
[ "$("$NSREL" "$D/mntns" type)" = mnt ] || fatal "ground truth: $D/mntns is not a mount ns"
[ "$(in_m1 "$NSREL" "$I/net" type)" = net ] || fatal "ground truth: $I/net is not a netns"
[ "$(in_m1 "$NSREL" "$I/m2" type)" = mnt ] || fatal "ground truth: $I/m2 is not a mount ns"
[ "$(in_m2 "$NSREL" "$I/d2/uts" type)" = uts ] || fatal "ground truth: $I/d2/uts is not a uts ns"
for spec in "M1:$D/mntns:" "N:$I/net:in_m1" "M2:$I/m2:in_m1" "U:$I/d2/uts:in_m2"; do
    IFS=: read -r name file ctx <<<"$spec"
    [ "$($ctx "$NSREL" "$file" owner)" = "$INIT_USER" ] || fatal "ground truth: $name not owned by $INIT_USER"
done
# visibility: N and M2 only in M1, U only in M2
grep -q "mnt:\[$M1\]" /proc/self/mountinfo || fatal "ground truth: M1 not bind-mounted here"
for x in "net:\[$N\]" "mnt:\[$M2\]" "uts:\[$U\]"; do
    grep -q "$x" /proc/self/mountinfo && fatal "ground truth: $x is bind-mounted in our mount namespace"
done
in_m1 cat /proc/self/mountinfo >"$WORK/m1.mountinfo"
in_m2 cat /proc/self/mountinfo >"$WORK/m2.mountinfo"
grep -q "net:\[$N\]" "$WORK/m1.mountinfo" && grep -q "mnt:\[$M2\]" "$WORK/m1.mountinfo" ||
    fatal "ground truth: N or M2 not bind-mounted in M1"
grep -q "uts:\[$U\]" "$WORK/m1.mountinfo" && fatal "ground truth: U is bind-mounted in M1"
grep -q "uts:\[$U\]" "$WORK/m2.mountinfo" || fatal "ground truth: U not bind-mounted in M2"
grep -q "net:\[$N\]" "$WORK/m2.mountinfo" && fatal "ground truth: N is bind-mounted in M2"
assert_unreferenced "$M1" "$N" "$M2" "$U" "$NA" "$NB"
log "M1 $M1 (N $N, M2 $M2 (U $U)); PM $PM of $P (NA $NA, NB $NB); our mnt ns $OUR_MNT"

# PM's table is compared with its mountinfo as it was around the dump: when
# something else changes it meanwhile (a busy host), the count is retried
for attempt in 1 2 3; do
    cp "/proc/$P/mountinfo" "$WORK/pm-before.mountinfo"
    run_dumpns
    cp "/proc/$P/mountinfo" "$WORK/pm.mountinfo"
    cmp -s "$WORK/pm-before.mountinfo" "$WORK/pm.mountinfo" && break
    log "PM's mount table changed during the dump (attempt $attempt), again"
done
expect_wire_format

EALD=$(jq -r '.namespaces[$k].ealdorman // empty' --arg k "$OUR_MNT" "$DUMP")
if [ -z "$EALD" ]; then
    fail "our mount namespace $OUR_MNT has no ealdorman in the dump"
    EALD=none
fi
MNTREF="/proc/$EALD/ns/mnt"
expect "ealdorman $EALD of our mount ns is in our mount ns" "$OUR_MNT" "$(P "$EALD").namespaces.mnt"

expect_ns "M1 (bind-mounted on the host)" "$M1" \
    "{\"nsid\":$M1,\"type\":\"mnt\",\"owner\":$INIT_USER,\"reference\":[\"$MNTREF\",\"$D/mntns\"]}"
expect_ns "N (bind-mounted in M1)" "$N" \
    "{\"nsid\":$N,\"type\":\"net\",\"owner\":$INIT_USER,\"reference\":[\"$MNTREF\",\"$D/mntns\",\"$I/net\"]}"
expect_ns "M2 (bind-mounted in M1)" "$M2" \
    "{\"nsid\":$M2,\"type\":\"mnt\",\"owner\":$INIT_USER,\"reference\":[\"$MNTREF\",\"$D/mntns\",\"$I/m2\"]}"
expect_ns "U (bind-mounted in M2)" "$U" \
    "{\"nsid\":$U,\"type\":\"uts\",\"owner\":$INIT_USER,\"reference\":[\"$MNTREF\",\"$D/mntns\",\"$I/m2\",\"$I/d2/uts\"]}"
expect_ns "NA (bind-mounted in the process-held PM)" "$NA" \
    "{\"nsid\":$NA,\"type\":\"net\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$P/ns/mnt\",\"$WORK/ip/netA\"]}"
expect_ns "NB (bind-mounted in PM, last of a mountinfo of several pages)" "$NB" \
    "{\"nsid\":$NB,\"type\":\"net\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$P/ns/mnt\",\"$WORK/ip/netB\"]}"
expect_ns "PM (mount ns of $P)" "$PM" \
    "{\"nsid\":$PM,\"type\":\"mnt\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$P/ns/mnt\"],\"leaders\":[$P],\"ealdorman\":$P}"

# the mount tables of the process-less mount namespaces
MT='.mounts[$ns][$path].mounts | map({root, fstype, source, hidden})'
expect "mounts of M1 at $I" '[{"root":"/","fstype":"tmpfs","source":"lxkns-m1","hidden":false}]' "$MT" \
    --arg ns "$M1" --arg path "$I"
expect "mounts of M1 at $I/net" "[{\"root\":\"net:[$N]\",\"fstype\":\"nsfs\",\"source\":\"nsfs\",\"hidden\":false}]" "$MT" \
    --arg ns "$M1" --arg path "$I/net"
expect "mounts of M1 at $I/m2" "[{\"root\":\"mnt:[$M2]\",\"fstype\":\"nsfs\",\"source\":\"nsfs\",\"hidden\":false}]" "$MT" \
    --arg ns "$M1" --arg path "$I/m2"
expect "M1 has no mounts at $I/d2" false '.mounts[$ns] | has($path)' --arg ns "$M1" --arg path "$I/d2"
expect "mounts of M2 at $I/d2" '[{"root":"/","fstype":"tmpfs","source":"lxkns-m2","hidden":false}]' "$MT" \
    --arg ns "$M2" --arg path "$I/d2"
expect "mounts of M2 at $I/d2/uts" "[{\"root\":\"uts:[$U]\",\"fstype\":\"nsfs\",\"source\":\"nsfs\",\"hidden\":false}]" "$MT" \
    --arg ns "$M2" --arg path "$I/d2/uts"
expect "mounts of M2 at $I (copied from M1)" '[{"root":"/","fstype":"tmpfs","source":"lxkns-m1","hidden":false}]' "$MT" \
    --arg ns "$M2" --arg path "$I"
expect "M2 has no mounts at $I/net" false '.mounts[$ns] | has($path)' --arg ns "$M2" --arg path "$I/net"
expect "mounts of PM at $WORK/ip/netA" "[{\"root\":\"net:[$NA]\",\"fstype\":\"nsfs\",\"source\":\"nsfs\",\"hidden\":false}]" "$MT" \
    --arg ns "$PM" --arg path "$WORK/ip/netA"
expect "mounts of our mount ns at $D/mntns" "[{\"root\":\"mnt:[$M1]\",\"fstype\":\"nsfs\",\"source\":\"nsfs\",\"hidden\":false}]" "$MT" \
    --arg ns "$OUR_MNT" --arg path "$D/mntns"
expect "our mount ns has no mounts at $I" false '.mounts[$ns] | has($path)' --arg ns "$OUR_MNT" --arg path "$I"
# the number of mounts in each table equals the ground truth
for spec in "M1:$M1:$WORK/m1.mountinfo" "M2:$M2:$WORK/m2.mountinfo" "PM:$PM:$WORK/pm.mountinfo"; do
    IFS=: read -r name ino file <<<"$spec"
    expect "number of mounts of $name" "$(grep -c . "$file")" '[.mounts[$ns][].mounts[]] | length' --arg ns "$ino"
done

run_dumpns --no-bindmounts
expect "--no-bindmounts: discovery-options.from-bindmounts" false '.["discovery-options"]["from-bindmounts"]'
expect_absent "--no-bindmounts: M1" "$M1"
expect_absent "--no-bindmounts: N" "$N"
expect_absent "--no-bindmounts: M2" "$M2"
expect_absent "--no-bindmounts: U" "$U"
expect_absent "--no-bindmounts: NA" "$NA"
expect_absent "--no-bindmounts: NB" "$NB"
expect "--no-bindmounts: PM still found (it has a process)" '"mnt"' "$(N "$PM").type"
expect "--no-bindmounts: no mount tables of M1, M2" '[false,false]' '.mounts | [has($a), has($b)]' \
    --arg a "$M1" --arg b "$M2"

finish

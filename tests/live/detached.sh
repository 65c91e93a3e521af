#!/bin/bash
# Live test: namespaces held only by detached mount trees (open_tree(2) with
# OPEN_TREE_CLONE), which no /proc link names:
#
#   (a) a netns NX bind-mounted, cloned by holder H1 as fd 7, the bind then
#       unmounted and its creator gone: fd 7 reads "/" and is the netns;
#       a mount namespace MY cloned straight from /proc/Y/ns/mnt by holder
#       H2 as fd 8, Y gone.
#   (b) a mount namespace MZ bind-mounted below a tmpfs that holder H3
#       cloned recursively (fd 9 is the tmpfs, not nsfs), everything
#       unmounted and Z gone: only the kernel's list of mount namespaces
#       (NS_MNT_GET_NEXT) shows MZ. Inside MZ, a netns NB is bind-mounted
#       at $WORK/inner, held by nothing else.
#
# Asserts whole namespace objects, with exact inodes: NX and MY with the
# reference ["/proc/H/fd/N"] and "held-by" {"kind": "detached-mount"}, MZ
# with "held-by" {"kind": "kernel-list"} and the diagnostic naming it, NB
# with "held-by" {"kind": "bind-mount"} in MZ; and MY's and MZ's mount
# tables (read by entering them). lsns misses all four (logged).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

probe "network namespaces" unshare --net true
probe "mount namespaces" unshare -m true
"$(helper detholder)" -l >/dev/null 2>&1 || skip "no NS_MNT_GET_NEXT (Linux 6.8)"

INIT_USER=$(nsino $$ user)
VIA=NS_MNT_GET_NEXT  # mount namespaces come by the walk, also where listns exists

# ---- (a) detached mounts of namespace files
unshare --net sleep infinity </dev/null >/dev/null 2>&1 &
X=$!
track_pid $X
unshare -m sleep infinity </dev/null >/dev/null 2>&1 &
Y=$!
track_pid $Y
wait_exe $X "$SLEEP_EXE"
wait_exe $Y "$SLEEP_EXE"
NX=$(nsino $X net)
MY=$(nsino $Y mnt)

touch "$WORK/netfile"
mount --bind "/proc/$X/ns/net" "$WORK/netfile" || fatal "cannot bind-mount the netns"
track_mount "$WORK/netfile"
"$(helper detholder)" 7 "$WORK/netfile" </dev/null >"$WORK/h1.out" 2>&1 &
H1=$!
track_pid $H1
[ "$(wait_line "$WORK/h1.out")" = ready ] || fatal "detholder: $(cat "$WORK/h1.out")"
"$(helper detholder)" 8 "/proc/$Y/ns/mnt" </dev/null >"$WORK/h2.out" 2>&1 &
H2=$!
track_pid $H2
[ "$(wait_line "$WORK/h2.out")" = ready ] || fatal "detholder: $(cat "$WORK/h2.out")"
umount "$WORK/netfile" || fatal "cannot unmount $WORK/netfile"
kill_now $X $Y

# ground truth: the links read "/", the inodes are the namespaces
[ "$(readlink /proc/$H1/fd/7)" = / ] || fatal "ground truth: fd 7 of $H1 reads $(readlink /proc/$H1/fd/7)"
[ "$(readlink /proc/$H2/fd/8)" = / ] || fatal "ground truth: fd 8 of $H2 reads $(readlink /proc/$H2/fd/8)"
[ "$(nsino_path /proc/$H1/fd/7)" = "$NX" ] || fatal "ground truth: fd 7 of $H1 is not net:[$NX]"
[ "$(nsino_path /proc/$H2/fd/8)" = "$MY" ] || fatal "ground truth: fd 8 of $H2 is not mnt:[$MY]"
assert_unreferenced "$NX" "$MY"
grep -q "net:\\[$NX\\]" /proc/self/mountinfo && fatal "ground truth: net:[$NX] is still mounted"

# ---- (b) a mount namespace only the kernel lists
unshare --net sleep infinity </dev/null >/dev/null 2>&1 &
XB=$!
track_pid $XB
wait_exe $XB "$SLEEP_EXE"
NB=$(nsino $XB net)
touch "$WORK/inner"
unshare -m --propagation private sh -c "mount --bind /proc/$XB/ns/net $WORK/inner && exec sleep infinity" \
    </dev/null >/dev/null 2>&1 &
Z=$!
track_pid $Z
wait_exe $Z "$SLEEP_EXE"
MZ=$(nsino $Z mnt)
[ "$(stat -L -c %i "/proc/$Z/root$WORK/inner")" = "$NB" ] || fatal "ground truth: $WORK/inner in mnt:[$MZ] is not net:[$NB]"
mkdir "$WORK/tree"
mount -t tmpfs lxkns-live "$WORK/tree" || fatal "cannot mount a tmpfs"
track_mount "$WORK/tree"
# private: no copy of what follows may propagate into other namespaces
mount --make-private "$WORK/tree" || fatal "cannot make $WORK/tree private"
touch "$WORK/tree/m"
mount --bind "/proc/$Z/ns/mnt" "$WORK/tree/m" || fatal "cannot bind-mount mnt:[$MZ]"
track_mount "$WORK/tree/m"
"$(helper detholder)" 9 "$WORK/tree" recursive </dev/null >"$WORK/h3.out" 2>&1 &
H3=$!
track_pid $H3
[ "$(wait_line "$WORK/h3.out")" = ready ] || fatal "detholder: $(cat "$WORK/h3.out")"
umount "$WORK/tree/m" || fatal "cannot unmount $WORK/tree/m"
umount "$WORK/tree" || fatal "cannot unmount $WORK/tree"
kill_now $XB $Z

[ "$(readlink /proc/$H3/fd/9)" = / ] || fatal "ground truth: fd 9 of $H3 reads $(readlink /proc/$H3/fd/9)"
[ "$(stat -L -f -c %T /proc/$H3/fd/9)" = tmpfs ] || fatal "ground truth: fd 9 of $H3 is not a tmpfs"
assert_unreferenced "$MZ" "$NB"
grep -Eq "(mnt:\\[$MZ\\]|net:\\[$NB\\])" /proc/self/mountinfo && fatal "ground truth: still mounted here"
"$(helper detholder)" -l | grep -qx "$MZ" || fatal "ground truth: the kernel does not list mnt:[$MZ]"
log "H1 $H1 fd 7: net $NX; H2 $H2 fd 8: mnt $MY; H3 $H3 fd 9: tmpfs holding mnt $MZ, in it net $NB"

# lsns, for the record (util-linux reads /proc/PID/ns, fds named TYPE:[…]
# and, in newer versions, bind mounts of its own mount namespace)
if command -v lsns >/dev/null; then
    seen=$(lsns -n -o NS 2>/dev/null | grep -Ex "($NX|$MY|$MZ|$NB)" | tr '\n' ' ' || true)
    log "lsns lists of net $NX, mnt $MY, mnt $MZ, net $NB: ${seen:-none}"
fi

run_dumpns --diagnostics
cp "$DUMP" "$WORK/full.json"
expect_wire_format
expect_ns "netns held by a detached mount (fd 7)" "$NX" \
    "{\"nsid\":$NX,\"type\":\"net\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$H1/fd/7\"],\"held-by\":{\"kind\":\"detached-mount\",\"pid\":$H1,\"fd\":7}}"
expect_ns "mount ns held by a detached mount (fd 8)" "$MY" \
    "{\"nsid\":$MY,\"type\":\"mnt\",\"owner\":$INIT_USER,\"reference\":[\"/proc/$H2/fd/8\"],\"held-by\":{\"kind\":\"detached-mount\",\"pid\":$H2,\"fd\":8}}"
expect_ns "mount ns only the kernel lists" "$MZ" \
    "{\"nsid\":$MZ,\"type\":\"mnt\",\"owner\":$INIT_USER,\"held-by\":{\"kind\":\"kernel-list\",\"via\":\"$VIA\"}}"
expect_ns "netns bind-mounted in that mount ns" "$NB" \
    "{\"nsid\":$NB,\"type\":\"net\",\"owner\":$INIT_USER,\"held-by\":{\"kind\":\"bind-mount\",\"mount-namespace\":$MZ,\"path\":\"$WORK/inner\"}}"
expect "mount table of the detached mount ns" true '.mounts[$k] | has("/")' --arg k "$MY"
expect "mount table of the kernel-listed mount ns has the bind mount" true \
    '.mounts[$k] | has($p)' --arg k "$MZ" --arg p "$WORK/inner"
diag="mnt:[$MZ] is held by nothing the scan sees (no process, task, fd or bind mount): only the kernel's list shows it ($VIA,"
if grep -qF "$diag" "$WORK/dumpns.err"; then
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
else
    fail "no diagnostic naming mnt:[$MZ]: $(grep -F "$MZ" "$WORK/dumpns.err" || echo none)"
fi
for ino in "$NX" "$MY" "$NB"; do
    if grep -qF "[$ino] is held by nothing" "$WORK/dumpns.err"; then
        fail "a diagnostic calls $ino unexplained"
    fi
done

# without mount tables, listmount/statmount show MZ's nsfs mount and it is
# entered for NB all the same
run_dumpns --no-mounts
expect_ns "--no-mounts: netns bind-mounted in the kernel-listed mount ns" "$NB" \
    "{\"nsid\":$NB,\"type\":\"net\",\"owner\":$INIT_USER,\"held-by\":{\"kind\":\"bind-mount\",\"mount-namespace\":$MZ,\"path\":\"$WORK/inner\"}}"

# a source turned off is a view asked for: no cross-check fills it in
run_dumpns --no-fds
expect_absent "--no-fds: netns held by a detached mount" "$NX"
expect_absent "--no-fds: mount ns held by a detached mount" "$MY"
expect_absent "--no-fds: mount ns only the kernel lists" "$MZ"
expect_absent "--no-fds: netns in it" "$NB"

# read back: "held-by" survives dumpns --input
"$DUMPNS" -c --input "$WORK/full.json" >"$DUMP" 2>"$WORK/input.err" || fatal "dumpns --input failed: $(cat "$WORK/input.err")"
if cmp -s "$DUMP" "$WORK/full.json"; then
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
else
    fail "dumpns --input does not give back the same document"
fi

finish

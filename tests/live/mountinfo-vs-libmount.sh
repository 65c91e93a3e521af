#!/bin/bash
# Live test: our mountinfo parser against util-linux libmount, through the
# C program mountinfo-vs-libmount (see there): /proc/self/mountinfo, the
# mountinfo of a private mount namespace built here with names that need
# escapes, and of up to 200 other processes.
#
# The mount namespace (held by a sleeping process P) has tmpfs mounts on
# "sp ace<TAB>tab\bs" (source "src with space"), "new<NL>line", one with an
# empty source, a bind mount whose root has a space, and shared, slave and
# unbindable mounts (optional fields).
#
#   bash mountinfo-vs-libmount.sh DUMPNS HELPERDIR MOUNTINFO-VS-LIBMOUNT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

CMP=${3:-}
[ -n "$CMP" ] || fatal "usage: $0 DUMPNS HELPERDIR MOUNTINFO-VS-LIBMOUNT"
CMP=$(readlink -f -- "$CMP")
[ -x "$CMP" ] || fatal "$CMP is missing or not executable"
probe "mount namespaces" unshare --mount true

B=$WORK/t
mkdir "$B"
cat >"$WORK/build.sh" <<'EOF'
set -e
B=$1
mount -t tmpfs lxkns-base "$B"
cd "$B"
mkdir "sp ace	tab\\bs" "new
line" empty "root dir" R shared peer slave unbindable
mount -t tmpfs "src with space" "sp ace	tab\\bs"
mount -t tmpfs lxkns-newline "new
line"
mount -t tmpfs "" empty
mount --bind "root dir" R
mount -t tmpfs lxkns-shared shared
mount --make-shared shared
mount --bind shared peer
mount --bind shared slave
mount --make-slave slave
mount -t tmpfs lxkns-unbindable unbindable
mount --make-unbindable unbindable
exec sleep infinity
EOF
unshare --mount --propagation private bash "$WORK/build.sh" "$B" \
    </dev/null >/dev/null 2>"$WORK/build.err" &
P=$!
track_pid $P
for _ in $(seq 1500); do
    [ "$(readlink "/proc/$P/exe" 2>/dev/null)" = "$SLEEP_EXE" ] && break
    [ -d "/proc/$P" ] || fatal "building the mounts failed: $(cat "$WORK/build.err")"
    sleep 0.01
done
wait_exe $P "$SLEEP_EXE"
# ground truth: the escapes are there
mi=$(cat "/proc/$P/mountinfo")
for esc in 'sp\040ace\011tab\134bs' 'src\040with\040space' 'new\012line' '/root\040dir'; do
    [[ $mi == *"$esc"* ]] || fatal "ground truth: $esc not in the mountinfo of $P"
done

LIVE_CHECKS=1
out=$("$CMP" --pid $P --max 200 --require-escapes 3 2>&1) || rc=$?
rc=${rc:-0}
printf '%s\n' "$out" | head -n 60 | sed "s/^/$LIVE_NAME: /" >&2
case $rc in
0) ;;
77) skip "no mountinfo could be compared" ;;
*) fail "mountinfo-vs-libmount exited with $rc" ;;
esac
finish

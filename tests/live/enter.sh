#!/bin/bash
# Looking into and entering namespaces that have no process at all:
# a process-less mount namespace M (bind-mounted here) holds a tmpfs with a
# file and a bind-mounted network namespace N with a bridge in it, both
# visible only inside M. nsenter cannot reach N; nsrun can. lsmnt shows M's
# mount tree (by --bind PATH and by ID), the library reads M's file, and
# gone or malformed namespaces are refused cleanly.
# Usage: enter.sh DUMPNS HELPERDIR NSRUN LSMNT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$1" "$2"
NSRUN=$(readlink -f "$3")
LSMNT=$(readlink -f "$4")
MNTCAT=$(helper mntcat)

mkdir -p "$WORK/m"
mount --bind "$WORK/m" "$WORK/m"; track_mount "$WORK/m"
mount --make-private "$WORK/m"
touch "$WORK/m/mntns"
unshare --mount="$WORK/m/mntns" --propagation private sh -c '
	mount -t tmpfs lxkns-enter /mnt &&
	echo "hello from M" >/mnt/hello &&
	touch /mnt/net && unshare --net=/mnt/net ip link add lxbr0 type bridge' ||
	fatal "cannot build the process-less mount namespace"
track_mount "$WORK/m/mntns"
M=$(nsino_path "$WORK/m/mntns")
N=$(nsenter --mount="$WORK/m/mntns" stat -L -c %i /mnt/net) || fatal "no netns inside M"

run_dumpns
expect "N found inside M, with its reference chain" \
	"[\"$WORK/m/mntns\",\"/mnt/net\"]" '.namespaces[$n].reference[1:]' --arg n "$N"

LIVE_CHECKS=$((LIVE_CHECKS + 1))
out=$("$NSRUN" "net:[$N]" -- ip -br link 2>&1) || fail "nsrun net:[$N] failed: $out"
grep -q '^lxbr0 ' <<<"$out" || fail "nsrun net:[$N] -- ip -br link does not show lxbr0: $out"

LIVE_CHECKS=$((LIVE_CHECKS + 1))
rc=0
out=$("$NSRUN" "$N" -- sh -c 'readlink /proc/self/ns/net; exit 7' 2>&1) || rc=$?
[ "$rc" = 7 ] && [ "$out" = "net:[$N]" ] || fail "nsrun by bare inode: exit $rc, output $out"

LIVE_CHECKS=$((LIVE_CHECKS + 1))
out=$("$MNTCAT" "$M" /mnt/hello 2>&1) || fail "mntcat failed: $out"
[ "$out" = "hello from M" ] || fail "reading /mnt/hello in M: got '$out'"

LIVE_CHECKS=$((LIVE_CHECKS + 1))
out=$("$LSMNT" -b "$WORK/m/mntns" -r -n -o target,source,fstype 2>&1) || fail "lsmnt -b failed: $out"
grep -qx '/mnt lxkns-enter tmpfs' <<<"$out" || fail "lsmnt -b does not show M's tmpfs: $out"
grep -qx '/mnt/net nsfs nsfs' <<<"$out" || fail "lsmnt -b does not show N's bind mount: $out"

LIVE_CHECKS=$((LIVE_CHECKS + 1))
out=$("$LSMNT" -J -o target,hidden "mnt:[$M]" 2>"$WORK/lsmnt.err") ||
	fail "lsmnt -J mnt:[$M] failed: $out $(cat "$WORK/lsmnt.err")"
[ "$(jq -c '[.. | objects | select(.target == "/mnt") | .hidden]' <<<"$out")" = '[false]' ] ||
	fail "lsmnt -J: /mnt not listed once and visible: $out"

# refusals: exit 1 and one line naming the problem; nothing runs
refuse() { # what expected-message args...
	local what=$1 msg=$2 rc
	shift 2
	LIVE_CHECKS=$((LIVE_CHECKS + 1))
	rc=0
	out=$("$NSRUN" "$@" 2>&1 >/dev/null) || rc=$?
	[ "$rc" = 1 ] && grep -qF "$msg" <<<"$out" || fail "$what: exit $rc, stderr: $out"
}
refuse "malformed namespace" "nsrun: invalid namespace 'net:[abc]'" 'net:[abc]' -- touch "$WORK/ran"
refuse "unknown namespace" "nsrun: unknown namespace 'net:[1]'" 'net:[1]' -- touch "$WORK/ran"
refuse "two of a type" "nsrun: ambiguous: two net namespaces given" "net:[$N]" "$(nsino self net)" -- touch "$WORK/ran"
refuse "no command" "nsrun: no command given" "net:[$N]"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
[ ! -e "$WORK/ran" ] || fail "a refused nsrun ran its command"

# gone: tear M down, N goes with it
umount "$WORK/m/mntns"
refuse "a namespace gone since" "nsrun: unknown namespace 'net:[$N]'" "net:[$N]" -- true
finish

#!/bin/bash
# Live test of nscaps: its verdicts on real cases, each also checked against
# the kernel (setns() into a user namespace needs CAP_SYS_ADMIN in it; into
# a net namespace, CAP_SYS_ADMIN in the user namespace that owns it):
#
#   1. root in our (initial) user namespace toward the net namespace of a
#      child user namespace it created: all capabilities (✓);
#   2. a process inside that child user namespace toward our net namespace:
#      none (⛔);
#   3. a non-root process (euid 65534) toward a child user namespace created
#      by uid 65534: all capabilities (✓), although it has no effective
#      capabilities of its own;
#   4. a non-root process with another euid (65533) toward that namespace:
#      only its effective capabilities, which are none (⛛); and a process in
#      a sibling user namespace created by 65533: none (⛔).
#
# Parts 3 and 4 need unprivileged user namespaces (skipped with a note if
# the kernel refuses them).
source "$(dirname "${BASH_SOURCE[0]}")/toolslib.sh"
tools_init "$@"

probe "user namespaces" unshare -Ur true
probe "network namespaces" unshare --net true
command -v nsenter >/dev/null || skip "nsenter not installed"

INIT_USER=$(nsino $$ user)
INIT_NET=$(nsino $$ net)

# can_setns PATH [setpriv args...]: does setns() into PATH succeed?
can_setns() {
    local path=$1 kind=$2
    shift 2
    "$@" nsenter "--$kind=$path" --preserve-credentials true </dev/null >/dev/null 2>&1
}

# --- 1 and 2 -------------------------------------------------------------------
unshare -Ur --net sleep infinity </dev/null >/dev/null 2>&1 &
A=$!
track_pid $A
wait_exe $A "$SLEEP_EXE"
UA=$(nsino $A user)
NA=$(nsino $A net)
[ "$(nsrel /proc/$A/ns/net owner)" = "$UA" ] || fatal "ground truth: net $NA is not owned by $UA"
[ "$(nsrel /proc/$A/ns/user parent)" = "$INIT_USER" ] || fatal "ground truth: parent of $UA is not $INIT_USER"
[ "$(nsrel /proc/$A/ns/user uid)" = 0 ] || fatal "ground truth: $UA is not owned by uid 0"
can_setns /proc/$A/ns/net net env || fatal "ground truth: root cannot setns() into net:[$NA]"
# from inside A's user namespace (all capabilities there), our netns stays out of reach
if nsenter -t $A -U --preserve-credentials nsenter --net=/proc/$$/ns/net true </dev/null >/dev/null 2>&1; then
    fatal "ground truth: a process in user:[$UA] could setns() into our net:[$INIT_NET]"
fi
L_A="process \"sleep\" ($A)$(controlled $A)"

render caps1 nscaps --brief "net:[$NA]"
ROOT1=$(awk -F'\t' '$1 == "N" && $2 == 0 { print $3; exit }' "$WORK/caps1.tree")
case $ROOT1 in
"⛛ user:[$INIT_USER]"*) ;;
*) fail "nscaps 1: the root node is not '⛛ user:[$INIT_USER]...': $ROOT1" ;;
esac
expect_child caps1 "$ROOT1" "✓ user:[$UA] $L_A"
expect_child caps1 "✓ user:[$UA] $L_A" "target net:[$NA] $L_A"
expect_prop caps1 "target net:[$NA] $L_A" "(ALL capabilities)"
render caps1-full nscaps "$NA"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
for cap in cap_chown cap_sys_admin cap_net_admin cap_setuid cap_sys_ptrace; do
    awk -F'\t' -v t="target net:[$NA] $L_A" '$1 == "N" { cur = $3 } $1 == "P" && cur == t' \
        "$WORK/caps1-full.tree" | grep -qw "$cap" || fail "nscaps 1: $cap missing below the target"
done

render caps2 nscaps -p $A "net:[$INIT_NET]"
ROOT2=$(awk -F'\t' '$1 == "N" && $2 == 0 { print $3; exit }' "$WORK/caps2.tree")
case $ROOT2 in
"⛔ user:[$INIT_USER]"*) ;;
*) fail "nscaps 2: the root node is not '⛔ user:[$INIT_USER]...': $ROOT2" ;;
esac
expect_child caps2 "$ROOT2" "⛛ user:[$UA] $L_A"
expect_child caps2 "⛛ user:[$UA] $L_A" "process \"sleep\" ($A)"
LIVE_CHECKS=$((LIVE_CHECKS + 1))
T2=$(awk -F'\t' '$1 == "N" && $2 == 1 && index($3, "target net:['"$INIT_NET"'] ") == 1 { print $3 }' "$WORK/caps2.tree")
[ -n "$T2" ] || fail "nscaps 2: no target net:[$INIT_NET] below the root"
expect_prop caps2 "$T2" "(no capabilities)"
log "1/2: user $UA (net $NA) below $INIT_USER"

# --- 3 and 4 -------------------------------------------------------------------
AS_NOBODY=(setpriv --reuid 65534 --regid 65534 --clear-groups)
AS_OTHER=(setpriv --reuid 65533 --regid 65533 --clear-groups)
if command -v setpriv >/dev/null && "${AS_NOBODY[@]}" unshare -U true </dev/null >/dev/null 2>&1; then
    "${AS_NOBODY[@]}" unshare -U sleep infinity </dev/null >/dev/null 2>&1 &
    X=$!
    track_pid $X
    "${AS_NOBODY[@]}" sleep infinity </dev/null >/dev/null 2>&1 &
    Q=$!
    track_pid $Q
    "${AS_OTHER[@]}" sleep infinity </dev/null >/dev/null 2>&1 &
    R=$!
    track_pid $R
    "${AS_OTHER[@]}" unshare -U sleep infinity </dev/null >/dev/null 2>&1 &
    S=$!
    track_pid $S
    for p in $X $Q $R $S; do wait_exe $p "$SLEEP_EXE"; done
    UX=$(nsino $X user)
    US=$(nsino $S user)
    [ "$(nsrel /proc/$X/ns/user uid)" = 65534 ] || fatal "ground truth: $UX is not owned by uid 65534"
    [ "$(nsrel /proc/$S/ns/user parent)" = "$INIT_USER" ] || fatal "ground truth: parent of $US is not $INIT_USER"
    [ "$(nsino $Q user)" = "$INIT_USER" ] && [ "$(nsino $R user)" = "$INIT_USER" ] ||
        fatal "ground truth: $Q/$R are not in our user namespace"
    [ "$(awk '/^CapEff:/ {print $2}' /proc/$Q/status)" = 0000000000000000 ] ||
        fatal "ground truth: $Q has effective capabilities"
    can_setns /proc/$X/ns/user user "${AS_NOBODY[@]}" ||
        fatal "ground truth: euid 65534 cannot setns() into user:[$UX] it owns"
    if can_setns /proc/$X/ns/user user "${AS_OTHER[@]}"; then
        fatal "ground truth: euid 65533 could setns() into user:[$UX]"
    fi
    NOBODY=$(getent passwd 65534 | cut -d: -f1 || true)
    L_X="process \"sleep\" ($X)$(controlled $X)"
    log "3/4: user $UX (uid 65534), sibling $US (uid 65533); processes $Q (65534), $R (65533)"

    render caps3 nscaps -p $Q --brief "user:[$UX]"
    ROOT3=$(awk -F'\t' '$1 == "N" && $2 == 0 { print $3; exit }' "$WORK/caps3.tree")
    case $ROOT3 in
    "⛛ user:[$INIT_USER]"*) ;;
    *) fail "nscaps 3: the root node is not '⛛ user:[$INIT_USER]...': $ROOT3" ;;
    esac
    expect_child caps3 "$ROOT3" "process \"sleep\" ($Q)"
    expect_prop caps3 "process \"sleep\" ($Q)" "(no effective capabilities)"
    expect_child caps3 "$ROOT3" "✓ target user:[$UX] $L_X"
    expect_prop caps3 "✓ target user:[$UX] $L_X" "(ALL capabilities)"

    render caps4 nscaps -p $R "$UX"
    expect_child caps4 "$(awk -F'\t' '$1 == "N" && $2 == 0 { print $3; exit }' "$WORK/caps4.tree")" \
        "⛛ target user:[$UX] $L_X"
    expect_prop caps4 "⛛ target user:[$UX] $L_X" "(no effective capabilities)"
    render caps4b nscaps -p $S --brief "user:[$UX]"
    ROOT4=$(awk -F'\t' '$1 == "N" && $2 == 0 { print $3; exit }' "$WORK/caps4b.tree")
    case $ROOT4 in
    "⛔ user:[$INIT_USER]"*) ;;
    *) fail "nscaps 4b: the root node is not '⛔ user:[$INIT_USER]...': $ROOT4" ;;
    esac
    expect_child caps4b "$ROOT4" "⛛ user:[$US] process \"sleep\" ($S)$(controlled $S)"
    expect_child caps4b "$ROOT4" "⛔ target user:[$UX] $L_X"
    expect_prop caps4b "⛔ target user:[$UX] $L_X" "(no capabilities)"
    if can_setns /proc/$X/ns/user user nsenter -t $S -U --preserve-credentials; then
        fail "ground truth: a process in user:[$US] could setns() into user:[$UX]"
    fi
    : "$NOBODY"
else
    log "note: unprivileged user namespaces refused here, parts 3 and 4 skipped"
fi

finish

#!/bin/bash
# Live test: a network namespace held ONLY by a socket.
#
# Helper "sockholder" unshares a netns NS, opens an AF_UNIX datagram socket
# there (never bound), switches back to our netns and sleeps.  Nothing but
# the socket keeps NS alive: no process is in it, no fd or bind mount refers
# to it, and /proc/S/fd/FD can't even be opened (ENXIO); only
# pidfd_getfd() + SIOCGSKNS reach it.
#
# Asserts: NS is in the dump with type net, nsid, owner = our user ns, no
# leaders, ealdorman or loose-threads, and a reference that (if present) is
# an array of strings; the sockholder process itself is in our netns.  With
# --no-sockets NS is not found.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

probe "network namespaces" unshare --net true

INIT_USER=$(nsino $$ user)
HOST_NET=$(nsino $$ net)

SOCKHOLDER=$(helper sockholder)
"$SOCKHOLDER" </dev/null >"$WORK/sockholder.out" 2>&1 &
S=$!
track_pid $S
line=$(wait_line "$WORK/sockholder.out")
[[ $line =~ ^netns=([0-9]+)\ fd=([0-9]+)\ orignet=([0-9]+)$ ]] || fatal "sockholder: $line"
NS=${BASH_REMATCH[1]}
FD=${BASH_REMATCH[2]}
[ "${BASH_REMATCH[3]}" = "$HOST_NET" ] || fatal "ground truth: sockholder did not start in our netns"
[ "$(nsino $S net)" = "$HOST_NET" ] || fatal "ground truth: sockholder $S did not switch back to our netns"
if ! got=$("$(helper nsrel)" -s $S $FD 2>&1); then
    case $got in
    *"Function not implemented"* | *"Operation not permitted"*) skip "kernel refuses pidfd_getfd/SIOCGSKNS: $got" ;;
    esac
    fatal "nsrel -s $S $FD: $got"
fi
[ "$got" = "$NS" ] || fatal "ground truth: SIOCGSKNS says net:[$got], sockholder says net:[$NS]"
[[ $(readlink /proc/$S/fd/$FD) == socket:* ]] || fatal "ground truth: fd $FD of $S is not a socket"
assert_unreferenced "$NS"
if grep -q "net:\[$NS\]" /proc/self/mountinfo; then
    fatal "ground truth: net:[$NS] is bind-mounted"
fi
log "sockholder $S holds net:[$NS] via socket fd $FD"

run_dumpns
expect_wire_format

expect "socket-held netns: nsid, type, owner" "{\"nsid\":$NS,\"type\":\"net\",\"owner\":$INIT_USER}" "$(N $NS) | {nsid, type, owner}"
expect "socket-held netns: no leaders, ealdorman, loose-threads" '[false,false,false]' \
    "$(N $NS) | [has(\"leaders\"), has(\"ealdorman\"), has(\"loose-threads\")]"
expect_true "socket-held netns: reference, if any, is an array of strings" \
    "$(N $NS) | (has(\"reference\") | not) or (.reference | type == \"array\" and length > 0 and all(type == \"string\"))"
expect "sockholder's own netns is ours" "$HOST_NET" "$(P $S).namespaces.net"
log "info: reference of the socket-held netns: $(jq -c "$(N $NS).reference" "$DUMP")"

run_dumpns --no-sockets
expect_absent "--no-sockets: socket-held netns" "$NS"
expect "--no-sockets: sockholder still listed" "$S" "$(P $S).pid"

# Without CAP_NET_ADMIN, SIOCGSKNS is refused: NS is missing, and exactly one
# discovery-wide diagnostic says why (not one per socket, not silently).
if command -v setpriv >/dev/null; then
    setpriv --inh-caps=-net_admin --bounding-set=-net_admin "$DUMPNS" -c --diagnostics \
        >"$DUMP" 2>"$WORK/nonet.err" || fatal "dumpns without CAP_NET_ADMIN failed"
    expect_absent "without CAP_NET_ADMIN: socket-held netns" "$NS"
    n=$(grep -c '^dumpns: network namespaces held only by sockets cannot be found: SIOCGSKNS needs CAP_NET_ADMIN (Operation not permitted)$' "$WORK/nonet.err")
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    [ "$n" = 1 ] || fail "without CAP_NET_ADMIN: $n diagnostics about sockets, expected exactly 1"
fi

finish

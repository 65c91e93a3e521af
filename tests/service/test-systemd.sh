#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The systemd units of the service (deployments/systemd) and socket
# activation, without systemd as PID 1: systemd-analyze verify of the units,
# their syscall filter; the service under systemd-socket-activate (as root,
# and as the unit runs it: an unprivileged user with exactly the unit's
# ambient capabilities) serves on the passed socket only and finds the
# test's network namespace and one held only by a socket. TAP.
#
#   test-systemd.sh LXKNS_EXE UNIT_DIR
#
# Loopback only, free ports; every process it starts is killed by its PID.

set -u
export LC_ALL=C

LXKNS=$1
UNITS=$2
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

echo "1..17"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # check DESCRIPTION CONDITION-STATUS [diagnostic lines...]
	local what=$1 st=$2
	shift 2
	if [ "$st" = 0 ]; then ok "$what"; else notok "$what" "$@"; fi
}

tmp=$(mktemp -d /tmp/lxkns-systemd-test.XXXXXX) || exit 1
chmod 755 "$tmp"
pids=()
cleanup() {
	local p i
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${pids[@]}"; do
		for i in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Stops a started process (SIGTERM, then SIGKILL after 10 s); its exit
# status in $stopped_rc.
stop() {
	local p=$1 i
	kill -TERM "$p" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	stopped_rc=$?
	local keep=()
	for i in "${pids[@]}"; do [ "$i" = "$p" ] || keep+=("$i"); done
	pids=("${keep[@]}")
}

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# http_get URL OUTFILE: the status code (000: no answer), never hangs.
http_get() {
	timeout 60 curl -sS -m 50 -o "$2" -w '%{http_code}' "$1" 2>/dev/null || true
}

# activate LOG [WRAPPER...]: runs "WRAPPER... systemd-socket-activate -l
# 127.0.0.1:PORT lxkns" (the wrapper execs, so $svc_pid ends up being the
# service), retrying with another port when that one was taken, and waits
# until /healthz answers 200 (the first connection makes it exec the
# service). Sets svc_pid and svc_port; returns 1 on failure.
activate() {
	local log=$1 attempt i code
	shift
	svc_pid= svc_port=
	for attempt in 1 2 3 4 5; do
		svc_port=$(free_port) || return 1
		"$@" systemd-socket-activate -l "127.0.0.1:$svc_port" "$bin" >"$log" 2>&1 &
		svc_pid=$!
		pids+=("$svc_pid")
		for i in $(seq 50); do
			grep -q "Listening on 127.0.0.1:$svc_port" "$log" && break
			kill -0 "$svc_pid" 2>/dev/null || break
			sleep 0.1
		done
		if grep -q "Listening on 127.0.0.1:$svc_port" "$log"; then
			for i in $(seq 100); do
				code=$(timeout 6 curl -s -m 5 -o /dev/null -w '%{http_code}' \
					"http://127.0.0.1:$svc_port/healthz" 2>/dev/null)
				[ "$code" = 200 ] && return 0
				kill -0 "$svc_pid" 2>/dev/null || return 1
				sleep 0.2
			done
			return 1
		fi
		stop "$svc_pid"
	done
	return 1
}

# has_ns JSON INODE: the document's namespaces object has that namespace.
has_ns() {
	"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if sys.argv[2] in d.get("namespaces", {}) else 1)' "$1" "$2" 2>/dev/null
}

# The lines of the service's log about serving, and its TCP listeners.
serving() { grep 'serving on' "$1"; }
listeners() { ss -Hltnp 2>/dev/null | grep "pid=$1," | awk '{print $4}' | sort; }

# ---- the units, without running anything --------------------------------

svc=$UNITS/lxkns.service
sock=$UNITS/lxkns.socket
unit_value() { sed -n "s/^$1=//p" "$svc" | tail -1; }
ambient=$(unit_value AmbientCapabilities)
bounding=$(unit_value CapabilityBoundingSet)
# CAP_SYS_PTRACE CAP_NET_ADMIN -> sys_ptrace net_admin (sorted)
norm() { tr ' ' '\n' <<<"$1" | sed -n 's/^CAP_//p' | tr 'A-Z' 'a-z' | sort; }
capnames=$(norm "$ambient")
check "lxkns.service: CapabilityBoundingSet= and AmbientCapabilities= are one set, with CAP_NET_ADMIN" \
	$([ -n "$capnames" ] && [ "$capnames" = "$(norm "$bounding")" ] &&
		grep -qx net_admin <<<"$capnames"
	  echo $?) "ambient: $ambient" "bounding: $bounding"

# verify checks that ExecStart= exists: a copy that runs the built binary.
bin=$tmp/lxkns
cp "$LXKNS" "$bin" && chmod 755 "$bin"
mkdir "$tmp/units"
sed "s|^ExecStart=/usr/bin/lxkns|ExecStart=$bin|" "$svc" >"$tmp/units/lxkns.service"
cp "$sock" "$tmp/units/lxkns.socket"
verify() { # verify DIR: exit 0 and nothing on stdout or stderr
	(cd "$1" && timeout 60 systemd-analyze verify --man=no lxkns.socket lxkns.service) \
		>"$tmp/verify.out" 2>&1
	local rc=$?
	[ $rc = 0 ] && [ ! -s "$tmp/verify.out" ]
}
verify "$tmp/units"
check "systemd-analyze verify of the units (ExecStart= the built binary) is clean" $? \
	"$(cat "$tmp/verify.out")"
if [ -x /usr/bin/lxkns ]; then
	verify "$UNITS"
	check "systemd-analyze verify of the units as they are is clean" $? \
		"$(cat "$tmp/verify.out")"
else
	skip "systemd-analyze verify of the units as they are is clean" "no /usr/bin/lxkns"
fi

# The syscall filter lets discovery through (groups expanded by
# systemd-analyze syscall-filter, as systemd does).
filter=$(unit_value SystemCallFilter)
if [ -z "$filter" ]; then
	skip "SystemCallFilter= allows what discovery needs" "no SystemCallFilter="
else
	systemd-analyze syscall-filter >"$tmp/filters" 2>/dev/null
	missing=$("$PY" - "$tmp/filters" "$filter" <<'EOF'
import sys
groups, cur = {}, None
for line in open(sys.argv[1]):
    t = line.strip()
    if not t or t.startswith("#"):
        continue
    if not line[0].isspace() and t.startswith("@"):
        cur = groups.setdefault(t, [])
    elif cur is not None:
        cur.append(t)
def expand(name, seen):
    if not name.startswith("@"):
        return {name}
    if name in seen:
        return set()
    seen.add(name)
    out = set()
    for m in groups.get(name, []):
        out |= expand(m, seen)
    return out
spec = sys.argv[2].split()
deny = spec and spec[0].startswith("~")
allowed = set()
for s in spec:
    allowed |= expand(s.lstrip("~"), set())
need = "setns unshare pidfd_open pidfd_getfd ioctl open_tree".split()
if not groups:
    print("systemd-analyze syscall-filter printed nothing")
else:
    print(" ".join(s for s in need if (s in allowed) == deny))
EOF
)
	check "SystemCallFilter= allows setns unshare pidfd_open pidfd_getfd ioctl open_tree" \
		$([ -z "$missing" ]; echo $?) "filter: $filter" "refused: $missing"
fi

# ---- passed sockets: the checks that need no root -------------------------

# A passed socket that does not listen: one line, exit 1.
"$PY" - "$bin" >"$tmp/bad.out" 2>"$tmp/bad.err" <<'EOF'
import os, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
os.environ["LISTEN_PID"] = str(os.getpid())
os.environ["LISTEN_FDS"] = "1"
os.execv(sys.argv[1], [sys.argv[1]])
EOF
rc=$?
check "a passed socket that does not listen: exit 1, one line of error" \
	$([ $rc = 1 ] && [ "$(wc -l <"$tmp/bad.err")" = 1 ] &&
		grep -q 'fd 3 is not a listening stream socket' "$tmp/bad.err"
	  echo $?) "exit $rc" "$(cat "$tmp/bad.err")"

# More sockets than it takes: one line, exit 1.
bash -c 'export LISTEN_PID=$$ LISTEN_FDS=17; exec "$0"' "$bin" \
	>"$tmp/many.out" 2>"$tmp/many.err"
rc=$?
check "LISTEN_FDS=17: exit 1, one line of error" \
	$([ $rc = 1 ] && [ "$(wc -l <"$tmp/many.err")" = 1 ] && grep -q 'at most 16' "$tmp/many.err"
	  echo $?) "exit $rc" "$(cat "$tmp/many.err")"

# LISTEN_PID of another process: ignored (it listens on --http alone).
LISTEN_PID=1 LISTEN_FDS=1 "$bin" --http 127.0.0.1:0 >"$tmp/other.out" 2>"$tmp/other.err" 3</dev/null &
other=$!
pids+=("$other")
for i in $(seq 50); do
	grep -q 'serving on' "$tmp/other.out" && break
	kill -0 "$other" 2>/dev/null || break
	sleep 0.1
done
stop "$other"
check "LISTEN_PID of another process: ignored" \
	$([ "$(grep -c 'serving on' "$tmp/other.out")" = 1 ] &&
		grep -q '^lxkns serving on http://127\.0\.0\.1:[0-9]*/$' "$tmp/other.out"
	  echo $?) "$(cat "$tmp/other.out" "$tmp/other.err")"

# ---- socket activation: root only ------------------------------------------

root_tests=10
if [ "$(id -u)" != 0 ]; then
	for i in $(seq $root_tests); do skip "socket activation test $i" "not root"; done
	exit 0
fi
for t in systemd-socket-activate setpriv ss curl; do
	if ! command -v $t >/dev/null; then
		for i in $(seq $root_tests); do skip "socket activation test $i" "no $t"; done
		exit 0
	fi
done

own_netns=$(stat -L -c %i /proc/self/ns/net)

# A network namespace that only a socket holds: a process makes one, opens a
# socket there, goes back and closes everything else of it.
cat >"$tmp/sockns.py" <<'EOF'
import ctypes, os, socket, time
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
def check(r, what):
    if r != 0:
        e = ctypes.get_errno()
        raise OSError(e, "%s: %s" % (what, os.strerror(e)))
orig = os.open("/proc/self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
check(libc.unshare(CLONE_NEWNET), "unshare")
ino = os.stat("/proc/self/ns/net").st_ino
held = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
check(libc.setns(orig, CLONE_NEWNET), "setns")
os.close(orig)
if os.stat("/proc/self/ns/net").st_ino == ino:
    raise SystemExit("still in the new network namespace")
print(ino, flush=True)
time.sleep(600)  # killed by the test long before
EOF
"$PY" "$tmp/sockns.py" >"$tmp/sockns.out" 2>"$tmp/sockns.err" &
holder=$!
pids+=("$holder")
for i in $(seq 50); do
	[ -s "$tmp/sockns.out" ] && break
	kill -0 "$holder" 2>/dev/null || break
	sleep 0.1
done
sock_netns=$(head -1 "$tmp/sockns.out")
[ -n "$sock_netns" ] || echo "# no socket-held network namespace: $(cat "$tmp/sockns.err")"

# As root.
if activate "$tmp/root.log"; then
	ok "socket-activated as root: GET /healthz is 200"
	serve=$(serving "$tmp/root.log")
	lst=$(listeners "$svc_pid")
	check "as root: serves on the passed socket only (not on 127.0.0.1:5010)" \
		$([ "$serve" = "lxkns serving on http://127.0.0.1:$svc_port/ (passed, fd 3)" ] &&
			[ "$lst" = "127.0.0.1:$svc_port" ]
		  echo $?) "log: $serve" "listeners: $lst"
	code=$(http_get "http://127.0.0.1:$svc_port/api/namespaces" "$tmp/root.json")
	check "as root: GET /api/namespaces has the test's network namespace" \
		$([ "$code" = 200 ] && has_ns "$tmp/root.json" "$own_netns"; echo $?) \
		"status $code, netns $own_netns"
	check "as root: GET /api/namespaces has a network namespace held only by a socket" \
		$([ -n "$sock_netns" ] && has_ns "$tmp/root.json" "$sock_netns"; echo $?) \
		"status $code, netns ${sock_netns:-none}"
	# As root it keeps all it needs: that must be the unit's set.
	kept=$(sed -n 's/.*capabilities kept: //p' "$tmp/root.log" | tr ',' '\n' |
		sed 's/^cap_//' | sort)
	check "as root: the capabilities it keeps are the unit's" \
		$([ -n "$kept" ] && [ "$kept" = "$capnames" ]; echo $?) \
		"kept: $(echo $kept)" "unit: $(echo $capnames)"
	stop "$svc_pid"
	check "as root: exits 0 on SIGTERM" $([ "$stopped_rc" = 0 ]; echo $?) "exit $stopped_rc"
else
	notok "socket-activated as root: GET /healthz is 200" "$(cat "$tmp/root.log")"
	for i in 2 3 4 5 6; do notok "as root: (not started)"; done
fi

# As the unit runs it: an unprivileged user (as DynamicUser= would pick)
# with exactly the unit's capabilities, bounding set included.
caps=$(tr '\n' ',' <<<"$capnames" | sed 's/,$//; s/[a-z_][a-z_]*/+&/g')
if activate "$tmp/user.log" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all,"$caps" --ambient-caps=-all,"$caps" --bounding-set=-all,"$caps"; then
	ok "as nobody with the unit's ambient capabilities: GET /healthz is 200"
	kept=$(sed -n 's/.*euid 65534, capabilities kept: //p' "$tmp/user.log" | tr ',' '\n' |
		sed 's/^cap_//' | sort)
	check "as nobody: keeps all of the unit's capabilities (CAP_NET_ADMIN too)" \
		$([ -n "$kept" ] && [ "$kept" = "$capnames" ]; echo $?) \
		"log: $(grep 'capabilities kept' "$tmp/user.log")" "unit: $(echo $capnames)"
	code=$(http_get "http://127.0.0.1:$svc_port/api/namespaces" "$tmp/user.json")
	check "as nobody: GET /api/namespaces has the test's network namespace and one held only by a socket" \
		$([ "$code" = 200 ] && [ -n "$sock_netns" ] && has_ns "$tmp/user.json" "$own_netns" &&
			has_ns "$tmp/user.json" "$sock_netns"
		  echo $?) "status $code, netns $own_netns and ${sock_netns:-none}" \
		"$(grep -v 'serving on' "$tmp/user.log")"
	stop "$svc_pid"
	check "as nobody: exits 0 on SIGTERM" $([ "$stopped_rc" = 0 ]; echo $?) "exit $stopped_rc"
else
	notok "as nobody with the unit's ambient capabilities: GET /healthz is 200" \
		"$(cat "$tmp/user.log")"
	for i in 2 3 4; do notok "as nobody: (not started)"; done
fi
stop "$holder"
exit 0

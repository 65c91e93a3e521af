#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Honest partial views (TAP), live: in a PID namespace of its own (with its
# /proc), where root sees everything, this script (PID 1) and a sleep of
# root's are the only other processes. Run as root, every tool prints no
# summary and the service sends no X-Lxkns-Partial-View; run as nobody with
# no capabilities, every tool prints exactly one line
#   TOOL: 2 processes could not be read...; --diagnostics lists them
# on stderr (none with --diagnostics, which lists them instead), and the
# service sends the same, without the tool's name, as X-Lxkns-Partial-View.
#   test-partial-view.sh TOOLS-BUILDDIR LXKNS
set -u
tools=$1
lxkns=$2

if [ "${PARTIAL_VIEW_INNER:-}" != 1 ]; then
	if [ "$(id -u)" != 0 ] || ! unshare --pid --fork --mount-proc true 2>/dev/null ||
		! command -v setpriv >/dev/null; then
		echo "1..0 # SKIP needs root, unshare --pid --mount-proc and setpriv"
		exit 0
	fi
	PARTIAL_VIEW_INNER=1 exec unshare --pid --fork --mount-proc "$0" "$@"
fi

n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
		[ -n "${3:-}" ] && printf '%s\n' "$3" | head -20 | sed 's/^/#   /'
	fi
}
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all
	--no-new-privs)
# Waits until PID 1 and the sleep are alone again (a tool's helper children,
# reparented to us, may still be on their way out: each would count).
settle() {
	local i procs
	for ((i = 0; i < 100; i++)); do
		procs=(/proc/[0-9]*)
		[ "${#procs[@]}" -le 2 ] && return
		sleep 0.05
	done
}
nobody() {
	settle
	"${NOBODY[@]}" "$@"
}

work=$(mktemp -d)
chmod 755 "$work"
sleep 300 &
sleeper=$!
svc=
cleanup() {
	[ -n "$svc" ] && kill "$svc" 2>/dev/null && wait "$svc" 2>/dev/null
	kill "$sleeper" 2>/dev/null
	wait "$sleeper" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

procs=(/proc/[0-9]*)
[ "$$" = 1 ] && [ "${#procs[@]}" = 2 ]
ok $? "in a PID namespace of our own: PID 1 and the sleep $sleeper only" "${procs[*]}"

userns=$(readlink /proc/self/ns/user)
for t in dumpns lsuns lspidns pidtree lsallns nsgraph lsmnt nscaps; do
	args=()
	[ "$t" = nscaps ] && args=("$userns")
	"$tools/$t" "${args[@]}" >/dev/null 2>"$work/err"
	rc=$?
	[ $rc = 0 ] && ! grep -q "could not be read\|were lost\|was lost" "$work/err"
	ok $? "$t as root, the full view: no summary line" "rc $rc: $(cat "$work/err")"

	nobody "$tools/$t" "${args[@]}" >/dev/null 2>"$work/err"
	rc=$?
	lines=$(grep -c "could not be read\|were lost\|was lost" "$work/err")
	[ $rc = 0 ] && [ "$lines" = 1 ] &&
		grep -qx "$t: [2-9] processes could not be read.* (needs CAP_SYS_PTRACE.*); --diagnostics lists them" "$work/err"
	ok $? "$t as nobody: one line, '$t: 2 processes could not be read ... (needs CAP_SYS_PTRACE...); --diagnostics lists them'" \
		"rc $rc: $(cat "$work/err")"

	nobody "$tools/$t" --diagnostics "${args[@]}" >/dev/null 2>"$work/err"
	rc=$?
	[ $rc = 0 ] && ! grep -q "diagnostics lists them" "$work/err" &&
		grep -qx "$t: cannot read the namespaces of 1: Permission denied" "$work/err" &&
		grep -qx "$t: cannot read the namespaces of $sleeper: Permission denied" "$work/err"
	ok $? "$t --diagnostics as nobody: the list (PIDs 1 and $sleeper), not the summary" \
		"rc $rc: $(cat "$work/err")"
done

# the service, as root and as nobody (its clients too, and no pipes or
# subshells of root's while it discovers: each would be one more process
# nobody cannot read)
header() { # PORT PATH
	nobody curl -s -o /dev/null -D - "http://127.0.0.1:$1$2" >"$work/headers"
	tr -d '\r' <"$work/headers" | sed -n 's/^[Xx]-[Ll]xkns-[Pp]artial-[Vv]iew: //p'
}
start() { # [setpriv...] (a command, not a function: no subshell of root's)
	"$@" "$lxkns" --http 127.0.0.1:0 --no-containers >"$work/out" 2>"$work/svcerr" &
	svc=$!
	port=
	for _ in $(seq 100); do
		port=$(sed -n 's|.*serving on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/out")
		[ -n "$port" ] && break
		sleep 0.1
	done
}
stop() {
	kill "$svc"
	wait "$svc"
	rc=$?
	svc=
	return $rc
}
if command -v curl >/dev/null; then
	start
	header "$port" /api/namespaces >"$work/h"
	h=$(cat "$work/h")
	[ -n "$port" ] && [ -z "$h" ]
	ok $? "service as root, the full view: no X-Lxkns-Partial-View" "port '$port' header '$h'"
	stop
	ok $? "service as root: exits 0"

	settle
	start "${NOBODY[@]}"
	for path in /api/namespaces /api/processes /api/pidmap; do
		header "$port" $path >"$work/h"
		h=$(cat "$work/h")
		[[ "$h" =~ ^[2-9]\ processes\ could\ not\ be\ read.*\(needs\ CAP_SYS_PTRACE.*\)$ ]]
		ok $? "service as nobody, $path: X-Lxkns-Partial-View: $h" "$(cat "$work/svcerr")"
	done
	header "$port" /healthz >"$work/h"
	h=$(cat "$work/h")
	[ -z "$h" ]
	ok $? "... not on /healthz (no discovery)" "$h"
	# the tools' line is the same, with the tool's name and the hint
	# (lsuns asks for less: fewer other sources, the same processes)
	nobody "$tools/lsuns" >/dev/null 2>"$work/err"
	header "$port" /api/namespaces >"$work/h"
	h=$(cat "$work/h")
	[ "lsuns: ${h%%,*}" = "$(sed 's/[,;(].*//; s/ $//' "$work/err")" ]
	ok $? "... the same count of processes as the tools print" "service '$h'; lsuns '$(cat "$work/err")'"
	stop
	ok $? "service as nobody: exits 0"
else
	echo "# curl missing: service part skipped"
fi

echo "1..$n"
exit $failed

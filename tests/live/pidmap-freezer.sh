#!/bin/bash
# PID map and freezer on real namespaces and cgroups:
#  - a 3-deep PID namespace chain: dumpns --pidmap lists the leaf's PIDs from
#    its own PID namespace up to ours, exactly; the library translates PIDs
#    between any two of them (pidxlate), and refuses invisible ones (0);
#  - a process frozen by the cgroup v2 freezer, one frozen by the v1 freezer
#    (this host is hybrid), and a thawed one: fridgefrozen exactly;
#  - the whole document (with mounts) follows the Go wire format.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"
PIDXLATE=$(helper pidxlate)

# --- the PID namespace chain: unshare execs sleep after the last fork
unshare --pid --fork --kill-child unshare --pid --fork --kill-child \
	unshare --pid --fork --kill-child sleep infinity </dev/null >/dev/null 2>&1 &
OUTER=$!
track_pid "$OUTER"
L=$OUTER
for _ in 1 2 3; do L=$(wait_child "$L"); track_pid "$L"; done
wait_exe "$L" "$SLEEP_EXE"
read -r -a NSPID <<<"$(awk '/^NSpid:/ { $1 = ""; print }' "/proc/$L/status")"
[ "${#NSPID[@]}" = 4 ] || fatal "NSpid of $L: ${NSPID[*]}"
P0=$(nsino self pid)
P3=$(nsino "$L" pid)
P2=$(nsrel "/proc/$L/ns/pid" parent)
P1=$(nsrel "/proc/$L/ns/pid" parent parent)
[ "$(nsrel "/proc/$L/ns/pid" parent parent parent)" = "$P0" ] || fatal "the chain does not end in our PID namespace"

"$DUMPNS" -c --pidmap >"$DUMP" 2>"$WORK/dumpns.err" || fatal "dumpns --pidmap failed: $(cat "$WORK/dumpns.err")"
expect "PID map entry of the leaf, leaf first" \
	"[{\"pid\":${NSPID[3]},\"nsid\":$P3},{\"pid\":${NSPID[2]},\"nsid\":$P2},{\"pid\":${NSPID[1]},\"nsid\":$P1},{\"pid\":${NSPID[0]},\"nsid\":$P0}]" \
	'[.[] | select(.[0].nsid == $p3 and .[0].pid == $leaf)] | first' \
	--argjson p3 "$P3" --argjson leaf "${NSPID[3]}"

xlate() { # what want pid from to
	local got
	got=$("$PIDXLATE" "$3" "$4" "$5")
	LIVE_CHECKS=$((LIVE_CHECKS + 1))
	[ "$got" = "$2" ] || fail "$1: translate $3 from $4 to $5: got $got, want $2"
}
xlate "ours -> innermost" "${NSPID[3]}" "$L" "$P0" "$P3"
xlate "innermost -> ours" "$L" "${NSPID[3]}" "$P3" "$P0"
xlate "innermost -> middle" "${NSPID[2]}" "${NSPID[3]}" "$P3" "$P2"
xlate "first level -> middle" "${NSPID[2]}" "${NSPID[1]}" "$P1" "$P2"
xlate "our own process is invisible inside" 0 "$$" "$P0" "$P3"
xlate "an unknown PID" 0 999999 "$P0" "$P3"

# --- the freezer
CG2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -z "$CG2" ] && CG2=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i+1) == "cgroup2") print $5; break } }' /proc/self/mountinfo | head -n1)
FRZ1=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i+1) == "cgroup" && $(i+3) ~ /(^|,)freezer(,|$)/) print $5; break } }' /proc/self/mountinfo | head -n1)
[ -n "$CG2" ] || skip "no cgroup2 mount"
G=lxkns-live-frz-$$
sleep infinity </dev/null >/dev/null 2>&1 & A=$!; track_pid "$A"
sleep infinity </dev/null >/dev/null 2>&1 & T=$!; track_pid "$T"
mkdir "$CG2/$G"
cleanup_cgroups() {
	[ -d "$CG2/$G" ] && { echo 0 >"$CG2/$G/cgroup.freeze" 2>/dev/null; kill -KILL "$A" 2>/dev/null; }
	[ -n "$FRZ1" ] && [ -d "$FRZ1/$G" ] && { echo THAWED >"$FRZ1/$G/freezer.state" 2>/dev/null; kill -KILL "$B" 2>/dev/null; }
	for _ in $(seq 300); do
		{ [ ! -d "$CG2/$G" ] || rmdir "$CG2/$G" 2>/dev/null; } &&
			{ [ -z "$FRZ1" ] || [ ! -d "$FRZ1/$G" ] || rmdir "$FRZ1/$G" 2>/dev/null; } && break
		sleep 0.01
	done
}
trap 'cleanup_cgroups; live_cleanup' EXIT
echo "$A" >"$CG2/$G/cgroup.procs"
echo 1 >"$CG2/$G/cgroup.freeze"
for _ in $(seq 300); do grep -q '^frozen 1' "$CG2/$G/cgroup.events" && break; sleep 0.01; done
if [ -n "$FRZ1" ]; then
	sleep infinity </dev/null >/dev/null 2>&1 & B=$!; track_pid "$B"
	mkdir "$FRZ1/$G"
	echo "$B" >"$FRZ1/$G/cgroup.procs"
	echo FROZEN >"$FRZ1/$G/freezer.state"
	for _ in $(seq 300); do grep -q FROZEN "$FRZ1/$G/freezer.state" && break; sleep 0.01; done
fi

run_dumpns
expect "v2-frozen process" 'true' '.processes[$a].fridgefrozen' --arg a "$A"
expect "thawed process" 'false' '.processes[$t].fridgefrozen' --arg t "$T"
if [ -n "$FRZ1" ]; then
	expect "v1-frozen process" 'true' '.processes[$b].fridgefrozen' --arg b "$B"
	expect "v1 freezer path of the v1-frozen process" "\"/$G\"" '.processes[$b].fridgecgroup' --arg b "$B"
fi
expect "discovery options" '[true,true,true]' '.["discovery-options"] | [."with-freezer", ."with-mounts", ."with-affinity-scheduling"]'
expect "online CPUs" "$(python3 -c '
import sys
s = open("/sys/devices/system/cpu/online").read().strip()
r = []
for part in s.split(","):
    a, _, b = part.partition("-")
    r.append([int(a), int(b or a)])
print(r)')" '.["cpus-online"]'
expect_wire_format
expect "mount wire format (first 5 violations)" '[]' '
  ["mountid","parentid","major","minor","root","mountpoint","mountoptions","tags","fstype","source","superoptions","hidden"] as $mk
  | [ .mounts | to_entries[] | .key as $ns | .value | to_entries[]
      | (if (.value | keys_unsorted) == ["mounts","pathid","parentid"] then empty else "path \(.key) of \($ns): \(.value | keys_unsorted)" end),
        (.value.mounts[] | if keys_unsorted == $mk then empty else "mount \(.mountid): \(keys_unsorted)" end)
    ] | .[:5]'
expect "every mount namespace has a mount table" '[]' \
	'[.namespaces[] | select(.type == "mnt") | .nsid | tostring] - (.mounts | keys)'
finish

#!/bin/bash
# Containers only an OCI runtime's state directory knows:
#  - plain runc (runc run -d, state in /run/runc): type and flavor runc, ID,
#    name = ID, the init PID, the OCI annotations as labels (odd characters
#    intact, runc's "bundle" left out), engine "file:///run/runc", PID 0;
#    runc pause: paused (from the freezer);
#  - a runc container whose init is gone (killed, not deleted): not reported;
#  - crun (state in /run/crun, annotations from its copy of config.json);
#    crun refuses hybrid cgroup hierarchies with v2 controllers, so it runs
#    in a private mount namespace that sees only cgroup v2 (the runtime
#    cookbook's recipe), without cgroups of its own (its eBPF device filter
#    needs CAP_SYS_RESOURCE, which our CI machines lack); the host is not
#    changed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_init "$@"
need runc

# bundle ID [annotations JSON]: $W/ID with rootfs and config.json
bundle() {
	local id=$1 ann=${2:-'{}'} b=$W/$1
	mkdir -p "$b"
	cp -a "$BB" "$b/rootfs"
	(cd "$b" && runc spec) || return 1
	jq --argjson ann "$ann" --arg cg "/lxkns-ct-runc/$id" '
		.process.terminal = false | .process.args = ["/bin/sleep", "100000"] |
		.process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}] |
		.annotations = $ann | .linux.cgroupsPath = $cg' "$b/config.json" >"$b/c.json" &&
		mv "$b/c.json" "$b/config.json"
}
later "rmdir_cgroups lxkns-ct-runc"
[ -e /run/runc ] || later "rmdir /run/runc"
[ -e /run/crun ] || later "rmdir /run/crun"

ID=lxkns-ct-runc-$$
ODD='ru"nc <&> ü	x'
bundle $ID "$(jq -n --arg v "$ODD" '{"io.kubernetes.pod.name": "zoo-pod", "odd": $v}')" || { not_ok "runc spec"; ct_done; }
later "runc delete -f $ID"
(cd "$W/$ID" && runc run -d --pid-file "$W/$ID.pid" "$ID" </dev/null >"$W/$ID.out" 2>&1) ||
	{ not_ok "runc run: $(cat "$W/$ID.out")"; ct_done; }
P=$(cat "$W/$ID.pid")
log "runc container $ID, PID $P"

dump
E=$(engine_ref "file:///run/runc")
is "runc state engine" "{\"id\":\"\",\"type\":\"runc\",\"version\":\"\",\"api\":\"file:///run/runc\",\"pid\":0,\"labels\":{\"turtlefinder/engine/id\":\"${E:-0}\"}}" \
	".\"container-engines\".\"${E:-0}\" | del(.containers)"
is "runc container" "{\"engine\":${E:-0},\"groups\":[],\"id\":\"$ID\",\"name\":\"$ID\",\"type\":\"runc\",\"flavor\":\"runc\",\"pid\":$P,\"paused\":false,\"labels\":{\"io.kubernetes.pod.name\":\"zoo-pod\",\"odd\":$(jq -n --arg v "$ODD" '$v'),\"turtlefinder/container/prefix\":\"\"}}" \
	".containers.\"$P\""

runc pause $ID
dump
is "runc pause: paused and frozen" "[true,true]" "[.containers.\"$P\".paused, .processes.\"$P\".fridgefrozen]"
runc resume $ID

# a container whose init process is gone but whose state is still there
ID2=lxkns-ct-dead-$$
bundle $ID2 || not_ok "runc spec (2)"
later "runc delete -f $ID2"
(cd "$W/$ID2" && runc run -d --pid-file "$W/$ID2.pid" "$ID2" </dev/null >"$W/$ID2.out" 2>&1) || not_ok "runc run (2)"
P2=$(cat "$W/$ID2.pid")
kill -KILL "$P2"
wait_for "PID $P2 to go" 10 sh -c "! kill -0 $P2" || true
dump
is "runc container whose init is gone: not reported" "[]" "[.containers[] | select(.id == \"$ID2\")]"

# ---- crun ------------------------------------------------------------------
if ! command -v crun >/dev/null; then
	ok "crun # SKIP crun is not installed"
elif ! grep -q ' cgroup2 ' /proc/self/mountinfo; then
	ok "crun # SKIP no cgroup v2 hierarchy"
else
	CID=lxkns-ct-crun-$$
	bundle $CID '{"com.example.runtime": "crun", "x": "<y>"}' || not_ok "crun spec"
	V2=$(grep ' - cgroup2 ' /proc/self/mountinfo | head -1 | awk '{print $5}')
	later "crun delete -f $CID"
	if [ "$V2" = /sys/fs/cgroup ]; then
		(cd "$W/$CID" && crun --cgroup-manager=disabled run -d --pid-file "$W/$CID.pid" "$CID" \
			</dev/null >"$W/$CID.out" 2>&1)
	else
		(cd "$W/$CID" && unshare -m --propagation private sh -c \
			"mount --bind $V2 /sys/fs/cgroup && exec crun --cgroup-manager=disabled run -d --pid-file $W/$CID.pid $CID" \
			</dev/null >"$W/$CID.out" 2>&1)
	fi
	if [ -s "$W/$CID.pid" ]; then
		CP=$(cat "$W/$CID.pid")
		log "crun container $CID, PID $CP"
		dump
		CE=$(engine_ref "file:///run/crun")
		is "crun container" "{\"engine\":${CE:-0},\"id\":\"$CID\",\"name\":\"$CID\",\"type\":\"crun\",\"flavor\":\"crun\",\"pid\":$CP,\"labels\":{\"com.example.runtime\":\"crun\",\"turtlefinder/container/prefix\":\"\",\"x\":\"<y>\"}}" \
			".containers.\"$CP\" | del(.groups, .paused)"
		is "crun engine" "{\"type\":\"crun\",\"api\":\"file:///run/crun\",\"pid\":0}" \
			".\"container-engines\".\"${CE:-0}\" | {type, api, pid}"
	else
		not_ok "crun run: $(head -c 300 "$W/$CID.out")"
	fi
fi
ct_done

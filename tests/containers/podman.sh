#!/bin/bash
# podman's API service (podman system service), started privately:
#  - a container with odd labels: exact ID, name, PID, type podman.io,
#    labels, engine (version, API, PID), from podman's libpod API;
#  - podman pause: paused and frozen;
#  - a podman pod: a group of type io.podman with its member;
#  - the watcher follows podman's event stream (Docker-compatible /events);
#  - podman runs its containers with runc, whose state directory (/run/runc)
#    knows them too: they are reported once, by podman;
#  - without the API service (stopped), the same container is still
#    reported, from the OCI runtime state: type and flavor runc, podman's
#    OCI annotations as labels.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_init "$@"
[ -e /run/runc ] || later "rmdir /run/runc"
start_podman
log "podman $PODMAN_VERSION, service PID $PODMAN_PID, $PODMAN_SOCK"

ODD='p"od <man> & ü	x'
podman_run ct-podman --network none --label "odd=$ODD" --label com.example.engine=podman ||
	{ not_ok "podman run ct-podman"; ct_done; }
P1=$PID
ID1=$(podman_ inspect -f '{{.Id}}' ct-podman)
log "ct-podman $ID1, PID $P1"
dump
E=$(engine_ref "unix://$PODMAN_SOCK")
is "podman engine" "{\"id\":\"\",\"type\":\"podman.io\",\"version\":\"$PODMAN_VERSION\",\"api\":\"unix://$PODMAN_SOCK\",\"pid\":$PODMAN_PID,\"labels\":{\"turtlefinder/engine/id\":\"${E:-0}\"}}" \
	".\"container-engines\".\"${E:-0}\" | del(.containers)"
is "podman container" "{\"engine\":${E:-0},\"groups\":[],\"id\":\"$ID1\",\"name\":\"ct-podman\",\"type\":\"podman.io\",\"flavor\":\"podman.io\",\"pid\":$P1,\"paused\":false,\"labels\":{\"com.example.engine\":\"podman\",\"odd\":$(jq -n --arg v "$ODD" '$v'),\"turtlefinder/container/prefix\":\"\"}}" \
	".containers.\"$P1\""
is "reported once: no runc engine has it" "[]" "[.\"container-engines\"[] | select(.type == \"runc\") | .containers[] | select(. == $P1)]"

podman_ pause ct-podman >/dev/null
dump
is "podman pause: paused and frozen" "[true,true]" "[.containers.\"$P1\".paused, .processes.\"$P1\".fridgefrozen]"
podman_ unpause ct-podman >/dev/null

later "podman_ pod rm -f -t 0 ct-pod"
if podman_ pod create --infra=false --cgroup-parent=/lxkns-ct-podman --name ct-pod >/dev/null; then
	podman_run ct-pod-member --network none --pod ct-pod || not_ok "podman run --pod"
	PM=$PID
	dump
	is "podman pod: a group" "[{\"containers\":[$PM],\"name\":\"ct-pod\",\"type\":\"io.podman\",\"flavor\":\"io.podman\",\"labels\":{}}]" \
		"[.\"container-groups\"[] | select(.type == \"io.podman\")]"
else
	not_ok "podman pod create"
fi

# the watcher: podman's (Docker-compatible) event stream
start_watcher
wdump
is "watcher: first discovery" "\"ct-podman\"" ".containers.\"$P1\".name"
podman_run ct-late --network none --label late=yes || not_ok "podman run ct-late"
PL=$PID
wait_is "watcher: a container started later shows up" "{\"name\":\"ct-late\",\"late\":\"yes\"}" \
	".containers.\"$PL\" | {name, late: .labels.late}"
podman_ pause ct-late >/dev/null
wait_is "watcher: paused" "true" ".containers.\"$PL\".paused"
podman_ rm -f -t 0 ct-late >/dev/null
wait_is "watcher: removed" "null" ".containers.\"$PL\""
stop_watcher

# the service gone: the runtime's state directory still knows the container
stop_pid "$PODMAN_PID" "$(starttime_of "$PODMAN_PID")"
dump
is "without the service: from /run/runc, with podman's OCI annotations" "{\"id\":\"$ID1\",\"name\":\"$ID1\",\"type\":\"runc\",\"flavor\":\"runc\",\"pid\":$P1,\"manager\":\"libpod\"}" \
	".containers.\"$P1\" | {id, name, type, flavor, pid, manager: .labels.\"io.container.manager\"}"
ct_done

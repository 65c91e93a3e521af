#!/bin/bash
# dockerd (on a private containerd), started privately:
#  - a container with odd labels: exact ID, name, PID, type, labels, engine
#    (daemon ID, version, API, PID); the containerd engine does not report
#    Docker's containers (its "moby" namespace belongs to Docker);
#  - docker pause: paused, and its process frozen;
#  - a compose project (Debian's docker-compose): a group with exactly its
#    containers;
#  - a dockershim-style name: a pod group and the pod labels;
#  - devcontainer and codespace labels: their names;
#  - an engine inside a container (containerd in a Docker container): its
#    container's PID is translated into ours, the container carries the
#    enclosing container's name as prefix, the engine's parent is Docker;
#  - the watcher (a long-running discovery): containers started, paused and
#    removed afterwards show up from Docker's event stream;
#  - dumpns --input reads the document back byte for byte;
#  - lspidns, pidtree and lsallns name the container (--no-containers: not).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_init "$@"
start_dockerd
log "dockerd $DOCKER_VERSION ($DOCKER_ID), PID $DOCKERD_PID, $DOCKER_SOCK"

ODD='we"ird <&> ünï	code
newline'
docker_run ct-web --label "odd=$ODD" --label com.example.engine=docker || { not_ok "docker run ct-web"; ct_done; }
P1=$PID
ID1=$(docker_id ct-web)
dump
E=$(engine_ref "unix://$DOCKER_SOCK")
is "Docker engine" "{\"id\":\"$DOCKER_ID\",\"type\":\"docker.com\",\"version\":\"$DOCKER_VERSION\",\"api\":\"unix://$DOCKER_SOCK\",\"pid\":$DOCKERD_PID,\"labels\":{\"turtlefinder/engine/id\":\"$E\"}}" \
	".\"container-engines\".\"$E\" | del(.containers)"
is "Docker container" "{\"engine\":$E,\"groups\":[],\"id\":\"$ID1\",\"name\":\"ct-web\",\"type\":\"docker.com\",\"flavor\":\"docker.com\",\"pid\":$P1,\"paused\":false,\"labels\":{\"com.example.engine\":\"docker\",\"odd\":$(jq -n --arg v "$ODD" '$v'),\"turtlefinder/container/prefix\":\"\"}}" \
	".containers.\"$P1\""
is "the engine lists it" "true" ".\"container-engines\".\"$E\".containers | index($P1) != null"
CE=$(jq -r --arg api "unix://$CTRD_SOCK" '."container-engines" | to_entries[] | select(.value.api == $api and .value.type == "containerd.io") | .key' <<<"$DUMP")
is "containerd leaves the moby namespace to Docker" "[]" ".\"container-engines\".\"${CE:-0}\".containers"
is "Docker's container is linked to its process" "\"sleep\"" ".processes.\"$P1\".name"

# the tools name containers before their initial processes
T=$(dirname "$DUMPNS")
out=$("$T/lspidns" --color=never 2>&1)
check "lspidns: container \"ct-web\" process \"sleep\" ($P1)" grep -qF "container \"ct-web\" process \"sleep\" ($P1)" <<<"$out"
out=$("$T/lspidns" --color=never --no-containers 2>&1)
check "lspidns --no-containers: just the process, with its cgroup" grep -qE "process \"sleep\" \($P1\) controlled by" <<<"$out"
out=$("$T/pidtree" --color=never 2>&1)
check "pidtree: container \"ct-web\" \"sleep\" ($P1/1)" grep -qF "container \"ct-web\" \"sleep\" ($P1/1)" <<<"$out"
out=$("$T/lsallns" -o TYPE,CONTAINER,SENIOR 2>&1)
check "lsallns: CONTAINER column" grep -qE "^pid +ct-web +$P1\$" <<<"$out"

docker pause ct-web >/dev/null
dump
is "docker pause: paused and frozen" "[true,true]" "[.containers.\"$P1\".paused, .processes.\"$P1\".fridgefrozen]"
docker unpause ct-web >/dev/null

# ---- compose ----------------------------------------------------------------
if command -v docker-compose >/dev/null; then
	cat >"$W/compose.yml" <<EOF
version: "2.4"
services:
  web:
    image: lxkns-ct/busybox:latest
    command: ["sleep", "100000"]
    network_mode: none
  worker:
    image: lxkns-ct/busybox:latest
    command: ["sleep", "100000"]
    network_mode: none
    scale: 2
EOF
	later "docker-compose -p lxknsct -f $W/compose.yml down -t 0"
	if docker-compose -p lxknsct -f "$W/compose.yml" up -d >"$W/compose.log" 2>&1; then
		CP=$(for id in $(docker-compose -p lxknsct -f "$W/compose.yml" ps -q 2>/dev/null); do
			docker inspect -f '{{.State.Pid}}' "$id"; done | sort -n | paste -sd,)
		dump
		G=$(jq -r '."container-groups" | to_entries[] | select(.value.name == "lxknsct") | .key' <<<"$DUMP")
		is "compose project: a group with exactly its 3 containers" "{\"containers\":[$CP],\"name\":\"lxknsct\",\"type\":\"com.docker.compose.project\",\"flavor\":\"com.docker.compose.project\",\"labels\":{}}" \
			".\"container-groups\".\"${G:-0}\" | .containers |= sort"
		is "compose containers refer to the group" "[[${G:-0}],[${G:-0}],[${G:-0}]]" \
			"[.containers[] | select(.labels.\"com.docker.compose.project\" == \"lxknsct\") | .groups]"
		is "compose labels kept" "[\"web\",\"worker\",\"worker\"]" \
			"[.containers[] | select(.labels.\"com.docker.compose.project\" == \"lxknsct\") | .labels.\"com.docker.compose.service\"] | sort"
	else
		not_ok "docker-compose up: $(tail -3 "$W/compose.log" | tr '\n' ' ')"
	fi
else
	ok "compose project # SKIP docker-compose is not installed"
fi

# ---- decorators -------------------------------------------------------------
docker_run k8s_app_mypod_myns_uid-1234_0 || not_ok "docker run dockershim-named"
PK=$PID
docker_run ct-dev --label devcontainer.local_folder=/home/me/my-project/ || not_ok "docker run ct-dev"
PD=$PID
docker_run ct-cs --label 'devcontainer.metadata=[{"id":"x"},{"containerEnv":{"CODESPACES":"true","RepositoryName":"my-codespace"}}]' ||
	not_ok "docker run ct-cs"
PC=$PID
dump
is "dockershim name: pod group" "[\"myns/mypod\",\"io.kubernetes.pod\",[$PK]]" \
	".\"container-groups\"[] | select(.type == \"io.kubernetes.pod\") | [.name, .type, .containers]"
is "dockershim name: pod labels" "{\"io.kubernetes.container.name\":\"app\",\"io.kubernetes.pod.uid\":\"uid-1234\"}" \
	".containers.\"$PK\".labels | with_entries(select(.key | startswith(\"io.kubernetes\")))"
is "devcontainer name" "\"my-project\"" ".containers.\"$PD\".labels.\"lxkns.devcontainer.name\""
is "codespace name" "\"my-codespace\"" ".containers.\"$PC\".labels.\"lxkns.codespace.name\""

"$DUMPNS" --input <(echo "$DUMP") -c >"$W/back.json" 2>&1
check "dumpns --input gives back the same bytes" cmp -s "$W/back.json" <(echo "$DUMP")

# ---- an engine inside a container ------------------------------------------
INNER=inner-ctr-$$
# containerd (the host's binaries, read-only) inside a Docker container that
# may make containers (all capabilities but CAP_SYS_RESOURCE, which our CI
# machines lack), running one container of its own
docker_run ct-outer --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined \
	--security-opt apparmor=unconfined --device-cgroup-rule 'a *:* rwm' \
	-v /sys/fs/cgroup:/sys/fs/cgroup:rw -v /usr:/usr:ro -v /lib:/lib:ro -v /lib64:/lib64:ro \
	-v "$BB:/bb:ro" --tmpfs /run --tmpfs /var/lib/containerd:exec \
	-e PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	-- /bin/sh -c "containerd >/run/containerd.log 2>&1 & until ctr version >/dev/null 2>&1; do sleep 0.1; done; ctr run -d --rootfs /bb $INNER /bin/sleep 100000; exec sleep 100000" ||
	not_ok "docker run ct-outer"
PO=$PID
later "timeout 20 docker exec ct-outer sh -c 'ctr task kill -s KILL $INNER; sleep 0.5; ctr task rm -f $INNER; ctr c rm $INNER'"
later "rmdir_cgroups default/$INNER"
inner_pid() { docker exec ct-outer ctr task ls 2>/dev/null | awk -v id="$INNER" '$1 == id && $3 == "RUNNING" {print $2}'; }
has_inner() { [ -n "$(inner_pid)" ]; }
if wait_for "the inner container" 30 has_inner; then
	IP=$(inner_pid)
	IPNS=$(stat -L -c %i /proc/"$PO"/ns/pid)
	# the inner container's PID in our PID namespace: the process that is
	# PID $IP one level down (in the outer container's PID namespace) and
	# descends from the outer container's init
	HP=""
	for s in /proc/[0-9]*/status; do
		read -r -a nspid < <(awk '/^NSpid:/ {$1=""; print}' "$s" 2>/dev/null)
		[ "${#nspid[@]}" -ge 2 ] && [ "${nspid[1]}" = "$IP" ] || continue
		p=${s#/proc/}
		p=${p%/status}
		for a in $(ppid_chain "$p"); do
			[ "$a" = "$PO" ] && HP=$p && break 2
		done
	done
	ICTRD=$(pgrep -x containerd -P "$PO" | head -1)
	[ -n "$ICTRD" ] || ICTRD=$(for c in $(pgrep -x containerd); do [ "$(stat -L -c %i /proc/$c/ns/pid)" = "$IPNS" ] && echo $c; done | head -1)
	log "outer container $PO (pidns $IPNS), inner containerd $ICTRD, inner container $IP = $HP"
	dump
	IE=$(jq -r --argjson pid "${ICTRD:-0}" '."container-engines" | to_entries[] | select(.value.pid == $pid and .value.type == "containerd.io") | .key' <<<"$DUMP")
	E=$(engine_ref "unix://$DOCKER_SOCK")
	is "inner engine: API through /proc/PID/root, parent is Docker" "{\"api\":\"unix:///proc/$ICTRD/root/run/containerd/containerd.sock\",\"pid\":$ICTRD,\"labels\":{\"turtlefinder/engine/id\":\"${IE:-0}\",\"turtlefinder/engine/parent-id\":\"$E\"}}" \
		".\"container-engines\".\"${IE:-0}\" | {api, pid, labels}"
	is "inner container: PID $IP translated to $HP, prefixed by its enclosing container" "{\"engine\":${IE:-0},\"name\":\"$INNER\",\"pid\":${HP:-0},\"prefix\":\"ct-outer\"}" \
		".containers.\"${HP:-0}\" | {engine, name, pid, prefix: .labels.\"turtlefinder/container/prefix\"}"
	is "the outer container has no prefix" "\"\"" ".containers.\"$PO\".labels.\"turtlefinder/container/prefix\""
else
	not_ok "engine inside a container: the inner containerd does not run"
	docker exec ct-outer sh -c "ps; ctr task ls; tail -5 /run/containerd.log" 2>&1 | sed "s/^/#   /" | cut -c1-300
fi

# ---- the watcher --------------------------------------------------------------
start_watcher
wdump
is "watcher: first discovery has Docker's containers" "\"ct-web\"" ".containers.\"$P1\".name"
docker_run ct-late --label late=yes || not_ok "docker run ct-late"
PL=$PID
wait_is "watcher: a container started later shows up" "{\"name\":\"ct-late\",\"paused\":false,\"late\":\"yes\"}" \
	".containers.\"$PL\" | {name, paused, late: .labels.late}"
docker pause ct-late >/dev/null
wait_is "watcher: paused" "true" ".containers.\"$PL\".paused"
docker unpause ct-late >/dev/null
wait_is "watcher: unpaused" "false" ".containers.\"$PL\".paused"
docker rm -f ct-late >/dev/null
wait_is "watcher: removed" "null" ".containers.\"$PL\""
stop_watcher
ct_done

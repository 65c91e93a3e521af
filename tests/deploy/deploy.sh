#!/bin/bash
# The lxkns image where users run it: built by scripts/image.sh on a private
# dockerd (no registry), then run
#   - the Kubernetes way: the DaemonSet's pod template (user, capabilities,
#     read-only root, host PID, allowPrivilegeEscalation) read from
#     deployments/kubernetes/daemonset.yaml, in a PRIVATE cgroup namespace
#     and its own network namespace, with the runtime's default seccomp;
#   - the compose way: docker-compose -f deployments/compose.yaml up, with our
#     seccomp profile, published on 127.0.0.1:PORT.
# Both must find, exactly as a root dumpns on the host does:
#   NB  a netns bind-mounted on the host (ip netns add)
#   NS  a netns held only by a socket (sockholder)
#   NF  an ipc namespace held only by an open fd
#   M1  a process-less mount namespace (bind-mounted), and U, a uts
#       namespace bind-mounted only inside M1
#   C   a busybox container of the test's dockerd on its non-default socket
#   G   a process in cgroups of its own (v1 cpu, v1 freezer, unified), frozen
#       through cgroup v2: its host cgroup paths, exactly
# and the service must not report socket-held netns as limited.
#
#   bash tests/deploy/deploy.sh BUILD_DIR    (root; the meson build with
#                                             dumpns, the service and the
#                                             live helpers)
source "$(dirname "${BASH_SOURCE[0]}")/../containers/lib.sh"
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(realpath "${1:?usage: deploy.sh BUILD_DIR}")
ct_init "$BUILD/tools/dumpns" "$BUILD/tests/live"
need ip unshare nsenter setpriv curl docker-compose
[ -x "$BUILD/tests/live/sockholder" ] || ct_skip_all "needs the live helpers (-Dlive_tests=true)"
[ -d "$BUILD/service/web/dist" ] || ct_skip_all "the build has no web UI (needs npm)"
PY=/usr/bin/python3
"$PY" -c 'import yaml' 2>/dev/null || ct_skip_all "needs python3-yaml"
T=lxkdep$$

start_dockerd
log "dockerd $DOCKER_VERSION on $DOCKER_SOCK"

# ---- the image --------------------------------------------------------------
IMG=lxkns-test:$T
later "docker rmi -f $IMG >/dev/null"
out=$(bash "$SRC/scripts/image.sh" --build-dir "$BUILD" --tag "$IMG" 2>&1)
check "scripts/image.sh builds the image" test -n "$(docker images -q "$IMG")"
log "$(tail -1 <<<"$out")"
cfg=$(docker image inspect -f '{{json .Config.Entrypoint}} {{.Config.User}} {{json .Config.ExposedPorts}}' "$IMG")
check "image: the service is the entrypoint on :5010, uid 0" \
	test "$cfg" = '["/usr/bin/lxkns","--http",":5010"] 0:0 {"5010/tcp":{}}'
tools=$(docker run --rm --network none --entrypoint /usr/bin/dumpns "$IMG" --help 2>&1 | head -1)
check "image: holds the tools (dumpns --help: $tools)" grep -q '^Usage: dumpns' <<<"$tools"

# ---- what the services must find ---------------------------------------------
# NB: ip netns
ip netns add "$T" || { not_ok "ip netns add"; ct_done; }
later "ip netns del $T"
NB=$(stat -L -c %i "/run/netns/$T")

# NS: socket-held netns
"$BUILD/tests/live/sockholder" </dev/null >"$W/sock.out" 2>&1 &
track $!
SOCKHOLDER=$!
wait_for sockholder 10 grep -q '^netns=' "$W/sock.out"
NS=$(sed -n 's/^netns=\([0-9]*\) .*/\1/p' "$W/sock.out")

# NF: an ipc namespace held only by fd 3 of a sleeper
unshare --ipc sleep infinity </dev/null >/dev/null 2>&1 &
X=$!
wait_for "unshare --ipc" 10 sh -c "[ \$(stat -L -c %i /proc/$X/ns/ipc) != \$(stat -L -c %i /proc/self/ns/ipc) ]"
NF=$(stat -L -c %i "/proc/$X/ns/ipc")
bash -c "exec 3</proc/$X/ns/ipc && exec sleep infinity" </dev/null >/dev/null 2>&1 &
H=$!
track $H
wait_for "fd holder" 10 test -e "/proc/$H/fd/3"
kill "$X"
wait "$X" 2>/dev/null

# M1 (process-less mount namespace, bind-mounted) with U bind-mounted inside
D=$W/m1 I=$W/inner
mkdir -p "$D" "$I"
mount --bind "$D" "$D" && mount --make-private "$D" || { not_ok "private bind mount $D"; ct_done; }
later "umount -l $D"
touch "$D/mntns"
later "umount -l $D/mntns"
for i in 1 2 3 4 5; do # bind-mounting a namespace now and then fails with EINVAL
	unshare --mount="$D/mntns" --propagation private \
		sh -c "mount -t tmpfs lxkns-dep $I && touch $I/uts && unshare --uts=$I/uts true" && break
	umount "$D/mntns" 2>/dev/null
	sleep 0.1
done
M1=$(stat -L -c %i "$D/mntns" 2>/dev/null)
U=$(nsenter --mount="$D/mntns" stat -L -c %i "$I/uts" 2>/dev/null)
[ -n "$M1" ] && [ -n "$U" ] || { not_ok "process-less mount namespace with a uts bind mount inside"; ct_done; }

# C: a container on the test's dockerd (non-default socket)
docker_run "ct-$T" || { not_ok "docker run"; ct_done; }
C=$PID
CID=$(docker_id "ct-$T")

# G: a process in cgroups of its own, frozen through cgroup v2
CG=/lxkns-dep-$T
for h in cpu freezer unified; do
	mkdir "/sys/fs/cgroup/$h$CG" || { not_ok "mkdir cgroup $h$CG"; ct_done; }
	later "rmdir_poll /sys/fs/cgroup/$h$CG"
done
rmdir_poll() { local i; for ((i = 0; i < 50; i++)); do rmdir "$1" 2>/dev/null && return; [ -d "$1" ] || return; sleep 0.1; done; }
sleep infinity </dev/null >/dev/null 2>&1 &
G=$!
later "kill -9 $G"
later "echo 0 >/sys/fs/cgroup/unified$CG/cgroup.freeze"
for h in cpu freezer unified; do echo "$G" >"/sys/fs/cgroup/$h$CG/cgroup.procs"; done
echo 1 >"/sys/fs/cgroup/unified$CG/cgroup.freeze"
wait_for "cgroup v2 freeze" 10 grep -q '^frozen 1' "/sys/fs/cgroup/unified$CG/cgroup.events"
log "NB net:[$NB] NS net:[$NS] NF ipc:[$NF] M1 mnt:[$M1] U uts:[$U] C $C ($CID) G $G in $CG"

# ---- the root dumpns on the host: the reference -----------------------------
dump
HOST=$DUMP
is "host dumpns: the socket-held netns" "{\"type\":\"net\"}" ".namespaces.\"$NS\" | {type}"
is "host dumpns: the test's processes" 4 "[.processes[\"$SOCKHOLDER\",\"$H\",\"$G\",\"$C\"] | select(. != null)] | length"
is "host dumpns: the cgroups of G" "{\"cpucgroup\":\"$CG\",\"fridgecgroup\":\"$CG\",\"fridgefrozen\":true}" \
	".processes.\"$G\" | {cpucgroup, fridgecgroup, fridgefrozen}"

# compare NAME: the service's document ($DUMP) against the host's ($HOST)
compare() {
	local name=$1 n want
	for n in "$NB net" "$NS net" "$NF ipc" "$M1 mnt" "$U uts"; do
		set -- $n
		want=$(jq -cS --arg k "$1" '.namespaces[$k] | {nsid, type, owner, parent, reference}' <<<"$HOST")
		is "$name: $2:[$1] as the host's dumpns has it" "$want" \
			".namespaces[\$k] | {nsid, type, owner, parent, reference}" --arg k "$1"
		is "$name: $2:[$1] has type $2" "\"$2\"" ".namespaces[\$k].type" --arg k "$1"
	done
	is "$name: the reference of net:[$NB] ends at /run/netns/$T" "\"/run/netns/$T\"" \
		".namespaces[\"$NB\"].reference[-1]"
	is "$name: uts:[$U] is reached through mnt:[$M1]" "[\"$D/mntns\",\"$I/uts\"]" \
		".namespaces[\"$U\"].reference[-2:]"
	is "$name: the container" "{\"id\":\"$CID\",\"name\":\"ct-$T\",\"pid\":$C,\"type\":\"docker.com\",\"paused\":false}" \
		".containers[\"$C\"] | {id, name, pid, type, paused}"
	is "$name: its engine is the test's dockerd" "$DOCKERD_PID" \
		".\"container-engines\"[(.containers[\"$C\"].engine | tostring)].pid"
	is "$name: host cgroup paths of G (v1 cpu, v1 freezer; frozen via unified)" \
		"{\"cpucgroup\":\"$CG\",\"fridgecgroup\":\"$CG\",\"fridgefrozen\":true}" \
		".processes.\"$G\" | {cpucgroup, fridgecgroup, fridgefrozen}"
	is "$name: kthreadd's cgroup is the root" '"/"' '.processes."2".cpucgroup'
	is "$name: the test's processes, as the host's dumpns has them" \
		"$(jq -cS "[.processes[\"$SOCKHOLDER\",\"$H\",\"$G\",\"$C\"] | {pid, ppid, namespaces, cmdline}]" <<<"$HOST")" \
		"[.processes[\"$SOCKHOLDER\",\"$H\",\"$G\",\"$C\"] | {pid, ppid, namespaces, cmdline}]"
}

# ---- the Kubernetes way ----------------------------------------------------------
# the pod template's container, as docker run options
mapfile -t K8S < <("$PY" - "$SRC/deployments/kubernetes/daemonset.yaml" <<'PY'
import sys, yaml
ds = yaml.safe_load(open(sys.argv[1]))
assert ds["kind"] == "DaemonSet"
pod = ds["spec"]["template"]["spec"]
c, = pod["containers"]
sc = c["securityContext"]
assert pod.get("hostPID") is True and not pod.get("hostNetwork")
assert sc["readOnlyRootFilesystem"] is True and sc.get("privileged") is not True
assert sc["capabilities"]["drop"] == ["ALL"]
out = ["--pid=host", "--cgroupns=private", "--network=none", "--read-only",
       "--user=%d:%d" % (sc["runAsUser"], sc.get("runAsGroup", 0)), "--cap-drop=ALL"]
out += ["--cap-add=" + x for x in sc["capabilities"]["add"]]
if sc.get("allowPrivilegeEscalation") is False:
    out.append("--security-opt=no-new-privileges")
if sc.get("appArmorProfile", {}).get("type") == "Unconfined":
    out.append("--security-opt=apparmor=unconfined")
lim = c["resources"]["limits"]["memory"]
out.append("--memory=" + lim.replace("Mi", "m").replace("Gi", "g"))
print("\n".join(out))
print("--")
print("\n".join(c.get("args", [])))
PY
)
check "the DaemonSet's pod template reads as a host-PID, read-only, drop-ALL pod" test "${#K8S[@]}" -gt 8
RUNOPTS=() ARGS=() seen=""
for o in "${K8S[@]}"; do
	if [ "$o" = -- ]; then seen=1; elif [ -n "$seen" ]; then ARGS+=("$o"); else RUNOPTS+=("$o"); fi
done
log "kubernetes way: docker run ${RUNOPTS[*]} $IMG ${ARGS[*]}"
later "docker rm -f k8s-$T >/dev/null"
docker run -d --name "k8s-$T" "${RUNOPTS[@]}" "$IMG" "${ARGS[@]}" >/dev/null ||
	{ not_ok "docker run the pod template"; ct_done; }
K=$(docker inspect -f '{{.State.Pid}}' "k8s-$T")
check "kubernetes way: a private cgroup namespace" \
	test "$(stat -L -c %i "/proc/$K/ns/cgroup")" != "$(stat -L -c %i /proc/self/ns/cgroup)"
check "kubernetes way: no effective capability beyond the six" \
	test "$(awk '/^CapEff/ {print $2}' "/proc/$K/status")" = 00000000002c1006
kget() { nsenter --net="/proc/$K/ns/net" curl -s -m 60 "$@"; }
wait_for "the service in the pod" 20 sh -c "nsenter --net=/proc/$K/ns/net curl -sf -m 5 http://127.0.0.1:5010/healthz >/dev/null"
check "kubernetes way: the liveness probe (GET /healthz) answers 200" \
	test "$(kget -o /dev/null -w '%{http_code}' http://127.0.0.1:5010/healthz)" = 200
DUMP=$(kget http://127.0.0.1:5010/api/namespaces)
compare "kubernetes way" "$K"
METRICS=$(kget http://127.0.0.1:5010/metrics)
no_limited_socket() { ! grep -q '^lxkns_discovery_limited{source="socket"' <<<"$METRICS"; }
check "kubernetes way: /metrics reports no limited socket source" no_limited_socket
check "kubernetes way: the web UI is served" \
	sh -c "nsenter --net=/proc/$K/ns/net curl -sf -m 10 http://127.0.0.1:5010/ | grep -q '<script'"

# ---- the same pod without NET_ADMIN: the loss is said, logged once, counted -----
NONET=()
for o in "${RUNOPTS[@]}"; do [ "$o" = --cap-add=NET_ADMIN ] || NONET+=("$o"); done
later "docker rm -f k8snonet-$T >/dev/null"
docker run -d --name "k8snonet-$T" "${NONET[@]}" "$IMG" "${ARGS[@]}" >/dev/null
K2=$(docker inspect -f '{{.State.Pid}}' "k8snonet-$T")
wait_for "the service without NET_ADMIN" 20 sh -c "nsenter --net=/proc/$K2/ns/net curl -sf -m 5 http://127.0.0.1:5010/healthz >/dev/null"
for i in 1 2; do DUMP=$(nsenter --net="/proc/$K2/ns/net" curl -s -m 60 http://127.0.0.1:5010/api/namespaces); done
is "without NET_ADMIN: the socket-held netns is missing" "null" ".namespaces[\"$NS\"]"
METRICS=$(nsenter --net="/proc/$K2/ns/net" curl -s -m 60 http://127.0.0.1:5010/metrics)
check "without NET_ADMIN: /metrics counts the socket source as limited" \
	grep -q '^lxkns_discovery_limited{source="socket",reason="EPERM"} 1$' <<<"$METRICS"
check "without NET_ADMIN: the service logs it exactly once (two discoveries)" \
	test "$(docker logs "k8snonet-$T" 2>&1 | grep -c 'SIOCGSKNS needs CAP_NET_ADMIN')" = 1

# ---- the compose way ---------------------------------------------------------------
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
compose() { (cd "$SRC" && LXKNS_IMAGE=$IMG LXKNS_PORT=$PORT docker-compose -p "$T" -f deployments/compose.yaml "$@"); }
later "compose down -t 5 >/dev/null 2>&1"
if compose up -d >"$W/compose.log" 2>&1; then
	ok "docker-compose -f deployments/compose.yaml up -d"
else
	not_ok "docker-compose -f deployments/compose.yaml up -d"
	sed 's/^/#   /' "$W/compose.log" | tail -20
fi
CP=$(docker inspect -f '{{.State.Pid}}' "${T}_lxkns_1" 2>/dev/null)
check "compose way: our seccomp profile is in force" grep -q '^Seccomp:[[:space:]]*2' "/proc/${CP:-0}/status"
wait_for "the compose service" 20 curl -sf -m 5 "http://127.0.0.1:$PORT/healthz"
check "compose way: published on 127.0.0.1:$PORT only" \
	sh -c "docker port ${T}_lxkns_1 5010/tcp | grep -qx '127.0.0.1:$PORT'"
DUMP=$(curl -s -m 60 "http://127.0.0.1:$PORT/api/namespaces")
compare "compose way" "${CP:-0}"

ct_done

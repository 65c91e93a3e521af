#!/bin/bash
# containerd, natively and through its CRI plugin, started privately:
#  - a container in a non-default containerd namespace, with labels that have
#    odd characters: exact ID, name "namespace/id", PID, type, flavor, labels,
#    engine (ID = containerd's UUID, version, API, PID), no groups;
#  - a container in the "default" namespace: its name is just its ID;
#  - a container with Kubernetes pod labels: a pod group;
#  - paused (ctr task pause): paused, and its process frozen;
#  - the CRI plugin answers: a second engine k8s.io/cri-api on the same
#    socket and PID, "containerd <version> [API v1]";
#  - a pod sandbox and a container created through the CRI (RunPodSandbox,
#    CreateContainer, StartContainer with a locally imported image): the CRI
#    engine reports both, with pod labels and the pod group; the native
#    engine leaves the k8s.io namespace to the CRI engine;
#  - dumpns --input reads the document back byte for byte; --no-containers;
#  - the watcher follows containerd's event stream: a container started,
#    paused, resumed and killed later shows up, paused and goes.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_init "$@"
start_containerd
log "containerd $CTRD_VERSION ($CTRD_UUID), PID $CTRD_PID, $CTRD_SOCK"

NS=lxkns-ct
ODD='a "quoted" <value> & ünïcode	tab'
later "rmdir_cgroups $NS"
ctr_run $NS ct-one --label com.example.test=zoo --label "odd.label=$ODD" || { not_ok "ctr run ct-one"; ct_done; }
P1=$PID
later "rmdir_cgroups default/ct-default-$$"
ctr_run default ct-default-$$ || { not_ok "ctr run ct-default"; ct_done; }
P2=$PID
ctr_run $NS ct-pod --label io.kubernetes.pod.name=zoo-pod --label io.kubernetes.pod.namespace=zoo-ns ||
	{ not_ok "ctr run ct-pod"; ct_done; }
P3=$PID
log "containers: ct-one $P1, ct-default-$$ $P2, ct-pod $P3"

dump
E=$(engine_ref "unix://$CTRD_SOCK")
is "containerd engine" "{\"containers\":[$P1,$P2,$P3],\"id\":\"$CTRD_UUID\",\"type\":\"containerd.io\",\"version\":\"$CTRD_VERSION\",\"api\":\"unix://$CTRD_SOCK\",\"pid\":$CTRD_PID,\"labels\":{\"turtlefinder/engine/id\":\"$E\"}}" \
	".\"container-engines\".\"$E\""
is "container in namespace $NS" "{\"engine\":$E,\"groups\":[],\"id\":\"ct-one\",\"name\":\"$NS/ct-one\",\"type\":\"containerd.io\",\"flavor\":\"containerd.io\",\"pid\":$P1,\"paused\":false,\"labels\":{\"com.example.test\":\"zoo\",\"odd.label\":$(jq -n --arg v "$ODD" '$v'),\"turtlefinder/container/prefix\":\"\"}}" \
	".containers.\"$P1\""
is "container in the default namespace: name is the ID" "\"ct-default-$$\"" ".containers.\"$P2\".name"
is "the container's process knows nothing more, but is there" "$P1" ".processes.\"$P1\".pid"
is "pod group from the pod labels" "[{\"containers\":[$P3],\"name\":\"zoo-ns/zoo-pod\",\"type\":\"io.kubernetes.pod\",\"flavor\":\"io.kubernetes.pod\",\"labels\":{}}]" \
	"[.\"container-groups\"[] | select(.containers | index($P3))]"
G=$(jq -r '."container-groups" | to_entries[] | select(.value.name == "zoo-ns/zoo-pod") | .key' <<<"$DUMP")
is "the pod member refers to its group" "[${G:-0}]" ".containers.\"$P3\".groups"
C=$(jq -r --arg api "unix://$CTRD_SOCK" '."container-engines" | to_entries[] | select(.value.api == $api and .value.type == "k8s.io/cri-api") | .key' <<<"$DUMP")
if [ -n "$C" ]; then
	is "CRI engine on the same socket" "{\"id\":\"\",\"type\":\"k8s.io/cri-api\",\"api\":\"unix://$CTRD_SOCK\",\"pid\":$CTRD_PID}" \
		".\"container-engines\".\"$C\" | {id, type, api, pid}"
	is "CRI engine version" "true" ".\"container-engines\".\"$C\".version | startswith(\"containerd \") and endswith(\"[API v1]\")"
else
	ok "CRI engine on the same socket # SKIP the CRI plugin did not load: $(grep -m1 'failed to load plugin io.containerd.grpc.v1.cri' "$W/containerd.log")"
fi

"$DUMPNS" --input <(echo "$DUMP") -c >"$W/back.json" 2>&1
check "dumpns --input gives back the same bytes" cmp -s "$W/back.json" <(echo "$DUMP")

ctr_ -n $NS task pause ct-one
dump
is "paused container: paused, its process frozen" "[true,true]" "[.containers.\"$P1\".paused, .processes.\"$P1\".fridgefrozen]"
ctr_ -n $NS task resume ct-one
dump
is "resumed" "[false,false]" "[.containers.\"$P1\".paused, .processes.\"$P1\".fridgefrozen]"

dump --no-containers
is "--no-containers: no engines, containers, groups" '[{},{},{}]' '[."container-engines", .containers, ."container-groups"]'

# the watcher: containerd's event stream (Events/Subscribe, server streaming)
start_watcher
wdump
is "watcher: first discovery" "\"$NS/ct-one\"" ".containers.\"$P1\".name"
ctr_run $NS ct-late --label late=yes || not_ok "ctr run ct-late"
PL=$PID
wait_is "watcher: a container started later shows up" "{\"name\":\"$NS/ct-late\",\"late\":\"yes\"}" \
	".containers.\"$PL\" | {name, late: .labels.late}"
ctr_ -n $NS task pause ct-late
wait_is "watcher: paused" "true" ".containers.\"$PL\".paused"
ctr_ -n $NS task resume ct-late
wait_is "watcher: resumed" "false" ".containers.\"$PL\".paused"
ctr_ -n $NS task kill -s KILL ct-late
wait_is "watcher: gone" "null" ".containers.\"$PL\""
stop_watcher

# ---- a pod through the CRI --------------------------------------------------
CRIPOD=$HELPERS/cri-pod
cri_remove_pods() { # every sandbox of this containerd (private: all ours)
	local id
	for id in $(ctr_ -n k8s.io container ls -q 2>/dev/null); do
		"$CRIPOD" "$CTRD_SOCK" remove-pod "$id"
	done
	ctr_ -n k8s.io image rm docker.io/lxkns-ct/pause:latest docker.io/lxkns-ct/app:latest
}
if [ -z "$C" ]; then
	ok "CRI pod # SKIP no CRI plugin"
elif [ ! -x "$CRIPOD" ]; then
	not_ok "CRI pod: helper $CRIPOD"
else
	# pause and workload images, imported into the k8s.io namespace
	bash "$(dirname "${BASH_SOURCE[0]}")/mk-oci-archive.sh" "$W/bb.tar" "$W/pause.tar" \
		docker.io/lxkns-ct/pause:latest '["/bin/sleep","100000"]' &&
		bash "$(dirname "${BASH_SOURCE[0]}")/mk-oci-archive.sh" "$W/bb.tar" "$W/app.tar" \
			docker.io/lxkns-ct/app:latest '["/bin/sleep","100000"]' &&
		ctr_ -n k8s.io image import "$W/pause.tar" >/dev/null &&
		ctr_ -n k8s.io image import "$W/app.tar" >/dev/null || not_ok "CRI pod: images imported"
	later "rmdir_cgroups lxkns-ct-cri"
	later 'cri_remove_pods'
	SB=$("$CRIPOD" "$CTRD_SOCK" run-pod ct-cri-pod ct-cri-ns uid-$$ /lxkns-ct-cri 2>"$W/cri.err")
	if [ -z "$SB" ]; then
		not_ok "CRI pod: RunPodSandbox: $(head -c 300 "$W/cri.err")"
	else
		CT=$("$CRIPOD" "$CTRD_SOCK" run-container "$SB" app docker.io/lxkns-ct/app:latest \
			ct-cri-pod ct-cri-ns uid-$$ /lxkns-ct-cri 2>"$W/cri.err")
		[ -n "$CT" ] || not_ok "CRI pod: CreateContainer/StartContainer: $(head -c 300 "$W/cri.err")"
		SBPID=$(ctr_ -n k8s.io task ls | awk -v id="$SB" '$1 == id {print $2}')
		CTPID=$(ctr_ -n k8s.io task ls | awk -v id="$CT" '$1 == id {print $2}')
		log "CRI: sandbox $SB ($SBPID), container $CT ($CTPID)"
		dump
		C=$(jq -r --arg api "unix://$CTRD_SOCK" '."container-engines" | to_entries[] | select(.value.api == $api and .value.type == "k8s.io/cri-api") | .key' <<<"$DUMP")
		is "CRI engine has the sandbox and the container" "[$SBPID,$CTPID]" ".\"container-engines\".\"$C\".containers | sort"
		is "CRI sandbox" "{\"engine\":$C,\"id\":\"$SB\",\"name\":\"ct-cri-pod\",\"type\":\"k8s.io/cri-api\",\"flavor\":\"k8s.io/cri-api\",\"pid\":$SBPID,\"paused\":false}" \
			".containers.\"$SBPID\" | {engine, id, name, type, flavor, pid, paused}"
		is "CRI sandbox labels" "{\"io.kubernetes.pod.name\":\"ct-cri-pod\",\"io.kubernetes.pod.namespace\":\"ct-cri-ns\",\"io.kubernetes.pod.uid\":\"uid-$$\",\"io.kubernetes.sandbox\":\"\",\"lxkns.test\":\"pod\"}" \
			".containers.\"$SBPID\".labels | with_entries(select(.key | test(\"^io.kubernetes.(pod|sandbox)|^lxkns\")))"
		is "CRI container" "{\"engine\":$C,\"id\":\"$CT\",\"name\":\"app\",\"type\":\"k8s.io/cri-api\",\"pid\":$CTPID,\"paused\":false}" \
			".containers.\"$CTPID\" | {engine, id, name, type, pid, paused}"
		is "CRI container labels and annotations" "{\"annotation.k8s/lxkns.note\":\"a <b> & \\\"c\\\"\",\"io.kubernetes.container.name\":\"app\",\"io.kubernetes.pod.name\":\"ct-cri-pod\",\"io.kubernetes.pod.namespace\":\"ct-cri-ns\",\"io.kubernetes.pod.uid\":\"uid-$$\"}" \
			".containers.\"$CTPID\".labels | with_entries(select(.key | test(\"^io.kubernetes.(pod|container.name)|^annotation.k8s/lxkns\")))"
		is "CRI pod group" "[[$SBPID,$CTPID],\"ct-cri-ns/ct-cri-pod\",\"io.kubernetes.pod\"]" \
			".\"container-groups\"[] | select(.name == \"ct-cri-ns/ct-cri-pod\") | [(.containers | sort), .name, .type]"
		is "the native engine leaves k8s.io to the CRI engine" "[]" \
			"[.containers[] | select(.engine == $E and (.name | startswith(\"k8s.io/\")))]"
	fi
fi
ct_done

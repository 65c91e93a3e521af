# Shared code for the container engine tests in tests/containers/ (sourced).
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   ct_init "$@"                   # $1 = dumpns, $2 = build dir of the helpers
#   start_containerd               # private containerd (socket, root, state in $W)
#   ...
#   dump                           # $DUMP: compact dumpns JSON
#   is "what" 'EXPECTED-JSON' 'JQ-FILTER' [jq args...]
#   ct_done
#
# Output is TAP. Everything runs in a private work directory $W (short, for
# unix socket paths) with private engine sockets, state and data dirs, so the
# host's own engines (if any) are left alone; on exit (also on failure) the
# test removes what it started, newest first: containers, images, daemons
# (by PID: TERM, then KILL after 15 s), mounts, cgroups below its own cgroup
# parents, and $W.
set -uo pipefail

CT_NAME=$(basename "${0%.sh}")
CT_N=0
CT_FAILED=0
CT_CLEANUPS=()   # commands, run newest first
W=""
DUMP=""
BB=""

log() { printf '# %s\n' "$*"; }

ct_skip_all() { echo "1..0 # SKIP $*"; exit 0; }

ok() { CT_N=$((CT_N + 1)); echo "ok $CT_N - $*"; }
not_ok() { CT_N=$((CT_N + 1)); CT_FAILED=$((CT_FAILED + 1)); echo "not ok $CT_N - $*"; }

# is WHAT EXPECTED FILTER [jq args]: compares jq -c FILTER of $DUMP with the
# compact form of EXPECTED.
is() {
	local what=$1 want=$2 filter=$3 got
	shift 3
	want=$(jq -cS . <<<"$want" 2>/dev/null) || { not_ok "$what: bad expectation $2"; return; }
	got=$(jq -cS "$@" "$filter" <<<"$DUMP" 2>&1)
	if [ "$got" = "$want" ]; then
		ok "$what"
	else
		not_ok "$what"
		log "  want: $want"
		log "  got:  $got"
	fi
}

# check WHAT COMMAND...: ok when the command succeeds.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

ct_cleanup() {
	local i
	set +e
	for ((i = ${#CT_CLEANUPS[@]} - 1; i >= 0; i--)); do
		[ -n "${CT_DEBUG:-}" ] && echo "# $(date +%T) cleanup: ${CT_CLEANUPS[i]}"
		eval "${CT_CLEANUPS[i]}" >/dev/null 2>&1
	done
	if [ -n "$W" ] && [ -d "$W" ]; then
		# leftover mounts below $W (overlays of a daemon that died hard)
		grep -F " $W/" /proc/self/mountinfo | awk '{print $5}' | sort -r |
			while read -r m; do umount -l "$m" 2>/dev/null; done
		rm -rf "$W"
	fi
}

# later CMD: run CMD (a string) at exit, before what was registered earlier.
later() { CT_CLEANUPS+=("$1"); }

ct_done() {
	echo "1..$CT_N"
	[ "$CT_FAILED" = 0 ]
	exit $?
}

# stop_pid PID: TERM, wait up to 15 s, then KILL; only if it is still the
# process we started (same start time).
stop_pid() {
	local pid=$1 start=$2 i
	[ "$(starttime_of "$pid")" = "$start" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < 150; i++)); do
		[ "$(starttime_of "$pid")" = "$start" ] || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
}

starttime_of() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	local -a f
	read -r -a f <<<"$stat"
	# a zombie is gone for our purposes
	[ "${f[0]}" = Z ] && return 0
	echo "${f[19]}"
}

# ppid_chain PID: the parent, grandparent, ... of PID, up to PID 1.
ppid_chain() {
	local p=$1 stat
	local -a f
	while [ "$p" -gt 1 ] 2>/dev/null; do
		stat=$(cat "/proc/$p/stat" 2>/dev/null) || return 0
		stat=${stat##*) }
		read -r -a f <<<"$stat"
		p=${f[1]}
		echo "$p"
	done
}

# track PID: stop it at exit.
track() { later "stop_pid $1 $(starttime_of "$1")"; }

# wait_for WHAT SECONDS COMMAND...: polls until COMMAND succeeds.
wait_for() {
	local what=$1 secs=$2 i
	shift 2
	for ((i = 0; i < secs * 20; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	log "timed out waiting for $what"
	return 1
}

ct_init() {
	DUMPNS=$(realpath "$1")
	HELPERS=$(realpath "${2:-.}")
	[ "$(id -u)" = 0 ] || ct_skip_all "needs root"
	command -v jq >/dev/null || ct_skip_all "needs jq"
	[ -x /bin/busybox ] || ct_skip_all "needs busybox-static (/bin/busybox) for the test image"
	W=$(mktemp -d /tmp/lxct.XXXXXX) || ct_skip_all "cannot create a work directory"
	trap ct_cleanup EXIT
	trap 'exit 1' INT TERM
	# engines leave directories in fixed places (shim sockets, plugin and
	# network dirs) and parent cgroups: the ones that are new after the
	# test are removed, if empty
	local d h
	for d in /run/containerd /run/docker /run/containers /run/libpod /run/runc /run/crun; do
		[ -e "$d" ] || later "find $d -depth -type d -empty -delete"
	done
	for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		for d in default libpod_parent k8s.io; do
			[ -d "$h" ] && [ ! -e "$h$d" ] && later "rmdir_cgroups ${h#/sys/fs/cgroup/}$d"
		done
	done
	# the test image: a busybox root file system
	BB=$W/bbroot
	mkdir -p "$BB"/{bin,etc,proc,sys,dev,tmp,run,var}
	cp /bin/busybox "$BB/bin/"
	local a
	for a in $("$BB/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$BB/bin/$a"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$BB/etc/passwd"
	echo 'root:x:0:' >"$BB/etc/group"
	tar -C "$BB" -cf "$W/bb.tar" .
}

need() { # need PROGRAM...: skip the whole test when one is missing
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null || ct_skip_all "needs $p"
	done
}

# dump [dumpns options]: $DUMP = compact JSON of a live discovery.
dump() {
	DUMP=$("$DUMPNS" -c "$@" 2>"$W/dumpns.err") || {
		not_ok "dumpns $* ran"
		sed 's/^/#   /' "$W/dumpns.err" | head -20
		DUMP='{}'
	}
}

# the refid of the engine with this API endpoint
engine_ref() {
	jq -r --arg api "$1" '."container-engines" | to_entries[] | select(.value.api == $api) | .key' \
		<<<"$DUMP" | head -1
}

# ---- the watcher: a long-running discovery (tests/containers/ct-watch) ----------

start_watcher() {
	coproc WATCHER { "$HELPERS/ct-watch" 3000; }
	later "kill $WATCHER_PID"
}

# wdump: one discovery through the watcher -> $DUMP
wdump() {
	echo discover >&"${WATCHER[1]}"
	IFS= read -r -t 60 DUMP <&"${WATCHER[0]}" || DUMP='{}'
}

# wait_is WHAT WANT FILTER: like is, polling the watcher until FILTER gives
# WANT (events take a moment), for up to 5 s
wait_is() {
	local what=$1 want=$2 filter=$3 i got
	want=$(jq -cS . <<<"$want")
	for ((i = 0; i < 50; i++)); do
		wdump
		got=$(jq -cS "$filter" <<<"$DUMP")
		[ "$got" = "$want" ] && break
		sleep 0.1
	done
	is "$what" "$want" "$filter"
}

stop_watcher() { echo quit >&"${WATCHER[1]}"; }

# ---- private engines ----------------------------------------------------------

CTRD_SOCK=""
DOCKER_SOCK=""
PODMAN_SOCK=""

start_containerd() {
	need containerd ctr
	CTRD_SOCK=$W/containerd.sock
	cat >"$W/containerd.toml" <<EOF
version = 2
root = "$W/containerd/root"
state = "$W/containerd/state"
[grpc]
  address = "$CTRD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "docker.io/lxkns-ct/pause:latest"
  # no CAP_SYS_RESOURCE here: sandboxes cannot get an OOM score below ours
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$W/cni/bin"
    conf_dir = "$W/cni/conf"
EOF
	containerd --config "$W/containerd.toml" >"$W/containerd.log" 2>&1 &
	CTRD_PID=$!
	track $CTRD_PID
	later "rm -rf $W/containerd"
	wait_for containerd 15 ctr --address "$CTRD_SOCK" version ||
		{ sed 's/^/#   /' "$W/containerd.log" | tail -20; ct_skip_all "containerd does not start"; }
	CTRD_VERSION=$(ctr --address "$CTRD_SOCK" version | awk '/^Server:/ {s=1} s && /Version:/ {print $2; exit}')
	CTRD_UUID=$(ctr --address "$CTRD_SOCK" version | awk '/UUID:/ {print $2; exit}')
}

ctr_() { ctr --address "$CTRD_SOCK" "$@"; }

# ctr_run NS ID [ctr run options...]: a busybox sleeper; $PID is its PID.
# (Not in a $(...) subshell: the cleanup must be registered here.)
ctr_run() {
	local ns=$1 id=$2
	shift 2
	PID=
	later "ctr_rm $ns $id"
	ctr_ -n "$ns" run -d "$@" --rootfs "$BB" "$id" /bin/sleep 100000 >/dev/null || return 1
	PID=$(ctr_ -n "$ns" task ls | awk -v id="$id" '$1 == id {print $2}')
	[ -n "$PID" ]
}

ctr_rm() {
	ctr_ -n "$1" task kill -s KILL "$2"
	wait_for "task $2 to stop" 10 sh -c "ctr --address $CTRD_SOCK -n $1 task ls | grep -q '^$2 .*STOPPED'"
	ctr_ -n "$1" task rm -f "$2"
	ctr_ -n "$1" container rm "$2"
}

start_dockerd() {
	need dockerd docker
	[ -n "$CTRD_SOCK" ] || start_containerd
	DOCKER_SOCK=$W/docker.sock
	dockerd --containerd="$CTRD_SOCK" --data-root "$W/docker/data" --exec-root "$W/docker/exec" \
		-H "unix://$DOCKER_SOCK" --pidfile "$W/docker/dockerd.pid" --bridge=none \
		--iptables=false --ip-masq=false --cgroup-parent=/lxkns-ct-docker \
		>"$W/dockerd.log" 2>&1 &
	DOCKERD_PID=$!
	later "rmdir_cgroups lxkns-ct-docker"
	later "rm -rf $W/docker"
	track $DOCKERD_PID
	wait_for dockerd 30 curl -sf --unix-socket "$DOCKER_SOCK" http://d/_ping ||
		{ sed 's/^/#   /' "$W/dockerd.log" | tail -20; ct_skip_all "dockerd does not start"; }
	export DOCKER_HOST=unix://$DOCKER_SOCK
	docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' "$W/bb.tar" lxkns-ct/busybox:latest >/dev/null ||
		ct_skip_all "docker import fails"
	DOCKER_VERSION=$(curl -s --unix-socket "$DOCKER_SOCK" http://d/version | jq -r .Version)
	DOCKER_ID=$(curl -s --unix-socket "$DOCKER_SOCK" http://d/info | jq -r .ID)
}

# docker_run NAME [docker run options...] [-- COMMAND...]: a busybox
# container (default command: a sleeper); $PID is its PID.
docker_run() {
	local name=$1
	shift
	local -a opts=() cmd=(sleep 100000)
	while [ $# -gt 0 ]; do
		if [ "$1" = -- ]; then
			shift
			cmd=("$@")
			break
		fi
		opts+=("$1")
		shift
	done
	PID=
	later "docker rm -f $name"
	docker run -d --network none --name "$name" "${opts[@]}" lxkns-ct/busybox:latest "${cmd[@]}" \
		>/dev/null || return 1
	PID=$(docker inspect -f '{{.State.Pid}}' "$name")
}

docker_id() { docker inspect -f '{{.Id}}' "$1"; }

start_podman() {
	need podman
	PODMAN_SOCK=$W/podman.sock
	# no CAP_SYS_RESOURCE on our CI machines: podman's default rlimits fail;
	# crun refuses hybrid cgroups with v2 controllers: runc
	cat >"$W/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
cgroupns = "host"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$W/podman/events.log"
runtime = "runc"
EOF
	export CONTAINERS_CONF=$W/containers.conf
	PODMAN=(podman --root "$W/podman/root" --runroot "$W/podman/run" --tmpdir "$W/podman/tmp")
	"${PODMAN[@]}" system service --time=0 "unix://$PODMAN_SOCK" >"$W/podman.log" 2>&1 &
	PODMAN_PID=$!
	later "rm -rf $W/podman"
	later "rmdir_cgroups lxkns-ct-podman"
	track $PODMAN_PID
	wait_for "podman service" 30 curl -sf --unix-socket "$PODMAN_SOCK" http://d/_ping ||
		{ sed 's/^/#   /' "$W/podman.log" | tail -20; ct_skip_all "podman system service does not start"; }
	"${PODMAN[@]}" import -q -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' "$W/bb.tar" \
		localhost/lxkns-ct/busybox:latest >/dev/null || ct_skip_all "podman import fails"
	PODMAN_VERSION=$(podman --version | awk '{print $3}')
}

podman_() { "${PODMAN[@]}" "$@"; }

podman_run() {
	local name=$1
	shift
	local cg=--cgroup-parent=/lxkns-ct-podman
	case " $* " in *" --pod "*) cg= ;; esac # members live in their pod's cgroup
	PID=
	later "podman_ rm -f -t 0 $name"
	podman_ run -d ${cg:+"$cg"} --name "$name" "$@" \
		localhost/lxkns-ct/busybox:latest sleep 100000 >/dev/null || return 1
	PID=$(podman_ inspect -f '{{.State.Pid}}' "$name")
}

# rmdir_cgroups NAME: removes the (empty) cgroup NAME and below in every
# hierarchy; our engines were told to put their containers there.
rmdir_cgroups() {
	local h
	case $1 in
	*/*) [ -d "/sys/fs/cgroup/$1" ] && find "/sys/fs/cgroup/$1" -depth -type d -exec rmdir {} \; 2>/dev/null ;;
	esac
	for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		[ -d "$h$1" ] && find "$h$1" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	return 0
}

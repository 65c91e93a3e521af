# Shared code for the live tests in tests/live/ (sourced, not run).
#
# Usage inside a test script:
#     source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#     live_init "$@"          # $1 = dumpns binary, $2 = dir with the helpers
#     ... build namespaces, remembering every PID with track_pid and every
#         mount with track_mount ...
#     run_dumpns              # -> $DUMP (compact JSON of dumpns -c)
#     expect "what" 'EXPECTED-JSON' 'JQ-FILTER' [jq args...]
#     finish                  # exit 0 if every expectation held, else 1
#
# Exit codes follow the meson/automake protocol: 0 pass, 1 fail, 77 skip.
# The EXIT trap kills exactly the PIDs recorded with track_pid (checking the
# start time first, so that a recycled PID is never hit), unmounts exactly
# the mounts recorded with track_mount and removes $WORK.
# Set LIVE_KEEP_DUMP=/some/file to keep the last dump of a failing test.

set -euo pipefail

LIVE_NAME=$(basename "${0%.sh}")
LIVE_FAILS=0
LIVE_CHECKS=0
LIVE_PIDS=()      # "pid:starttime", in start order
LIVE_MOUNTS=()    # mount points, in mount order
WORK=""
DUMP=""
SLEEP_EXE=""

log() { printf '%s: %s\n' "$LIVE_NAME" "$*" >&2; }

skip() { log "SKIP: $*"; exit 77; }

# fatal: a setup step or dumpns itself failed; nothing to compare.
fatal() { log "FAIL: $*"; exit 1; }

# starttime of PID (field 22 of /proc/PID/stat; the comm may hold spaces and
# parentheses, so cut at the LAST ')').
starttime_of() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    # now: state(3) ppid(4) ... starttime is field 22 -> index 19 here
    local -a f
    read -r -a f <<<"$stat"
    echo "${f[19]}"
}

ppid_of() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    local -a f
    read -r -a f <<<"$stat"
    echo "${f[1]}"
}

# track_pid PID...: remember processes to kill on exit.
track_pid() {
    local p st
    for p in "$@"; do
        st=$(starttime_of "$p") || { log "warning: cannot track pid $p (gone)"; continue; }
        LIVE_PIDS+=("$p:$st")
    done
}

# track_mount PATH: remember a mount point to unmount on exit.
track_mount() { LIVE_MOUNTS+=("$1"); }

proc_state() { # prints the state letter or nothing if gone
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    echo "${stat%% *}"
}

live_cleanup() {
    local rc=$?
    trap - EXIT
    set +e
    local i entry p st
    # kill newest first; SIGKILL, because "unshare --fork" parents ignore
    # SIGTERM/SIGINT.  Only kill if the start time still matches.  Then reap
    # our own children at once (stderr muted: bash reports "Killed" jobs);
    # the others are reaped by PID 1, which can take 1-3 s.
    {
        for ((i = ${#LIVE_PIDS[@]} - 1; i >= 0; i--)); do
            entry=${LIVE_PIDS[i]}
            p=${entry%%:*}
            st=${entry#*:}
            if [ "$(starttime_of "$p")" = "$st" ]; then
                kill -KILL "$p"
            fi
        done
        for entry in "${LIVE_PIDS[@]}"; do
            wait "${entry%%:*}"
        done
    } 2>/dev/null
    # wait until every process is reaped (a zombie still pins its PID ns),
    # so that the next test starts from a clean slate
    local deadline=$((SECONDS + 15)) busy
    while :; do
        busy=0
        for entry in "${LIVE_PIDS[@]}"; do
            p=${entry%%:*}
            st=${entry#*:}
            if [ "$(starttime_of "$p" 2>/dev/null)" = "$st" ]; then
                busy=1
            fi
        done
        [ $busy = 0 ] && break
        [ $SECONDS -ge $deadline ] && { log "warning: some test processes are still not reaped"; break; }
        sleep 0.05
    done
    for ((i = ${#LIVE_MOUNTS[@]} - 1; i >= 0; i--)); do
        # a test may have unmounted it itself already
        mountpoint -q "${LIVE_MOUNTS[i]}" 2>/dev/null || continue
        umount "${LIVE_MOUNTS[i]}" 2>/dev/null ||
            umount -l "${LIVE_MOUNTS[i]}" 2>/dev/null ||
            log "warning: cannot unmount ${LIVE_MOUNTS[i]}"
    done
    if [ -n "$WORK" ] && [ -d "$WORK" ]; then
        rm -rf -- "$WORK"
    fi
    exit $rc
}

# live_init DUMPNS HELPERDIR
live_init() {
    DUMPNS=${1:-}
    HELPERS=${2:-}
    # meson passes build targets relative to the build dir; make them absolute
    [ -z "$DUMPNS" ] || DUMPNS=$(readlink -f -- "$DUMPNS")
    [ -z "$HELPERS" ] || HELPERS=$(readlink -f -- "$HELPERS")
    if [ "$(id -u)" != 0 ]; then
        skip "needs root"
    fi
    [ -n "$DUMPNS" ] || fatal "usage: $0 DUMPNS HELPERDIR"
    [ -x "$DUMPNS" ] || fatal "dumpns binary $DUMPNS is missing or not executable"
    command -v jq >/dev/null || fatal "jq is not installed"
    command -v unshare >/dev/null || fatal "unshare (util-linux) is not installed"
    # shellcheck disable=SC2034 # used by the test scripts
    SLEEP_EXE=$(readlink -f "$(command -v sleep)")
    trap live_cleanup EXIT
    trap 'exit 1' INT TERM HUP
    WORK=$(mktemp -d /run/lxkns-live.XXXXXX) || fatal "mktemp"
    DUMP=$WORK/dump.json
}

helper() { # helper NAME -> path of a compiled helper
    local h=$HELPERS/$1
    [ -x "$h" ] || fatal "helper $h is missing (build tests/live first)"
    echo "$h"
}

# probe DESCRIPTION CMD...: skip the whole test if the kernel refuses CMD.
probe() {
    local what=$1
    shift
    local err
    if ! err=$("$@" 2>&1 </dev/null); then
        skip "kernel refuses $what: ${err:-exit status $?}"
    fi
}

# wait_exe PID EXE: wait until PID has exec'd EXE (all unshare layers done).
wait_exe() {
    local i
    for i in $(seq 1500); do
        [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$2" ] && return 0
        [ -d "/proc/$1" ] || fatal "process $1 died before exec'ing $2"
        sleep 0.01
    done
    fatal "timeout waiting for process $1 to exec $2"
}

# wait_child PID: print the (single) child of PID once it exists.
wait_child() {
    local i c
    for i in $(seq 1500); do
        c=$(pgrep -P "$1" | head -n1 || true)
        if [ -n "$c" ]; then
            echo "$c"
            return 0
        fi
        [ -d "/proc/$1" ] || fatal "process $1 died before forking"
        sleep 0.01
    done
    fatal "timeout waiting for a child of $1"
}

# wait_line FILE: wait until FILE holds a complete first line; print it.
wait_line() {
    local i
    for i in $(seq 1500); do
        if [ -s "$1" ] && [ "$(tail -c1 "$1" | od -An -c | tr -d ' ')" = '\n' ]; then
            head -n1 "$1"
            return 0
        fi
        sleep 0.01
    done
    fatal "timeout waiting for output in $1: $(cat "$1" 2>/dev/null)"
}

# wait_gone PID...: wait until the PIDs have exited AND been reaped.  A
# zombie still shows some of its namespaces (e.g. /proc/PID/ns/pid), and
# orphans are reaped by PID 1 only after 1-3 s, so allow up to 15 s.
wait_gone() {
    local p i
    for p in "$@"; do
        for i in $(seq 1500); do
            [ -e "/proc/$p" ] || continue 2
            sleep 0.01
        done
        fatal "process $p did not go away (state $(proc_state "$p"))"
    done
}

# kill_now PID...: SIGKILL our own (tracked) processes in the middle of a
# test, reap those that are our children, and wait until all are gone.
kill_now() {
    { kill -KILL "$@"; wait "$@"; } 2>/dev/null || true
    wait_gone "$@"
}

# nsino PID TYPE / nsino_path PATH: inode of a namespace (ground truth)
nsino() { stat -L -c %i "/proc/$1/ns/$2" 2>/dev/null || fatal "cannot stat /proc/$1/ns/$2"; }
nsino_path() { stat -L -c %i "$1" 2>/dev/null || fatal "cannot stat $1"; }

# assert_unreferenced INODE...: ground-truth check that no process, task or
# open fd refers to any of these namespaces any more (one find(1) for all,
# fast even with thousands of processes).  Bind mounts are not checked.
assert_unreferenced() {
    local expr=() ino hits
    for ino in "$@"; do
        [ ${#expr[@]} = 0 ] || expr+=(-o)
        expr+=(-lname "*:\\[$ino\\]")
    done
    hits=$(find /proc/[0-9]*/ns /proc/[0-9]*/task/[0-9]*/ns /proc/[0-9]*/fd \
        -mindepth 1 -maxdepth 1 \( "${expr[@]}" \) 2>/dev/null | head -n 5 || true)
    [ -z "$hits" ] || fatal "ground truth: still referenced: $(tr '\n' ' ' <<<"$hits")"
}

# nsrel ARGS...: run the nsrel helper, fatal on error
nsrel() {
    local out
    out=$("$(helper nsrel)" "$@") || fatal "nsrel $* failed"
    echo "$out"
}

# run_dumpns [FLAGS...]: run "dumpns -c FLAGS" into $DUMP (fatal on errors)
run_dumpns() {
    local rc=0
    "$DUMPNS" -c "$@" >"$DUMP" 2>"$WORK/dumpns.err" || rc=$?
    if [ $rc != 0 ]; then
        log "dumpns stderr:"
        sed 's/^/    /' "$WORK/dumpns.err" >&2
        fatal "dumpns -c $* exited with $rc"
    fi
    jq -e 'type == "object"' "$DUMP" >/dev/null 2>&1 ||
        fatal "dumpns -c $* did not print a JSON object: $(head -c 300 "$DUMP")"
    [ "$(wc -l <"$DUMP")" -le 1 ] ||
        { log "FAIL: dumpns -c printed $(wc -l <"$DUMP") lines, expected one compact line"; LIVE_FAILS=$((LIVE_FAILS + 1)); }
}

# expect DESCRIPTION EXPECTED FILTER [jq args...]
#   EXPECTED is JSON; it is compared to the result of `jq FILTER $DUMP`
#   (both normalised with -cS, so object key order doesn't matter).
expect() {
    local what=$1 want=$2 filter=$3
    shift 3
    local got norm
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    norm=$(jq -cS . <<<"$want" 2>/dev/null) || fatal "bad expected JSON in test: $want"
    if ! got=$(jq -cS "$@" "$filter" "$DUMP" 2>&1); then
        log "FAIL: $what: jq filter error: $got"
        LIVE_FAILS=$((LIVE_FAILS + 1))
        return 0
    fi
    if [ "$got" != "$norm" ]; then
        log "FAIL: $what"
        log "      filter:   $filter"
        log "      expected: $norm"
        log "      got:      $got"
        LIVE_FAILS=$((LIVE_FAILS + 1))
    fi
    return 0
}

# expect_true DESCRIPTION FILTER [jq args...] (FILTER must yield true)
expect_true() {
    local what=$1 filter=$2
    shift 2
    expect "$what" true "$filter" "$@"
}

# fail DESCRIPTION: record a failure found by hand-written logic
fail() { log "FAIL: $*"; LIVE_FAILS=$((LIVE_FAILS + 1)); }

finish() {
    if [ $LIVE_FAILS -gt 0 ]; then
        log "$LIVE_FAILS of $LIVE_CHECKS checks FAILED"
        if [ -n "${LIVE_KEEP_DUMP:-}" ] && [ -f "$DUMP" ]; then
            cp "$DUMP" "$LIVE_KEEP_DUMP" && log "dump copied to $LIVE_KEEP_DUMP"
        fi
        exit 1
    fi
    log "PASS ($LIVE_CHECKS checks)"
    exit 0
}

# jq paths for a namespace / process entry, for use inside filters
N() { printf '.namespaces["%s"]' "$1"; }
P() { printf '.processes["%s"]' "$1"; }

# The normalisation applied to namespace entries before comparing them:
# leaders, loose-threads and children are unordered sets.
LIVE_NS_NORM='(if .leaders then .leaders |= sort else . end) | (if .["loose-threads"] then .["loose-threads"] |= sort else . end) | (if .children then .children |= sort else . end)'

# expect_ns DESCRIPTION INODE EXPECTED-OBJECT
#   compares the WHOLE namespace entry (all keys, nothing more, nothing less)
expect_ns() {
    local what=$1 ino=$2 want=$3
    want=$(jq -cS "$LIVE_NS_NORM" <<<"$want" 2>/dev/null) || fatal "bad expected JSON in test: $3"
    expect "$what (namespace $ino)" "$want" ".namespaces[\$k] | $LIVE_NS_NORM" --arg k "$ino"
}

# expect_absent DESCRIPTION INODE: the namespace must not be in the dump
expect_absent() {
    expect "$1 (namespace $2 must be absent)" false '.namespaces | has($k)' --arg k "$2"
}

# expect_wire_format: the key order and key set of the Go lxkns JSON wire
# format (keys must appear in this order; optional ones may be missing;
# no unknown keys in namespace, process and task objects).  Checked on the
# live dump, which holds key combinations the fixtures may not have
# (hidden, bind-mounted, fd-held namespaces, loose threads). A process's
# "uid" (lxkns C, not Go: the owner of /proc/PID) is optional.
LIVE_WIRE_FILTER='
  def inorder($o): [keys_unsorted[] | . as $x | $o | index($x)] as $i
    | ($i | all(. != null)) and ($i == ($i | sort)) and ($i | length) == ($i | unique | length);
  def need($r): . as $obj | $r | all(. as $k | $obj | has($k));
  ["container-engines","container-groups","containers","cpus-online","discovery-options","mounts","namespaces","processes"] as $top
  | ["nsid","type","owner","reference","held-by","leaders","loose-threads","parent","ealdorman","children","user-id","user-name"] as $ns
  | ["namespaces","cmdline","tasks","name","starttime","cpucgroup","fridgecgroup","fridgefrozen","affinity","policy","priority","nice","pid","ppid","uid"] as $proc
  | ["namespaces","name","starttime","cpucgroup","fridgecgroup","fridgefrozen","affinity","policy","priority","nice","tid"] as $task
  | ["mnt","cgroup","uts","ipc","user","pid","net","time"] as $types
  | ["from-procs","from-tasks","from-fds","from-bindmounts","with-hierarchy","with-ownership","with-freezer","with-mounts","with-socket-processes","with-affinity-scheduling","with-task-affinity-scheduling","labels","scanned-namespace-types"] as $opts
  | [
      (if inorder($top) and need($top - ["mounts"]) then empty
       else "top-level keys: \(keys_unsorted)" end),
      (.["discovery-options"] | with_entries(select(.key as $k | $opts | index($k)))
       | if inorder($opts) and need($opts) then empty
         else "discovery-options keys: \(keys_unsorted)" end),
      (.namespaces | to_entries[]
       | .key as $id | .value
       | if inorder($ns) and need(["nsid","type"] + (if .type == "user" then ["user-id","user-name"] else [] end))
            and (.type as $t | $types | index($t)) != null
            and ((.type == "user") == (has("owner") | not) or (has("owner") | not))
         then empty else "namespace \($id) keys: \(keys_unsorted)" end),
      (.processes | to_entries[]
       | .key as $pid | .value
       | (if inorder($proc) and need($proc - ["affinity","policy","priority","nice","uid"]) and (.namespaces | inorder($types))
          then empty else "process \($pid) keys: \(keys_unsorted), namespaces: \(.namespaces | keys_unsorted)" end),
         (.tasks[] | if inorder($task) and need($task - ["affinity","policy","priority","nice"]) and (.namespaces | inorder($types))
          then empty else "task \(.tid) of process \($pid) keys: \(keys_unsorted)" end))
    ] | .[:10]'
expect_wire_format() {
    expect "JSON wire format (key order/set, first 10 violations)" '[]' "$LIVE_WIRE_FILTER"
}

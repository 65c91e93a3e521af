#!/bin/bash
# Churn: discoveries and service requests survive a busy host. The helper
# churn runs its own load (about 1000 forks/s of children that exit, exec
# /bin/true or unshare namespaces of every type, plus threads that unshare
# uts, ipc and net namespaces), so namespaces are created and freed all the
# time and the kernel reuses their inodes across types. Meanwhile a few
# hundred dumpns discoveries and a few hundred requests to the service on
# loopback run. Every discovery must succeed with a document, every request
# must answer 200 (no 5xx): a namespace replaced during the scan is a
# diagnostic, never a failed discovery. The load, the service and
# everything they started are killed by PID at the end.
#
# Usage: churn.sh DUMPNS HELPERDIR LXKNS
#   CHURN_RATE (forks/s, 1000), CHURN_DISCOVERIES (240), CHURN_REQUESTS (240)
#   CHURN_DEADLINE (s, 50): the loops stop there (on a quiet host all runs
#   are done long before; on an overloaded one fewer, but at least
#   CHURN_MIN_RUNS (10) of each, so that the test cannot pass on nothing)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$1" "$2"
LXKNS=$(readlink -f -- "${3:-}")
[ -x "$LXKNS" ] || fatal "usage: $0 DUMPNS HELPERDIR LXKNS"
CHURN=$(helper churn)
RATE=${CHURN_RATE:-1000}
DISCOVERIES=${CHURN_DISCOVERIES:-240}
REQUESTS=${CHURN_REQUESTS:-240}
DEADLINE=$((SECONDS + ${CHURN_DEADLINE:-50}))
MIN_RUNS=${CHURN_MIN_RUNS:-10}
command -v curl >/dev/null || fatal "curl is not installed"

# the service, on a free loopback port
"$LXKNS" --http 127.0.0.1:0 >"$WORK/svc.out" 2>"$WORK/svc.err" </dev/null &
SVC=$!
track_pid "$SVC"
line=$(wait_line "$WORK/svc.out") || fatal "the service did not start: $(head -3 "$WORK/svc.err")"
URL=$(sed -n 's|.*serving on \(http://[0-9.]*:[0-9]*\)/.*|\1|p' <<<"$line")
[ -n "$URL" ] || fatal "no URL in '$line'"

# the load
"$CHURN" "$RATE" 4 2 >"$WORK/churn.out" 2>"$WORK/churn.err" </dev/null &
LOAD=$!
track_pid "$LOAD"
[ "$(wait_line "$WORK/churn.out")" = ready ] || fatal "churn did not start: $(cat "$WORK/churn.err")"
T0=$SECONDS

# dumpns: 3 loops; one line per run: "ok" or "fail <exit> <stderr>"
discover_loop() {
	local k=$1 n=$2 i rc
	for ((i = 0; i < n && SECONDS < DEADLINE; i++)); do
		rc=0
		"$DUMPNS" -c >"$WORK/d$k.json" 2>"$WORK/d$k.err" || rc=$?
		if [ $rc -eq 0 ] && [ "$(head -c 14 "$WORK/d$k.json")" = '{"container-en' ] &&
			[ "$(tail -c 2 "$WORK/d$k.json" | head -c 1)" = '}' ]; then
			echo ok
		else
			echo "fail $rc $(head -c 300 "$WORK/d$k.err" | tr '\n' ' ')"
		fi
		# one in ten checked in full
		if [ $((i % 10)) = 0 ] && [ $rc -eq 0 ] &&
			! jq -e '.namespaces | length > 0' "$WORK/d$k.json" >/dev/null; then
			echo "fail json: not a discovery"
		fi
	done
}
# the service: 2 loops over its three documents; one status code per line
request_loop() {
	local n=$1 i paths=(/api/namespaces /api/processes /api/pidmap)
	for ((i = 0; i < n && SECONDS < DEADLINE; i++)); do
		curl -s -o /dev/null -w '%{http_code}\n' --max-time 25 "$URL${paths[i % 3]}" ||
			echo "curl-failed"
	done
}
pids=()
for k in 1 2 3; do
	discover_loop "$k" $((DISCOVERIES / 3)) >"$WORK/disc$k.log" &
	pids+=($!)
done
for k in 1 2; do
	request_loop $((REQUESTS / 2)) >"$WORK/req$k.log" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
ELAPSED=$((SECONDS - T0))

kill -TERM "$LOAD"
wait "$LOAD" || log "churn exited $?"
STATS=$(tail -n1 "$WORK/churn.out")
kill -TERM "$SVC"
svc_rc=0
wait "$SVC" || svc_rc=$?

done_d=$(cat "$WORK"/disc*.log | grep -c '^ok$' || true)
failed_d=$(cat "$WORK"/disc*.log | grep -c '^fail' || true)
codes=$(cat "$WORK"/req*.log)
done_r=$(grep -c '^200$' <<<"$codes" || true)
bad_r=$(grep -vc '^200$' <<<"$codes" || true)
s5xx=$(grep -c '^5' <<<"$codes" || true)
log "load: $STATS; $done_d discoveries ($failed_d failed), $done_r requests ($bad_r not 200, $s5xx 5xx) in ${ELAPSED}s"

LIVE_CHECKS=$((LIVE_CHECKS + 5))
if [ "$failed_d" != 0 ]; then
	log "FAIL: $failed_d discoveries failed:"
	cat "$WORK"/disc*.log | grep '^fail' | sort | uniq -c | head -5 >&2
	LIVE_FAILS=$((LIVE_FAILS + 1))
fi
if [ "$s5xx" != 0 ] || [ "$bad_r" != 0 ]; then
	log "FAIL: $bad_r requests were not answered 200 ($s5xx with a 5xx):"
	grep -v '^200$' <<<"$codes" | sort | uniq -c | head -5 >&2
	LIVE_FAILS=$((LIVE_FAILS + 1))
fi
if [ "$done_d" -lt "$MIN_RUNS" ] || [ "$done_r" -lt "$MIN_RUNS" ]; then
	log "FAIL: too few runs before the deadline ($done_d discoveries, $done_r requests)"
	LIVE_FAILS=$((LIVE_FAILS + 1))
fi
forks=$(sed -n 's/^forks=\([0-9]*\) .*/\1/p' <<<"$STATS")
unshares=$(sed -n 's/.* unshares=\([0-9]*\) .*/\1/p' <<<"$STATS")
if [ -z "$forks" ] || [ "$forks" -lt 100 ] || [ -z "$unshares" ] || [ "$unshares" -lt 50 ]; then
	log "FAIL: the load did not run ($STATS)"
	LIVE_FAILS=$((LIVE_FAILS + 1))
fi
if [ "$svc_rc" != 0 ]; then
	log "FAIL: the service exited $svc_rc on SIGTERM: $(head -3 "$WORK/svc.err")"
	LIVE_FAILS=$((LIVE_FAILS + 1))
fi
finish

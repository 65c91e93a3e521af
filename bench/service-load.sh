#!/bin/bash
# The lxkns service under load: wrk with 50 connections on loopback, for a
# bounded time per case, on GET /api/namespaces of this host (a live
# discovery):
#   cached  the service runs with --cache 60s: answers come from one
#           discovery, rendered once
#   fresh   no cache: every request wants a new discovery; requests that
#           arrive while one runs share it (one discovery in flight)
# For each case: requests/s, p50/p99 latency, discoveries made for the
# requests answered, and the service's resident memory after a warm-up,
# at its peak, and after each of two rounds (flat memory: no growth from
# round 1 to round 2). Not a test: it prints figures.
#
#   bench/service-load.sh [BUILD-DIR [SECONDS]]     (default: build, 10)
set -euo pipefail
BUILD=${1:-build}
SECS=${2:-10}
LXKNS=$BUILD/service/lxkns
[ -x "$LXKNS" ] || { echo "service-load: no $LXKNS (build first)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "service-load: wrk is missing (apt-get install wrk)" >&2; exit 1; }
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
metric() { # name (exact, with labels) from /metrics
	curl -s "$url/metrics" | awk -v n="$1" '$1 == n { print $2 }'
}

run_case() { # name, service options...
	local name=$1; shift
	"$LXKNS" --http 127.0.0.1:0 --log-level error "$@" >"$tmp/out" &
	pid=$!
	for _ in $(seq 50); do grep -q 'serving on' "$tmp/out" && break; sleep 0.1; done
	url=$(grep -o 'http://[^ ]*' "$tmp/out" | sed 's|/$||')
	for _ in 1 2 3; do curl -s -o /dev/null "$url/api/namespaces"; done
	local rss0 peak=0 d0 r0 d1 r1 rss1 rss2
	rss0=$(rss_kb "$pid")
	( while kill -0 "$pid" 2>/dev/null; do rss_kb "$pid" >>"$tmp/rss"; sleep 0.2; done ) &
	local sampler=$!
	d0=$(metric lxkns_discovery_duration_seconds_count)
	r0=$(metric 'lxkns_http_requests_total{handler="namespaces",code="200"}')
	wrk -t2 -c50 -d"${SECS}s" --timeout 10s --latency "$url/api/namespaces" >"$tmp/wrk1"
	rss1=$(rss_kb "$pid")
	wrk -t2 -c50 -d"${SECS}s" --timeout 10s --latency "$url/api/namespaces" >"$tmp/wrk2"
	rss2=$(rss_kb "$pid")
	d1=$(metric lxkns_discovery_duration_seconds_count)
	r1=$(metric 'lxkns_http_requests_total{handler="namespaces",code="200"}')
	kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
	peak=$(sort -n "$tmp/rss" | tail -1); rm -f "$tmp/rss"
	local procs nss size
	procs=$(metric lxkns_processes)
	nss=$(curl -s "$url/metrics" | awk '/^lxkns_namespaces\{/ { s += $2 } END { print s }')
	size=$(curl -s "$url/api/namespaces" | wc -c)
	kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
	local rps p50 p99 errs
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk2")
	p50=$(awk '$1 == "50%" { print $2 }' "$tmp/wrk2")
	p99=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk2")
	errs=$(grep -h -E 'Non-2xx|Socket errors' "$tmp/wrk1" "$tmp/wrk2" | tr '\n' ' ' || true)
	printf '| %s | %s | %s | %s | %d discoveries for %d requests | %d / %d / %d / %d MiB |\n' \
		"$name" "$rps" "$p50" "$p99" $((${d1%.*} - ${d0%.*})) $((${r1%.*} - ${r0%.*})) \
		$((rss0 / 1024)) $((peak / 1024)) $((rss1 / 1024)) $((rss2 / 1024))
	[ -z "$errs" ] || echo "  wrk: $errs"
	echo "$procs $nss $size" >"$tmp/host"
}

echo "lxkns service load: wrk -t2 -c50 -d${SECS}s, twice per case, 127.0.0.1, $(nproc) CPUs"
echo
echo "| case | requests/s | p50 | p99 | discoveries | RSS warm / peak / round 1 / round 2 |"
echo "|---|---|---|---|---|---|"
run_case "cached (--cache 60s)" --cache 60s
run_case "fresh (no cache, shared in flight)"
read -r procs nss size <"$tmp/host"
echo
echo "host: $procs processes, $nss namespaces; /api/namespaces is $((size / 1024)) KiB"

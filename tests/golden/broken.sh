#!/bin/bash
# Broken saved discoveries (tests/golden/inputs/broken-*.json, made by
# make-inputs.py): every program that reads -i refuses each of them with
# exit 1, nothing on stdout and exactly one line on stderr that names the
# element (the cycle, the missing parent, owner, process or namespace).
# Before, lsuns and lspidns printed nothing with exit 0 for a parent cycle
# and pidtree dropped the processes of a PPID cycle. Also: a document with
# one inode as two types (shared-inode.json) is read and both are shown.
#
# Usage: broken.sh TESTS-SRCDIR PROGRAM...
set -u
SRC=$1
shift
declare -A T
for exe in "$@"; do T[$(basename "$exe")]=$exe; done
IN=$SRC/golden/inputs
export LC_ALL=C.UTF-8
fail=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

# document -> the reader's message
declare -A WANT=(
	[user-cycle]='namespace user:[4026532500] has a parent cycle: user:[4026532500] → user:[4026532501] → user:[4026532500]'
	[pid-cycle]='namespace pid:[4026532510] has a parent cycle: pid:[4026532510] → pid:[4026532511] → pid:[4026532510]'
	[owner-cycle]='namespace user:[4026532500] has an owner cycle: user:[4026532500] → user:[4026532501] → user:[4026532500]'
	[ppid-cycle]='process 7000 has a PPID cycle: 7000 → 7001 → 7000'
	[missing-parent]='namespace pid:[4026532510]: its parent pid:[4026532511] is not in "namespaces"'
	[missing-owner]='namespace net:[4026532321]: its owner user:[4026532500] is not in "namespaces"'
	[missing-process]='namespace 4026532211: leader 7777 is not in "processes"'
	[missing-namespace]='namespace net:[4026532322] is referenced but not in "namespaces"'
)

args() { # the arguments a program needs besides -i FILE
	case $1 in
	nscaps) echo "-p 1 --euid 0 --capeff 0 4026531840" ;;
	nsrun) echo "net:[4026531840] -- true" ;;
	lxkns) echo "--http 127.0.0.1:0" ;;
	esac
}

for name in user-cycle pid-cycle owner-cycle ppid-cycle missing-parent missing-owner \
	missing-process missing-namespace; do
	doc=$IN/broken-$name.json
	[ -f "$doc" ] || { bad "$doc exists"; continue; }
	for prog in dumpns lsuns lspidns pidtree nscaps lsallns nsgraph lsmnt nsrun lxkns; do
		[ -n "${T[$prog]:-}" ] || { bad "$prog was given to the test"; continue; }
		want="$prog: cannot read a discovery from '$doc': ${WANT[$name]}"
		rc=0
		# shellcheck disable=SC2046
		timeout 20 "${T[$prog]}" -i "$doc" $(args "$prog") >"$tmp/out" 2>"$tmp/err" \
			</dev/null || rc=$?
		if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = "$want" ]; then
			ok "$prog refuses broken-$name.json"
		else
			bad "$prog refuses broken-$name.json (exit $rc)"
			echo "# want: $want"
			sed 's/^/# got:  /' "$tmp/err" | head -3
		fi
	done
done
# ---- one inode, two types: both shown --------------------------------------
SHARED=$IN/shared-inode.json
shows() { # description, program args..., then -- and a fixed string per line wanted
	local what=$1 args=() want=() seen=0 w
	shift
	for w in "$@"; do
		if [ "$w" = -- ]; then seen=1; elif [ $seen = 0 ]; then args+=("$w"); else want+=("$w"); fi
	done
	rc=0
	timeout 20 "${T[${args[0]}]}" "${args[@]:1}" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	for w in "${want[@]}"; do
		if ! grep -qF -- "$w" "$tmp/out"; then
			bad "$what (exit $rc): no '$w'"
			head -5 "$tmp/out" "$tmp/err"
			return
		fi
	done
	if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ]; then ok "$what"; else bad "$what (exit $rc)"; fi
}
shows "lsallns shows both namespaces of one inode" lsallns -i "$SHARED" -o NS,TYPE,NPROCS,PID -- \
	'4026532173 user       1  41' '4026532173 net        1  40'
shows "lsuns shows the net namespace below the user one" lsuns -i "$SHARED" -d -- \
	'user:[4026532173] referenced' '⋄─ net:[4026532173] referenced from process/task "/proc/40/ns/net"'
shows "nsgraph draws two nodes" nsgraph -i "$SHARED" -- \
	'ns4026532173 [label="user:[4026532173]' 'ns4026532173_net [label="net:[4026532173]' \
	'ns4026532173 -> ns4026532173_net [style=dashed'
shows "dumpns writes both, the net one under \"net:[4026532173]\"" dumpns -i "$SHARED" -c -- \
	'"4026532173":{"nsid":4026532173,"type":"user"' \
	'"net:[4026532173]":{"nsid":4026532173,"type":"net","owner":4026532173'
shows "pidtree shows both processes in their namespaces" pidtree -i "$SHARED" -- \
	'"gone" (40/???)' '"newer" (41/???)'

echo "1..$n"
exit $fail

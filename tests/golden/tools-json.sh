#!/bin/bash
# Golden tests of -J/--json of the tree tools (lsuns, lspidns, pidtree,
# nscaps): every output byte for byte from the saved discoveries
# (tests/golden/inputs) and the fixture /proc tree, and then with jq that the
# nesting is the tree: the exact chains of user namespaces, PID namespaces
# and processes from the root down, typed values, options applied as in the
# text tree, depth cuts marked.
#
# Usage: tools-json.sh TESTS-SRCDIR TOOL-EXECUTABLE...
#   UPDATE=1        rewrites the expected files
set -u
SRC=$1
shift
declare -A T
for exe in "$@"; do T[$(basename "$exe")]=$exe; done
IN=$SRC/golden/inputs
EXP=$SRC/golden/expected
FIX=$SRC/fixtures/proc/basic
NESTED=$IN/nested.json
export LC_ALL=C.UTF-8
unset NO_COLOR COLUMNS
fail=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

if ! command -v jq >/dev/null; then
	echo "1..0 # SKIP jq is not installed"
	exit 77
fi

run() { # tool, args... -> $tmp/out, $tmp/err, $rc
	local tool=$1; shift
	rc=0
	timeout 60 "${T[$tool]}" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
}

# golden TOOL NAME ARGS...: exit 0, nothing on stderr, valid JSON, stdout as
# expected/TOOL/NAME.json; the output stays in $tmp/TOOL-NAME.json
golden() {
	local tool=$1 name=$2; shift 2
	local exp=$EXP/$tool/$name.json
	run "$tool" "$@"
	cp "$tmp/out" "$tmp/$tool-$name.json"
	if [ -n "${UPDATE:-}" ] && [ $rc -eq 0 ]; then mkdir -p "$EXP/$tool"; cp "$tmp/out" "$exp"; fi
	if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && jq -e . "$tmp/out" >/dev/null 2>&1 &&
		cmp -s "$tmp/out" "$exp"; then
		ok "$tool $name"
	else
		bad "$tool $name (exit $rc): $tool $*"
		head -5 "$tmp/err"
		[ -f "$exp" ] && diff -u "$exp" "$tmp/out" | head -40
	fi
}

# The chain of nodes from a root down to the first node whose KEY is VALUE:
# "TYPE:NSID" for a namespace, "PID" for a process.
JQDEFS='
def node_id: if has("nsid") then "\(.type):\(.nsid)" else "\(.pid)" end;
def chain($k; $v): . as $d
  | first(paths(objects | select(has("children") and .[$k] == $v))) as $p
  | [range(2; ($p | length) + 1; 2) as $i | $d | getpath($p[:$i]) | node_id];
def node($k; $v): first(.. | objects | select(has("children") and .[$k] == $v));
def depth: if (.children | length) == 0 then 1 else 1 + ([.children[] | depth] | max) end;
'

# check TOOL-NAME DESCRIPTION EXPECTED JQ-FILTER [JQ-ARGS...]: the compact
# result of the filter is EXPECTED
check() {
	local out=$1 what=$2 want=$3 filter=$4 got; shift 4
	got=$(jq -c "$@" "$JQDEFS $filter" "$tmp/$out.json" 2>&1)
	if [ "$got" = "$want" ]; then
		ok "$out: $what"
	else
		bad "$out: $what"
		echo "#   want: $want"
		echo "#   got:  $got"
	fi
}

# ---- lsuns ------------------------------------------------------------------------
golden lsuns nested-J -i "$NESTED" -J
check lsuns-nested-J "the roots are the initial user namespace only" '[4026531837]' '[.namespaces[].nsid]'
check lsuns-nested-J "the user chain nests 4 deep" \
	'["user:4026531837","user:4026532100","user:4026532101","user:4026532102"]' 'chain("nsid"; 4026532102)'
check lsuns-nested-J "the tree is 4 levels deep" '4' '.namespaces[0] | depth'
check lsuns-nested-J "the children of the initial user namespace" '[4026532100,4026532200]' \
	'[node("nsid"; 4026531837).children[].nsid]'
check lsuns-nested-J "owner and senior process as typed values" \
	'{"nsid":4026532100,"type":"user","ealdorman":{"pid":520,"name":"bash","cgroup":"/user.slice/user-1000.slice/session-2.scope"},"user-id":1000,"user-name":"alice"}' \
	'node("nsid"; 4026532100) | del(.children)'
check lsuns-nested-J "a user namespace without a process, owner without a name" \
	'{"nsid":4026532102,"type":"user","user-id":1001,"children":[]}' 'node("nsid"; 4026532102)'
check lsuns-nested-J "no \"owned\" without -d" '[]' '[.. | objects | select(has("owned"))]'
golden lsuns nested-details-J -i "$NESTED" -J -d
check lsuns-nested-details-J "-d: the owned namespaces of user:[4026532100]" \
	'[4026532300,4026532320,4026532230,4026532241]' '[node("nsid"; 4026532100).owned[].nsid]'
check lsuns-nested-details-J "-d: a loose thread" \
	'{"nsid":4026532300,"type":"net","loose-threads":[{"tid":1011,"name":"stray thread :p","process":{"pid":1010,"name":"holder"}}]}' \
	'node("nsid"; 4026532100).owned[0]'
check lsuns-nested-details-J "-d: a bind mount and an fd reference" \
	'[["/proc/1/ns/mnt","/run/snapd/ns/lxd.mnt"],true,["/proc/1010/fd/7"],false]' \
	'node("nsid"; 4026531837).owned | map(select(.nsid == 4026532340 or .nsid == 4026532310)) | map(.reference, ."bind-mounted")'
check lsuns-nested-details-J "-d: a hidden namespace has no reference" '{"nsid":4026532240,"type":"pid"}' \
	'node("nsid"; 4026531837).owned[] | select(.nsid == 4026532240)'
check lsuns-nested-details-J "-d: the chain is the same" \
	'["user:4026531837","user:4026532100","user:4026532101","user:4026532102"]' 'chain("nsid"; 4026532102)'
golden lsuns nested-filter-net-J -i "$NESTED" -J -d -f net
check lsuns-nested-filter-net-J "-f net: only net namespaces are owned" '["net"]' '[.. | objects | .owned? // empty | .[].type] | unique'
golden lsuns nested-subtree-J -i "$NESTED" -J -d 'user:[4026532100]'
check lsuns-nested-subtree-J "USERNS: the subtree's root and chain" \
	'["user:4026532100","user:4026532101","user:4026532102"]' 'chain("nsid"; 4026532102)'
check lsuns-nested-subtree-J "USERNS: one root" '1' '.namespaces | length'
golden lsuns nested-all-leaders-J -i "$NESTED" -J --all-leaders --proc=exe --cgroup=full
check lsuns-nested-all-leaders-J "--all-leaders: every leader, the ealdorman first" '[1,2,1300]' \
	'[node("nsid"; 4026531837).leaders[].pid]'
check lsuns-nested-all-leaders-J "--proc=exe --cgroup=full" \
	'{"pid":1001,"name":"/sbin/init","cgroup":"/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}' \
	'node("nsid"; 4026532200).ealdorman'
golden lsuns fixture-details-J --procfs "$FIX" -J -d
run lsuns -i "$NESTED" -J -d --color=always --icon --treestyle=ascii --theme=light
if [ $rc -eq 0 ] && cmp -s "$tmp/out" "$tmp/lsuns-nested-details-J.json"; then
	ok "lsuns -J: no colours, icons or glyphs"
else
	bad "lsuns -J: no colours, icons or glyphs (exit $rc)"
fi
run lsuns -i "$NESTED" --json -d
if [ $rc -eq 0 ] && cmp -s "$tmp/out" "$tmp/lsuns-nested-details-J.json"; then ok "lsuns --json"; else bad "lsuns --json (exit $rc)"; fi

# ---- lspidns ----------------------------------------------------------------------
golden lspidns nested-J -i "$NESTED" -J
check lspidns-nested-J "the PID chain nests 3 deep" \
	'["pid:4026531836","pid:4026532210","pid:4026532220"]' 'chain("nsid"; 4026532220)'
check lspidns-nested-J "the children of the initial PID namespace" '[4026532210,4026532230,4026532240]' \
	'[node("nsid"; 4026531836).children[].nsid]'
check lspidns-nested-J "a bind-mounted PID namespace" \
	'{"nsid":4026532241,"type":"pid","reference":["/proc/1/ns/mnt","/run/pidns/p5"],"bind-mounted":true,"children":[]}' \
	'node("nsid"; 4026532241)'
check lspidns-nested-J "no user namespaces without -u" '["pid"]' '[.. | objects | select(has("nsid")) | .type] | unique'
golden lspidns nested-user-J -i "$NESTED" -J -u
check lspidns-nested-user-J "-u: user namespaces interleaved as in the text" \
	'["user:4026531837","pid:4026531836","pid:4026532240","user:4026532100","pid:4026532241"]' \
	'chain("nsid"; 4026532241)'
check lspidns-nested-user-J "-u: the container's chain" \
	'["user:4026531837","pid:4026531836","user:4026532200","pid:4026532210","pid:4026532220"]' \
	'chain("nsid"; 4026532220)'
check lspidns-nested-user-J "-u: a user node has its creator" '{"user-id":0,"user-name":"root"}' \
	'node("nsid"; 4026532200) | {"user-id", "user-name"}'
check lspidns-nested-user-J "-u: 5 levels deep" '5' '.namespaces[0] | depth'
golden lspidns nested-subtree-J -i "$NESTED" -J -u 'pid:[4026532210]'
check lspidns-nested-subtree-J "PIDNS: the subtree, below its owner as the text shows it" \
	'["user:4026532200","pid:4026532210","pid:4026532220"]' 'chain("nsid"; 4026532220)'
golden lspidns fixture-user-J --procfs "$FIX" -J -u

# ---- pidtree ----------------------------------------------------------------------
golden pidtree nested-J -i "$NESTED" -J
check pidtree-nested-J "processes and PID namespaces nested" \
	'["pid:4026531836","1","1000","pid:4026532210","1001","pid:4026532220","1050","1051"]' 'chain("pid"; 1051)'
check pidtree-nested-J "a process node" \
	'{"pid":1051,"name":"we\"ird\\name","pidns":4026532220,"pids":[1051],"cgroup":"/docker/0123456789ab…/inner","children":[]}' \
	'node("pid"; 1051)'
check pidtree-nested-J "a PID namespace node has its owner" \
	'{"nsid":4026532230,"type":"pid","user-id":1000,"user-name":"alice"}' 'node("nsid"; 4026532230) | del(.children)'
check pidtree-nested-J "a process of unknown PID namespace" '{"pid":1200,"name":"mystery","pidns":null,"pids":[1200,null],"children":[]}' \
	'node("pid"; 1200)'
check pidtree-nested-J "every process once" '[1,2,500,501,520,600,1000,1001,1010,1050,1051,1200,1300]' \
	'[.. | objects | select(has("children") and has("pid")) | .pid] | sort'
golden pidtree nested-branch-J -i "$NESTED" -J -p 1051
check pidtree-nested-branch-J "-p: only the branch" \
	'["pid:4026531836","1","1000","pid:4026532210","1001","pid:4026532220","1050","1051"]' \
	'[.namespaces[] | recurse(.children[]) | node_id]'
golden pidtree nested-exe-full-J -i "$NESTED" -J --proc=exe --cgroup=full
check pidtree-nested-exe-full-J "--proc=exe" '"/sbin/init"' 'node("pid"; 1001).name'
golden pidtree fixture-J --procfs "$FIX" -J
check pidtree-fixture-J "PIDs in the nested PID namespace (103 has no NSpid)" '[[100,1],[102,2],[103]]' \
	'[.. | objects | select(.pidns? == 4026532010) | .pids]'
check pidtree-fixture-J "a name with a newline and ') ('" '"x) (y\nz"' \
	'first(.. | objects | select(has("pid") and (.name | test("\n"))) | .name)'
golden pidtree fixture-branch-ns-J --procfs "$FIX" -J -p 2 -n 'pid:[4026532010]'
check pidtree-fixture-branch-ns-J "-p 2 -n: the branch to PID 102" '["pid:4026531836","1","pid:4026532010","100","102"]' \
	'[.namespaces[] | recurse(.children[]) | node_id]'

# ---- nscaps -----------------------------------------------------------------------
CAPS=(--euid 0 --capeff 1fffff)
golden nscaps nested-root-to-child-J -i "$NESTED" -p 1 "${CAPS[@]}" -J 'net:[4026532211]'
check nscaps-nested-root-to-child-J "the path to the process and the target" \
	'[["user:4026531837","1"],["user:4026531837","user:4026532200","net:4026532211"]]' \
	'[chain("pid"; 1), chain("nsid"; 4026532211)]'
check nscaps-nested-root-to-child-J "verdicts" '["effective","all","all"]' \
	'[node("nsid"; 4026531837), node("nsid"; 4026532200), node("nsid"; 4026532211) | .verdict]'
check nscaps-nested-root-to-child-J "the process's capabilities (0x1fffff)" '[21,"cap_chown","cap_sys_rawio"]' \
	'node("pid"; 1).capabilities | [length, first, last]'
check nscaps-nested-root-to-child-J "all capabilities in the target" '[true,41,"cap_audit_control"]' \
	'node("nsid"; 4026532211) | [.target, (.capabilities | length), .capabilities[0]]'
golden nscaps nested-root-to-child-brief-J -i "$NESTED" -p 1 "${CAPS[@]}" --brief -J 'net:[4026532211]'
check nscaps-nested-root-to-child-brief-J "--brief: no capability list" '[]' '[.. | objects | select(has("capabilities") and has("nsid")) | .nsid]'
golden nscaps nested-not-owner-J -i "$NESTED" -p 520 --euid 1001 --capeff 0 -J 4026532102
check nscaps-nested-not-owner-J "a user target 4 deep" \
	'["user:4026531837","user:4026532100","user:4026532101","user:4026532102"]' 'chain("nsid"; 4026532102)'
check nscaps-nested-not-owner-J "the process sits in its user namespace" '["user:4026531837","user:4026532100","520"]' \
	'chain("pid"; 520)'
check nscaps-nested-not-owner-J "verdicts down the chain" '["none","effective","effective","effective"]' \
	'[.namespaces[] | recurse(.children[]) | select(has("nsid")) | .verdict]'
check nscaps-nested-not-owner-J "no effective capabilities" '[[],[],true]' \
	'[node("pid"; 520).capabilities, node("nsid"; 4026532102).capabilities, node("nsid"; 4026532102).target]'
golden nscaps nested-owner-J -i "$NESTED" -p 520 --euid 1000 --capeff 0 --brief -J 4026532102
check nscaps-nested-owner-J "the owner has all below" '["none","effective","all","all"]' \
	'[.namespaces[] | recurse(.children[]) | select(has("nsid")) | .verdict]'
golden nscaps nested-child-to-initial-J -i "$NESTED" -p 1001 "${CAPS[@]}" -J 'net:[4026531840]'
check nscaps-nested-child-to-initial-J "a target above the process: none" \
	'[["user:4026531837","user:4026532200","1001"],["user:4026531837","net:4026531840"],"none",[]]' \
	'[chain("pid"; 1001), chain("nsid"; 4026531840), node("nsid"; 4026531840).verdict, node("nsid"; 4026531840).capabilities]'
golden nscaps nested-own-net-J -i "$NESTED" -p 1 "${CAPS[@]}" --proccaps=off -J 'net:[4026531840]'
check nscaps-nested-own-net-J "--proccaps=off: no process capabilities" 'false' 'node("pid"; 1) | has("capabilities")'

# ---- cut trees are marked (cycles are refused on load: golden/broken.sh) ----
awk 'BEGIN {
	printf "{\"namespaces\": {\"4026531836\": {\"nsid\": 4026531836, \"type\": \"pid\"}}, \"processes\": {"
	for (i = 1; i <= 1500; i++)
		printf "%s\"%d\": {\"pid\": %d, \"ppid\": %d, \"name\": \"p%d\", \"namespaces\": {\"pid\": 4026531836}}",
			(i > 1 ? ", " : ""), i, i, i - 1, i
	print "}}"
}' >"$tmp/deep.json"
for args in "" "-p 1500"; do
	run pidtree -i "$tmp/deep.json" -J $args
	cp "$tmp/out" "$tmp/pidtree-deep.json"
	check pidtree-deep "a 1500-level chain ($args) is cut at 80 levels and marked" \
		'[79,[79],80]' \
		'[([.. | objects | select(has("pid"))] | length), [.. | objects | select(.truncated == true) | .pid], (.namespaces[0] | depth)]'
done

# ---- errors stay errors ---------------------------------------------------------------
for tool in lsuns lspidns pidtree; do
	run "$tool" -J -i "$tmp/none.json"
	if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && grep -qF "$tool: cannot open" "$tmp/err"; then
		ok "$tool -J: a bad input is an error, no JSON"
	else
		bad "$tool -J: a bad input is an error, no JSON (exit $rc)"
	fi
done

echo "1..$n"
exit $fail

#!/bin/bash
# Golden tests of the tree and table tools (lsuns, lspidns, pidtree, nscaps,
# lsallns, nsgraph): every output byte for byte, rendered from saved
# discoveries (tests/golden/inputs/*.json, -i) and from the fixture /proc
# tree (--procfs, which also has NSpid lines), with and without colour, in
# both tree styles and as JSON; bad arguments and malformed or truncated
# inputs (exit 1 with a one-line message naming the problem, never a crash
# or a hang).
#
# Usage: tools.sh TESTS-SRCDIR TOOL-EXECUTABLE...
#   UPDATE=1        rewrites the expected files
#   TOOL_WRAPPER=…  runs every tool under a wrapper (e.g. valgrind)
set -u
SRC=$1
shift
declare -A T
for exe in "$@"; do T[$(basename "$exe")]=$exe; done
IN=$SRC/golden/inputs
EXP=$SRC/golden/expected
FIX=$SRC/fixtures/proc/basic
NESTED=$IN/nested.json
BASIC=$IN/basic.json
WRAP=(${TOOL_WRAPPER:-})
export LC_ALL=C.UTF-8
unset NO_COLOR COLUMNS
fail=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

run() { # tool, args... -> $tmp/out, $tmp/err, $rc
	local tool=$1; shift
	rc=0
	timeout 60 "${WRAP[@]}" "${T[$tool]}" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
}

golden() { # tool, name, args...: exit 0, nothing on stderr, stdout as expected
	local tool=$1 name=$2; shift 2
	local exp=$EXP/$tool/$name
	run "$tool" "$@"
	if [ -n "${UPDATE:-}" ] && [ $rc -eq 0 ]; then mkdir -p "$EXP/$tool"; cp "$tmp/out" "$exp"; fi
	if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/out" "$exp"; then
		ok "$tool $name"
	else
		bad "$tool $name (exit $rc): $tool $*"
		head -5 "$tmp/err"
		[ -f "$exp" ] && diff -u "$exp" "$tmp/out" | head -40
	fi
}

expect_fail() { # tool, expected message, args...: exit 1, one line on stderr
	local tool=$1 msg=$2; shift 2
	run "$tool" "$@"
	if [ $rc -eq 1 ] && grep -qF -- "$msg" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -le 2 ] &&
		[ ! -s "$tmp/out" ]; then
		ok "$tool fails cleanly: $*"
	else
		bad "$tool fails cleanly: $* (exit $rc, want '$msg')"
		head -5 "$tmp/err"
	fi
}

# ---- lsuns ------------------------------------------------------------
golden lsuns fixture --procfs "$FIX"
golden lsuns fixture-details --procfs "$FIX" -d
golden lsuns fixture-no-task --procfs "$FIX" -d --task=off
golden lsuns basic-json -i "$BASIC"
golden lsuns nested -i "$NESTED"
golden lsuns nested-details -i "$NESTED" -d
golden lsuns nested-details-ascii -i "$NESTED" -d --treestyle=ascii
golden lsuns nested-details-colour -i "$NESTED" -d --color=always
golden lsuns nested-details-colour-light -i "$NESTED" -d --color --theme=light
golden lsuns nested-details-icons -i "$NESTED" -d --icon
golden lsuns nested-all-leaders -i "$NESTED" --all-leaders
golden lsuns nested-proc-basename -i "$NESTED" -d --proc=basename
golden lsuns nested-proc-exe -i "$NESTED" -d --proc=exe
golden lsuns nested-cgroup-full -i "$NESTED" --cgroup=full
golden lsuns nested-filter-net -i "$NESTED" -d -f net
golden lsuns nested-filter-pid-ipc -i "$NESTED" -d --filter p,i
golden lsuns nested-subtree -i "$NESTED" -d 'user:[4026532100]'
golden lsuns nested-subtree-ino -i "$NESTED" 4026532101
golden lsuns nested-colour-never -i "$NESTED" -d --color=never
# ---- lspidns ----------------------------------------------------------
golden lspidns fixture --procfs "$FIX"
golden lspidns fixture-user --procfs "$FIX" -u
golden lspidns nested -i "$NESTED"
golden lspidns nested-user -i "$NESTED" -u
golden lspidns nested-user-ascii -i "$NESTED" --user --treestyle=ascii
golden lspidns nested-user-colour -i "$NESTED" -u --color=always
golden lspidns nested-user-icons -i "$NESTED" -u --icon
golden lspidns nested-all-leaders -i "$NESTED" --all-leaders --cgroup=full
golden lspidns nested-subtree -i "$NESTED" -u 'pid:[4026532210]'
# ---- pidtree ----------------------------------------------------------
golden pidtree fixture --procfs "$FIX"
golden pidtree fixture-branch --procfs "$FIX" -p 102
golden pidtree fixture-branch-ns --procfs "$FIX" -p 2 -n 'pid:[4026532010]'
golden pidtree fixture-branch-ns-ino --procfs "$FIX" --pid 1 --ns 4026532010 --treestyle=ascii
golden pidtree nested -i "$NESTED"
golden pidtree nested-ascii -i "$NESTED" --treestyle=ascii
golden pidtree nested-colour -i "$NESTED" --color=always
golden pidtree nested-colour-light -i "$NESTED" --color=always --theme=light --icon
golden pidtree nested-exe-full -i "$NESTED" --proc=exe --cgroup=full
golden pidtree nested-branch -i "$NESTED" -p 1051
golden pidtree nested-branch-unknown -i "$NESTED" -p 1200
golden pidtree nested-branch-initial-ns -i "$NESTED" -p 1051 -n 'pid:[4026531836]'
# namespaces held by a detached mount or known to the kernel's list alone
golden lsuns held-by-details -i "$EXP/dumpns/held-by.json" --details
# ---- lsallns ----------------------------------------------------------
golden lsallns fixture --procfs "$FIX"
golden lsallns nested -i "$NESTED"
golden lsallns nested-json -i "$NESTED" -J
golden lsallns nested-raw -i "$NESTED" -r
golden lsallns nested-noheadings -i "$NESTED" -n
golden lsallns nested-columns -i "$NESTED" -o NAMESPACE,TYPE,NPROCS,OWNER,PARENT
golden lsallns nested-more-columns -i "$NESTED" -o +UID,USER,REFERENCE,LEADERS
golden lsallns nested-all-json -i "$NESTED" -J \
	-o namespace,type,container,pid,process,comment,nprocs,owner,parent,uid,user,reference,leaders
golden lsallns nested-type -i "$NESTED" -t net -t pid
golden lsallns nested-filter -i "$NESTED" -f user,mnt --proc=exe --cgroup=full
golden lsallns nested-colour -i "$NESTED" --color=always
golden lsallns basic-json -i "$BASIC" -J
# lsns's columns with lsns's meanings: PID is the lowest PID (500 in
# user:[4026532100], whose most senior process, SENIOR, is 520), UID/USER
# that process's (1300 has none; 1001 has no name), for process-less ones
# the owner's; PNS/ONS 0 for none; NETNSID and NSFS are live only
golden lsallns nested-lsns-columns -i "$NESTED" \
	-o NS,TYPE,PATH,NPROCS,PID,PPID,COMMAND,UID,USER,NETNSID,NSFS,PNS,ONS
golden lsallns nested-lsns-columns-json -i "$NESTED" -J \
	-o NS,TYPE,PATH,NPROCS,PID,PPID,COMMAND,UID,USER,NETNSID,NSFS,PNS,ONS
golden lsallns nested-case -i "$NESTED" -o ns,Type,nProcs,pid,Senior,ownerUid,OWNERUSER,owner,parent
golden lsallns nested-output-all -i "$NESTED" --output-all
golden lsallns nested-output-all-json -i "$NESTED" --output-all -J
golden lsallns nested-tree-owner -i "$NESTED" -T -o NS,TYPE,ONS,PID,SENIOR,PROCESS
golden lsallns nested-tree-owner-json -i "$NESTED" --tree -J -o NS,TYPE,ONS
golden lsallns nested-tree-parent -i "$NESTED" --tree=parent -o NS,TYPE,PNS,NPROCS
golden lsallns nested-tree-parent-ascii -i "$NESTED" -Tparent --treestyle=ascii -t pid,user
golden lsallns nested-tree-list -i "$NESTED" -T -l -o NS,TYPE
golden lsallns nested-task -i "$NESTED" -p 1050 -o NS,TYPE,NPROCS,PID,SENIOR,PNS,ONS
golden lsallns nested-persistent -i "$NESTED" -P -o NS,TYPE,NPROCS,PID,UID,USER,COMMENT
golden lsallns nested-ns-processes -i "$NESTED" 'user:[4026532100]'
golden lsallns nested-ns-processes-list -i "$NESTED" -l 4026532100 -o PID,PPID,UID,USER,COMMAND,NS,PATH
golden lsallns nested-ns-processes-json -i "$NESTED" -J 'pid:[4026532220]' -o PID,PPID,COMMAND,SENIOR,PROCESS
golden lsallns nested-nowrap -i "$NESTED" -W -u -o NS,TYPE,NSFS,COMMAND
# ---- nscaps -----------------------------------------------------------
CAPS=(--euid 0 --capeff 1fffff)
# root in the initial user namespace toward a container's net namespace
golden nscaps nested-root-to-child -i "$NESTED" -p 1 "${CAPS[@]}" 'net:[4026532211]'
golden nscaps nested-root-to-child-brief -i "$NESTED" -p 1 "${CAPS[@]}" --brief 'net:[4026532211]'
# a process in a container toward the initial net namespace: none
golden nscaps nested-child-to-initial -i "$NESTED" -p 1001 "${CAPS[@]}" 'net:[4026531840]'
# euid 1000 owns the user namespaces below: all capabilities down there
golden nscaps nested-owner -i "$NESTED" -p 520 --euid 1000 --capeff 0 --brief 4026532102
# euid 1001 does not own user:[4026532101]: effective capabilities only
golden nscaps nested-not-owner -i "$NESTED" -p 520 --euid 1001 --capeff 0 4026532102
# a process toward its parent user namespace (no capabilities) and its own
golden nscaps nested-to-parent -i "$NESTED" -p 600 --euid 1000 --capeff 0 'user:[4026532100]'
golden nscaps nested-own-userns -i "$NESTED" -p 600 --euid 1000 --capeff 3 'user:[4026532101]'
golden nscaps nested-own-net -i "$NESTED" -p 1 "${CAPS[@]}" --proccaps=off 'net:[4026531840]'
golden nscaps nested-bindmount-colour -i "$NESTED" -p 1 "${CAPS[@]}" --color=always 'ipc:[4026532330]'
golden nscaps nested-ascii-icons -i "$NESTED" -p 501 --euid 1000 --capeff 0 --treestyle=ascii --icon 'pid:[4026532241]'
# ---- nsgraph ----------------------------------------------------------
golden nsgraph fixture --procfs "$FIX"
golden nsgraph nested -i "$NESTED"
golden nsgraph nested-net -i "$NESTED" -f net
golden nsgraph nested-hierarchies -i "$NESTED" -f user,pid
run nsgraph -i "$NESTED" -o "$tmp/graph.dot"
if [ $rc -eq 0 ] && cmp -s "$tmp/graph.dot" "$EXP/nsgraph/nested"; then ok "nsgraph -o FILE"; else bad "nsgraph -o FILE (exit $rc)"; fi
if command -v dot >/dev/null; then
	run nsgraph -i "$NESTED" -T svg
	if [ $rc -eq 0 ] && grep -q '<svg' "$tmp/out" && grep -q 'user:\[4026532102\]' "$tmp/out"; then
		ok "nsgraph -T svg"
	else
		bad "nsgraph -T svg (exit $rc)"; head -5 "$tmp/err"
	fi
	run nsgraph -i "$NESTED" -T png -o "$tmp/graph.png"
	if [ $rc -eq 0 ] && [ "$(head -c 4 "$tmp/graph.png" | od -An -c | tr -d ' ')" = '211PNG' ]; then
		ok "nsgraph -T png -o FILE"
	else
		bad "nsgraph -T png -o FILE (exit $rc)"; head -5 "$tmp/err"
	fi
	if "${T[nsgraph]}" -i "$NESTED" | dot -Tcanon >/dev/null 2>"$tmp/dot.err"; then
		ok "nsgraph DOT is valid for dot -Tcanon"
	else
		bad "nsgraph DOT is valid for dot -Tcanon"; head -5 "$tmp/dot.err"
	fi
else
	echo "# SKIP nsgraph -T svg/png: Graphviz's dot is not installed"
fi

# ---- the same saved discovery on stdin ------------------------------------
rc=0
"${WRAP[@]}" "${T[lsuns]}" -i - -d <"$NESTED" >"$tmp/out" 2>"$tmp/err" || rc=$?
if [ $rc -eq 0 ] && cmp -s "$tmp/out" "$EXP/lsuns/nested-details"; then ok "lsuns -i -"; else bad "lsuns -i - (exit $rc)"; fi

# ---- parent, owner and PPID cycles in a saved discovery: refused on load,
# see golden/broken.sh ------------------------------------------------------

# ---- a process chain deeper than trees go (1500 levels): cut, not crashed ----------
awk 'BEGIN {
	printf "{\"namespaces\": {\"4026531836\": {\"nsid\": 4026531836, \"type\": \"pid\"}}, \"processes\": {"
	for (i = 1; i <= 1500; i++)
		printf "%s\"%d\": {\"pid\": %d, \"ppid\": %d, \"name\": \"p%d\", \"namespaces\": {\"pid\": 4026531836}}",
			(i > 1 ? ", " : ""), i, i, i - 1, i
	print "}}"
}' >"$tmp/deep.json"
run pidtree -i "$tmp/deep.json"
if [ $rc -eq 0 ] && [ "$(grep -c '"p[0-9]*"' "$tmp/out")" = 999 ] && tail -n1 "$tmp/out" | grep -q '└─ …$'; then
	ok "pidtree cuts a 1500-level process chain at 1000 levels"
else
	bad "pidtree cuts a 1500-level process chain at 1000 levels (exit $rc)"; tail -n2 "$tmp/out" | cut -c2990-; head -3 "$tmp/err"
fi
run pidtree -i "$tmp/deep.json" -p 1500
if [ $rc -eq 0 ] && tail -n1 "$tmp/out" | grep -q '└─ …$'; then ok "pidtree -p cuts a deep branch"; else bad "pidtree -p cuts a deep branch (exit $rc)"; fi

# ---- bad arguments -----------------------------------------------------------
need() { # the arguments a tool needs besides -i
	if [ "$1" = nscaps ]; then echo "-p 1 --euid 0 --capeff 0 1"; fi
}
for tool in lsuns lspidns pidtree nscaps lsallns nsgraph; do
	expect_fail "$tool" "$tool: invalid colour mode 'sometimes'" --color=sometimes
	expect_fail "$tool" "$tool: invalid theme 'pink'" --theme=pink
	expect_fail "$tool" "$tool: invalid tree style 'fancy'" --treestyle=fancy
	expect_fail "$tool" "$tool: invalid process name style 'argv'" --proc=argv
	expect_fail "$tool" "$tool: invalid cgroup name style 'tiny'" --cgroup=tiny
	expect_fail "$tool" "$tool: invalid namespace type filter 'nope'" -f nope
	if [ "$tool" = lsallns ]; then # lsns's --task PID; the common --task is --threads
		expect_fail "$tool" "$tool: invalid PID 'maybe'" --task=maybe
		expect_fail "$tool" "$tool: invalid --threads value 'maybe'" --threads=maybe
	else
		expect_fail "$tool" "$tool: invalid --task value 'maybe'" --task=maybe
	fi
	expect_fail "$tool" "unrecognized option '--bogus'" --bogus
	expect_fail "$tool" "$tool: cannot open '/nonexistent.json': No such file or directory" \
		-i /nonexistent.json $(need "$tool")
	if "${T[$tool]}" --help | grep -q -- "--treestyle"; then ok "$tool --help"; else bad "$tool --help"; fi
	if "${T[$tool]}" --version | grep -Eq "^$tool \(lxkns\) [0-9]+\.[0-9]+\.[0-9]+\$"; then ok "$tool --version"; else bad "$tool --version"; fi
done
expect_fail lsuns "lsuns: invalid namespace 'net:[abc]'" 'net:[abc]'
expect_fail lsuns "lsuns: not a user namespace: 'net:[4026531840]'" 'net:[4026531840]'
expect_fail lsuns "lsuns: not a user namespace: '4026531840'" -i "$NESTED" 4026531840
expect_fail lsuns "lsuns: unknown namespace 'user:[12345]'" -i "$NESTED" 'user:[12345]'
expect_fail lsuns "lsuns: unexpected argument 'two'" one two
expect_fail lspidns "lspidns: not a pid namespace: 'user:[4026531837]'" 'user:[4026531837]'
expect_fail lspidns "lspidns: invalid namespace 'pid:[0]'" 'pid:[0]'
expect_fail pidtree "pidtree: invalid PID '0'" -p 0
expect_fail pidtree "pidtree: invalid PID 'x'" --pid x
expect_fail pidtree "pidtree: --ns needs --pid" -n 'pid:[4026531836]'
expect_fail pidtree "pidtree: not a pid namespace: 'net:[4026531840]'" -p 1 -n 'net:[4026531840]'
expect_fail pidtree "pidtree: unknown process PID 99999" -i "$NESTED" -p 99999
expect_fail pidtree "pidtree: unknown namespace 'pid:[4026599999]'" -i "$NESTED" -p 1 -n 'pid:[4026599999]'
expect_fail pidtree "pidtree: unknown process PID 1 in pid:[4026532210] (a saved discovery has no PID map)" \
	-i "$NESTED" -p 1 -n 'pid:[4026532210]'
expect_fail pidtree "pidtree: unexpected argument 'extra'" extra
expect_fail nscaps "nscaps: missing the target NAMESPACE"
expect_fail nscaps "nscaps: invalid namespace 'net:[abc]'" 'net:[abc]'
expect_fail nscaps "nscaps: --input needs --pid" -i "$NESTED" 'net:[4026531840]'
expect_fail nscaps "nscaps: --input needs --euid and --capeff" -i "$NESTED" -p 1 'net:[4026531840]'
expect_fail nscaps "nscaps: invalid UID '-1'" --euid -1 1
expect_fail nscaps "nscaps: invalid capability mask 'xyz'" --capeff xyz 1
expect_fail nscaps "nscaps: invalid --proccaps value 'perhaps'" --proccaps=perhaps 1
expect_fail nscaps "nscaps: --ns needs --pid" -n 4026531836 1
expect_fail nscaps "nscaps: unknown namespace 'net:[4026599999]'" -i "$NESTED" -p 1 "${CAPS[@]}" 'net:[4026599999]'
expect_fail nscaps "nscaps: unknown process PID 4242" -i "$NESTED" -p 4242 "${CAPS[@]}" 'net:[4026531840]'
expect_fail nscaps "nscaps: cannot read the effective UID of process 1: not in its status" \
	--procfs "$FIX" -p 1 'net:[4026531840]'
expect_fail lsallns "lsallns: unknown column 'BOGUS'" -o NAMESPACE,BOGUS
expect_fail lsallns "lsallns: --json and --raw exclude each other" -J -r
expect_fail lsallns "lsallns: invalid namespace type filter 'x'" -t x
expect_fail lsallns "lsallns: unknown column 'bogus'" -o ns,bogus
expect_fail lsallns "lsallns: invalid PID '0'" -p 0
expect_fail lsallns "lsallns: invalid PID 'x'" --task x
expect_fail lsallns "lsallns: no process with PID 99999" -i "$NESTED" -p 99999
expect_fail lsallns "lsallns: invalid namespace 'net:[abc]'" 'net:[abc]'
expect_fail lsallns "lsallns: unknown namespace 'net:[12345]'" -i "$NESTED" 'net:[12345]'
expect_fail lsallns "lsallns: invalid tree relation 'sideways' (owner, parent)" --tree=sideways
expect_fail lsallns "lsallns: --persistent and --task exclude each other" -P -p 1
expect_fail lsallns "lsallns: a NAMESPACE excludes --task and --persistent" -p 1 4026531840
expect_fail lsallns "lsallns: unexpected argument 'two'" one two
for args in "-o bogus" "-p 0" "net:[abc]" "--tree=sideways"; do
	run lsallns $args
	if [ $rc -eq 1 ] && [ "$(sed -n 2p "$tmp/err")" = "Try 'lsallns --help' for more information." ]; then
		ok "lsallns $args: Try 'lsallns --help'"
	else
		bad "lsallns $args: Try 'lsallns --help' (exit $rc)"
	fi
done
expect_fail nsgraph "nsgraph: invalid format 'gif'" -T gif
expect_fail nsgraph "nsgraph: cannot create '/nonexistent/dir/g.dot'" -i "$NESTED" -o /nonexistent/dir/g.dot

# ---- malformed and truncated saved discoveries ----------------------------------
printf '{"namespaces": {' >"$tmp/cut.json"
printf '[]' >"$tmp/array.json"
: >"$tmp/empty.json"
printf '{"namespaces": {"1": {"nsid": 1, "type": "net"}}, "processes": {"1": {"pid": "x"}}}' >"$tmp/badpid.json"
printf '{"namespaces": {"5": {"nsid": 5, "type": "bogus"}}}' >"$tmp/badtype.json"
head -c 5000 "$NESTED" >"$tmp/truncated.json"
head -c 16000 "$NESTED" >"$tmp/truncated2.json"
head -c 3000 /dev/urandom >"$tmp/garbage.json" 2>/dev/null || printf '\x00\xff\xfe' >"$tmp/garbage.json"
for tool in lsuns lspidns pidtree nscaps lsallns nsgraph; do
	for f in cut array empty badpid badtype truncated truncated2 garbage; do
		expect_fail "$tool" "$tool: cannot read a discovery from '$tmp/$f.json'" \
			-i "$tmp/$f.json" $(need "$tool")
	done
done

# ---- man pages and bash completion ----------------------------------------------
ROOT=$SRC/..
for tool in dumpns lsuns lspidns pidtree nscaps lsallns nsgraph lsmnt nsrun; do
	page=$ROOT/docs/man/$tool.1
	if [ ! -f "$page" ]; then
		bad "man page $tool.1 exists"
	elif command -v man >/dev/null; then
		if MANWIDTH=80 man --warnings -l "$page" 2>"$tmp/man.err" >"$tmp/man.out" &&
			[ ! -s "$tmp/man.err" ] && grep -q "^NAME" "$tmp/man.out"; then
			ok "man page $tool.1 renders without warnings"
		else
			bad "man page $tool.1 renders without warnings"; head -5 "$tmp/man.err"
		fi
	else
		ok "man page $tool.1 exists # SKIP man is not installed"
	fi
done
for tool in lsuns lspidns pidtree nscaps lsallns nsgraph; do
	for opt in $("${T[$tool]}" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
		grep -qF -- "${opt//-/\\-}" "$ROOT/docs/man/$tool.1" || { bad "$tool.1 documents $opt"; continue 2; }
	done
	ok "$tool.1 documents every option of --help"
done
comp=$ROOT/data/bash-completion/lxkns
if bash -n "$comp" && bash -c 'source "$1"; complete -p lsuns nscaps lsallns nsgraph' _ "$comp" >/dev/null 2>&1; then
	ok "bash completion loads"
else
	bad "bash completion loads"
fi
got=$(bash -c 'source "$1"; COMP_WORDS=(lsallns -o NAMESPACE,TY); COMP_CWORD=2; _lxkns lsallns; echo "${COMPREPLY[*]}"' _ "$comp" 2>/dev/null)
if [ "$got" = "NAMESPACE,TYPE" ]; then ok "bash completion of lsallns -o"; else bad "bash completion of lsallns -o: '$got'"; fi

echo "1..$n"
exit $fail

#!/bin/bash
# The same flags and errors everywhere: every tool and the service answer a
# usage error (unknown option, missing argument, bad value, extra argument)
# with exactly the util-linux pair "TOOL: message" + "Try 'TOOL --help' for
# more information." and exit 1; --help ends with the man page and exits 0;
# every tool that reads discoveries reads -i FILE, and -i /nonexistent is one
# clear line and exit 1.
# Usage: usage.sh TESTS-SRCDIR EXE...   (the tools and the service binary)
set -u
SRC=$1; shift
INPUT=$SRC/golden/inputs/nested.json
fail=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

declare -A T
for exe in "$@"; do T[$(basename "$exe")]=$exe; done

# tool: missing-argument option, bad value args, extra argument args
declare -A MISSING=([dumpns]=--indent [lsuns]=-f [lspidns]=-f [pidtree]=-p [nscaps]=-p
	[lsallns]=-o [nsgraph]=-T [lsmnt]=-p [nsrun]=-t [lxkns]=--cache)
declare -A BADVAL=([dumpns]="--indent 9" [lsuns]="--color=sometimes" [lspidns]="--theme=pink"
	[pidtree]="-p x" [nscaps]="--euid -1 1" [lsallns]="-o BOGUS" [nsgraph]="-T gif"
	[lsmnt]="-p x" [nsrun]="-t x" [lxkns]="--cache x")
declare -A EXTRA=([dumpns]="extra" [lsuns]="a b" [lspidns]="a b" [pidtree]="extra"
	[nscaps]="1 extra" [lsallns]="extra" [nsgraph]="extra" [lsmnt]="a b" [nsrun]="--bogus-later"
	[lxkns]="extra")
declare -A SECTION=([lxkns]=8)

usage_error() { # tool, what, args...
	local tool=$1 what=$2; shift 2
	"${T[$tool]}" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	local rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 2 ] && [ ! -s "$tmp/out" ] &&
		grep -qE "^$tool: [^ ].*" <(head -1 "$tmp/err") &&
		[ "$(tail -1 "$tmp/err")" = "Try '$tool --help' for more information." ]; then
		ok "$tool: $what ($*)"
	else
		bad "$tool: $what ($*): exit $rc"; head -5 "$tmp/err"
	fi
}

for tool in dumpns lsuns lspidns pidtree nscaps lsallns nsgraph lsmnt nsrun lxkns; do
	if [ -z "${T[$tool]:-}" ]; then bad "$tool is built"; continue; fi
	usage_error "$tool" "unknown option" --bogus
	usage_error "$tool" "missing argument" "${MISSING[$tool]}"
	# shellcheck disable=SC2086
	usage_error "$tool" "bad value" ${BADVAL[$tool]}
	if [ "$tool" != nsrun ]; then
		# shellcheck disable=SC2086
		usage_error "$tool" "extra argument" ${EXTRA[$tool]}
	else
		usage_error "$tool" "no command" 'net:[4026531840]'
	fi
	"${T[$tool]}" --help >"$tmp/out" 2>"$tmp/err"
	rc=$?
	want="For more details see $tool(${SECTION[$tool]:-1})."
	if [ $rc -eq 0 ] && [ "$(tail -1 "$tmp/out")" = "$want" ] && [ ! -s "$tmp/err" ]; then
		ok "$tool --help ends with '$want'"
	else
		bad "$tool --help ends with '$want' (exit $rc): '$(tail -1 "$tmp/out")'"
	fi
done

# -i FILE in every tool that reads discoveries
declare -A READ=([dumpns]="" [lsuns]="" [lspidns]="" [pidtree]="" [lsallns]="" [nsgraph]=""
	[nscaps]="-p 1 --euid 0 --capeff 1ffffffffff 4026531840" [nsrun]="4026531840 -- true")
for tool in dumpns lsuns lspidns pidtree lsallns nsgraph nscaps lsmnt nsrun; do
	[ -n "${T[$tool]:-}" ] || continue
	if [ "$tool" != lsmnt ] && [ "$tool" != nsrun ]; then
		# shellcheck disable=SC2086
		"${T[$tool]}" -i "$INPUT" ${READ[$tool]:-} >"$tmp/a" 2>"$tmp/err"
		rc=$?
		# shellcheck disable=SC2086
		"${T[$tool]}" --input - ${READ[$tool]:-} <"$INPUT" >"$tmp/b" 2>>"$tmp/err"
		if [ $rc -eq 0 ] && [ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b" && [ ! -s "$tmp/err" ]; then
			ok "$tool -i FILE and --input - read the saved discovery"
		else
			bad "$tool -i FILE (exit $rc)"; head -3 "$tmp/err"
		fi
	fi
	# shellcheck disable=SC2086
	"${T[$tool]}" -i /nonexistent ${READ[$tool]:-} >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ $rc -eq 1 ] && [ "$(cat "$tmp/err")" = "$tool: cannot open '/nonexistent': No such file or directory" ] &&
		[ ! -s "$tmp/out" ]; then
		ok "$tool -i /nonexistent: one line, exit 1"
	else
		bad "$tool -i /nonexistent (exit $rc)"; head -3 "$tmp/err"
	fi
done
# lsmnt reads the saved discovery too: the namespace it names is looked up there
"${T[lsmnt]}" -i "$INPUT" 'mnt:[4026599999]' >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(cat "$tmp/err")" = "lsmnt: unknown mount namespace 'mnt:[4026599999]'" ]; then
	ok "lsmnt -i FILE looks the namespace up in the saved discovery"
else
	bad "lsmnt -i FILE (exit $rc)"; head -3 "$tmp/err"
fi
# dumpns re-emits a saved discovery in its output format; discovery options are refused
dumpns=${T[dumpns]}
"$dumpns" -i "$INPUT" --indent 4 >"$tmp/a4" && "$dumpns" -i "$tmp/a4" -c >"$tmp/c" &&
	"$dumpns" -i "$INPUT" -c >"$tmp/c2"
if cmp -s "$tmp/c" "$tmp/c2" && grep -q '^    "' "$tmp/a4" && [ "$(wc -l <"$tmp/c")" -eq 1 ]; then
	ok "dumpns -i FILE --indent 4 / -c"
else
	bad "dumpns -i FILE --indent 4 / -c"
fi
usage_error dumpns "discovery option on a saved discovery" -i "$INPUT" -f net

# the service serves a saved discovery: GET /api/namespaces is dumpns -c -i FILE
"${T[lxkns]}" -i /nonexistent >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
if [ $rc -eq 1 ] && [ "$(cat "$tmp/err")" = "lxkns: cannot open '/nonexistent': No such file or directory" ]; then
	ok "lxkns -i /nonexistent: one line, exit 1"
else
	bad "lxkns -i /nonexistent (exit $rc)"; head -3 "$tmp/err"
fi
if command -v curl >/dev/null; then
	"${T[lxkns]}" -i "$INPUT" --http 127.0.0.1:0 --no-containers >"$tmp/svc.out" 2>"$tmp/svc.err" &
	svc=$!
	url=
	for _ in $(seq 100); do
		url=$(sed -n 's|^lxkns serving on \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$tmp/svc.out")
		[ -n "$url" ] && break
		sleep 0.1
	done
	"$dumpns" -c -i "$INPUT" >"$tmp/want"
	timeout 20 curl -sS -m 15 -o "$tmp/got" "$url/api/namespaces?mounts=off" 2>"$tmp/curl.err"
	if [ -n "$url" ] && cmp -s "$tmp/got" "$tmp/want"; then
		ok "lxkns -i FILE serves the saved discovery"
	else
		bad "lxkns -i FILE serves the saved discovery ($url)"; head -3 "$tmp/svc.err" "$tmp/curl.err"
	fi
	kill "$svc"
	wait "$svc"
	rc=$?
	if [ $rc -eq 0 ]; then ok "lxkns -i FILE stops on SIGTERM"; else bad "lxkns -i FILE stops on SIGTERM (exit $rc)"; fi
else
	ok "lxkns -i FILE serves the saved discovery # SKIP curl is not installed"
fi

echo "1..$n"
exit $fail

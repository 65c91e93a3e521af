#!/bin/bash
# Golden tests of dumpns on fixture trees: every output format byte for byte,
# the round trip through --input, and bad arguments/inputs (exit 1 with a
# one-line message naming the problem, never a crash).
# Usage: dumpns.sh DUMPNS TESTS-SRCDIR   (UPDATE=1 rewrites the expected files)
set -u
DUMPNS=$1
SRC=$2
FIX=$SRC/fixtures/proc/basic
EXP=$SRC/golden/expected/dumpns
fail=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A process's "uid" is the owner of its /proc/PID directory: in the fixture
# tree, whoever checked it out. The expected files have root's 0.
FIXUID=$(stat -c %u "$FIX/1")

ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

golden() { # name, args...
	local name=$1; shift
	"$DUMPNS" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	local rc=$?
	[ "$FIXUID" = 0 ] || sed -i -E "s/(\"uid\": ?)$FIXUID\b/\10/g" "$tmp/$name.out"
	if [ -n "${UPDATE:-}" ]; then mkdir -p "$EXP"; cp "$tmp/$name.out" "$EXP/$name"; fi
	if [ $rc -eq 0 ] && cmp -s "$tmp/$name.out" "$EXP/$name"; then
		ok "$name"
	else
		bad "$name (exit $rc)"; diff -u "$EXP/$name" "$tmp/$name.out" | head -40
	fi
}

golden basic.json --proc "$FIX"
golden basic-compact.json --proc "$FIX" -c
golden basic-tab.json --proc "$FIX" -t
golden basic-indent4.json --proc "$FIX" --indent 4
golden basic-net-only.json --proc "$FIX" -f net --no-tasks -c
golden basic-processes.json --proc "$FIX" --processes -c
golden basic-pidmap.json --proc "$FIX" --pidmap
golden basic-no-hierarchy.json --proc "$FIX" --no-hierarchy --no-ownership --no-fds -c

# the round trip: what we write, we read back to the same bytes
"$DUMPNS" --input "$EXP/basic.json" >"$tmp/rt.json" 2>"$tmp/rt.err"
if cmp -s "$tmp/rt.json" "$EXP/basic.json"; then ok "round trip via --input"; else bad "round trip via --input"; fi
"$DUMPNS" --input - -c <"$EXP/basic.json" >"$tmp/rt2.json" 2>/dev/null
if cmp -s "$tmp/rt2.json" "$EXP/basic-compact.json"; then ok "round trip via stdin"; else bad "round trip via stdin"; fi

# "held-by" (detached mounts, the kernel's list, bind mounts in such a
# namespace) reads back to the same bytes
"$DUMPNS" --input "$EXP/held-by.json" >"$tmp/held.json" 2>"$tmp/held.err"
if cmp -s "$tmp/held.json" "$EXP/held-by.json"; then ok "round trip of held-by"; else bad "round trip of held-by"; diff -u "$EXP/held-by.json" "$tmp/held.json" | head; fi

# diagnostics of the broken fixture processes
"$DUMPNS" --proc "$FIX" --diagnostics >/dev/null 2>"$tmp/diag"
for want in "process 104 vanished during the scan" \
	"cannot read the stat of 105: malformed" \
	"status of 103 has no NSpid line" \
	"cannot read the namespaces of 103: Bad message"; do
	if grep -qF "dumpns: $want" "$tmp/diag"; then ok "diagnostic: $want"; else bad "diagnostic: $want"; cat "$tmp/diag"; fi
done

expect_fail() { # expected message, args...
	local msg=$1; shift
	"$DUMPNS" "$@" >"$tmp/f.out" 2>"$tmp/f.err" </dev/null
	local rc=$?
	if [ $rc -eq 1 ] && grep -qF "$msg" "$tmp/f.err" && [ "$(wc -l <"$tmp/f.err")" -le 40 ]; then
		ok "fails cleanly: $*"
	else
		bad "fails cleanly: $* (exit $rc)"; cat "$tmp/f.err"
	fi
}
printf '{"namespaces": {' >"$tmp/cut.json"
printf '{"namespaces": {"1": {"nsid": 1, "type": "net"}}, "processes": {"1": {"pid": "x"}}}' >"$tmp/badpid.json"
head -c 5000 "$EXP/basic.json" >"$tmp/truncated.json"
expect_fail "dumpns: invalid indent '9' (0..8)" --indent 9
expect_fail "dumpns: invalid indent 'x' (0..8)" --indent x
expect_fail "dumpns: invalid namespace type filter 'nope'" -f nope
expect_fail "dumpns: unexpected argument 'extra'" extra
expect_fail "unrecognized option" --bogus
expect_fail "dumpns: cannot open '/nonexistent.json': No such file or directory" --input /nonexistent.json
expect_fail "dumpns: cannot read a discovery from '$tmp/cut.json': line 1, column 16" --input "$tmp/cut.json"
expect_fail "dumpns: cannot read a discovery from '$tmp/badpid.json': process 1: not a valid PID" --input "$tmp/badpid.json"
expect_fail "dumpns: cannot read a discovery from '$tmp/truncated.json'" --input "$tmp/truncated.json"
sed 's/"detached-mount"/"magic"/' "$EXP/held-by.json" >"$tmp/held-kind.json"
expect_fail "dumpns: cannot read a discovery from '$tmp/held-kind.json': namespace 4026532173: \"held-by\" has an unknown \"kind\"" --input "$tmp/held-kind.json"
sed 's/"fd": 7/"fd": -7/' "$EXP/held-by.json" >"$tmp/held-fd.json"
expect_fail "dumpns: cannot read a discovery from '$tmp/held-fd.json': namespace 4026532173: \"held-by\" has a negative fd" --input "$tmp/held-fd.json"
expect_fail "dumpns: discovery failed: No such file or directory" --proc /nonexistent/proc
expect_fail "dumpns: cannot read a discovery from 'stdin'" --input -

# --help and --version
if "$DUMPNS" --help | grep -q -- "--no-bindmounts"; then ok "--help"; else bad "--help"; fi
if "$DUMPNS" --version | grep -Eq '^dumpns \(lxkns\) [0-9]+\.[0-9]+\.[0-9]+$'; then ok "--version"; else bad "--version"; fi

echo "1..$n"
exit $fail

#!/bin/bash
# The whole test suite: installs what is missing, then
#   1. a -Werror build and every suite (unit, fuzz, golden, live,
#      containers-fast, containers, service, browser, deploy, and source:
#      clang-format and cppcheck, see scripts/check-source.sh), and the
#      release tarball (meson dist) built offline (scripts/check-dist.sh),
#   2. an ASan+UBSan build and every suite again (but deploy and source),
#   3. valgrind (memcheck, leaks are errors) on the unit and fuzz suites, the
#      tools, the service under its HTTP tests, and a live discovery.
# Live tests need root; without it they report "skipped". The browser suite
# (the web UI in chromium) runs in the -Werror and ASan builds.
# Prints "N passed, N failed, N skipped" last; exits non-zero on failures.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1

passed=0 failed=0 skipped=0
count() { # testlog.json of a meson test run
	read -r p f s < <(python3 - "$1" <<'PY'
import json, sys
r = [json.loads(l)["result"] for l in open(sys.argv[1])]
print(sum(x in ("OK", "EXPECTEDFAIL") for x in r),
      sum(x in ("FAIL", "UNEXPECTEDPASS", "TIMEOUT", "ERROR") for x in r),
      r.count("SKIP"))
PY
)
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}
check() { # name, command...: one more test of our own
	local name=$1; shift
	if "$@"; then passed=$((passed + 1)); echo "OK   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
setup() { # dir, options...
	local dir=$1; shift
	if [ -d "$dir" ]; then meson setup --reconfigure "$dir" "$@" >/dev/null
	else meson setup "$dir" "$@" >/dev/null; fi && ninja -C "$dir" >/dev/null
}

echo "== build (-Werror) and all suites"
if setup build-test -Dwerror=true --buildtype=debugoptimized; then
	meson test -C build-test --print-errorlogs --num-processes 2
	count build-test/meson-logs/testlog.json
else
	check "build with -Werror" false
fi

# (the installed library as a consumer sees it, pkg-config with no other
# .pc file: the unit test pkgconfig-consumer, above)

echo "== release tarball: meson dist, built offline (no npm) with the built web UI"
[ -d build-test ] && check "meson dist tarball builds without npm and serves its UI" \
	bash scripts/check-dist.sh build-test

echo "== ASan+UBSan build and all suites"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if setup build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug; then
	# not the deploy suite: it runs the build in an image, where ASan's
	# leak checker (ptrace) is refused by the seccomp profile; not the
	# source checks, which read the sources, not the build; not the abi
	# suite: the baseline is the dump of the -Werror build, not of ASan's
	meson test -C build-asan --print-errorlogs --num-processes 2 --no-suite deploy --no-suite source --no-suite abi
	count build-asan/meson-logs/testlog.json
else
	check "ASan+UBSan build" false
fi
unset ASAN_OPTIONS UBSAN_OPTIONS

echo "== valgrind"
if [ -d build-test ]; then
	meson test -C build-test --setup=valgrind --suite unit --suite fuzz --print-errorlogs --num-processes 2
	count build-test/meson-logs/testlog-valgrind.json
	vg_live() {
		valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--show-leak-kinds=definite,indirect --error-exitcode=99 --track-fds=yes \
			--log-file=build-test/valgrind-dumpns.log ./build-test/tools/dumpns -c >/dev/null &&
			! awk '/Open file descriptor [0-9]+:/ { fd = $5; getline; if ($0 !~ /inherited from parent/) print fd }' \
				build-test/valgrind-dumpns.log | grep -q . ||
			{ cat build-test/valgrind-dumpns.log; return 1; }
	}
	check "valgrind: a live discovery by dumpns leaks no memory and no fd" vg_live
	vg_tools() { # every golden case of the tree and table tools, then live runs
		local vg="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
			--show-leak-kinds=definite,indirect --error-exitcode=99" t
		TOOL_WRAPPER=$vg bash tests/golden/tools.sh tests \
			build-test/tools/{lsuns,lspidns,pidtree,nscaps,lsallns,nsgraph} \
			>build-test/valgrind-tools.log 2>&1 ||
			{ grep -A8 '^not ok' build-test/valgrind-tools.log | head -80; return 1; }
		local netns
		netns=$(stat -L -c %i /proc/self/ns/net)
		for t in "lsuns -d" "lspidns -u" pidtree lsallns "nscaps $netns" nsgraph; do
			# shellcheck disable=SC2086
			$vg --log-file=build-test/valgrind-tool.log ./build-test/tools/$t >/dev/null 2>&1 ||
				{ echo "valgrind: $t failed"; cat build-test/valgrind-tool.log; return 1; }
		done
	}
	check "valgrind: the tools render every golden case and a live discovery without leaks" vg_tools
	vg_service() { # the service's HTTP tests with the service under valgrind
		LXKNS_SERVICE_WRAPPER="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
			--show-leak-kinds=definite,indirect --error-exitcode=99" \
			python3 tests/service/test-http.py build-test/service/lxkns tests build-test/tools/dumpns \
			>build-test/valgrind-service.log 2>&1 ||
			{ grep -B2 -A12 '^not ok' build-test/valgrind-service.log | head -80; tail -5 build-test/valgrind-service.log; return 1; }
	}
	[ -x build-test/service/lxkns ] &&
		check "valgrind: the service answers every HTTP test without leaks or errors" vg_service
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

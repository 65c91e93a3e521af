#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The release tarball builds offline with the built web UI: meson dist in
# BUILDDIR (its build must have the web UI), unpack, then configure and build
# with -Dweb_ui=enabled and a PATH without node, npm and npx, and check that
# the service embeds the tarball's UI (GET / is web/prebuilt/index.html)
# and that it and dumpns say the tarball's version.
#   scripts/check-dist.sh BUILDDIR [meson dist options, e.g. --allow-dirty]
# CI runs it from scripts/test.sh. Exits non-zero on a failure.
set -euo pipefail
build=$(realpath "${1:?usage: check-dist.sh BUILDDIR [meson dist options]}")
shift
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
svc=
cleanup() {
	[ -z "$svc" ] || kill "$svc" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "check-dist: $*" >&2; exit 1; }

version=$(meson introspect --projectinfo "$build" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
rm -f "$build/meson-dist/lxkns-$version.tar.xz"
meson dist -C "$build" --no-tests --formats xztar "$@" >"$work/dist.log" 2>&1 ||
	{ cat "$work/dist.log"; fail "meson dist failed"; }
tarball=$build/meson-dist/lxkns-$version.tar.xz
[ -f "$tarball" ] || fail "no $tarball"
echo "check-dist: $(basename "$tarball"), $(du -k "$tarball" | cut -f1) KiB"
tar -C "$work" -xf "$tarball"
tree=$work/lxkns-$version
[ -f "$tree/web/prebuilt/index.html" ] || fail "the tarball has no web/prebuilt/index.html"
[ ! -e "$tree/web/node_modules" ] || fail "the tarball carries web/node_modules"
cmp -s "$tree/web/prebuilt/index.html" "$src/service/fallback/index.html" &&
	fail "web/prebuilt is the fallback page, not the UI"

# PATH: /usr/bin and /usr/sbin without node, npm, npx, corepack
mkdir "$work/bin"
for f in /usr/sbin/* /usr/bin/*; do
	case ${f##*/} in node | nodejs | npm | npx | corepack) continue ;; esac
	[ -e "$work/bin/${f##*/}" ] || ln -s "$f" "$work/bin/${f##*/}"
done
export PATH=$work/bin
! command -v npm >/dev/null && ! command -v node >/dev/null || fail "npm or node still on PATH"

(cd "$tree" && meson setup "$work/b" -Dweb_ui=enabled -Dlive_tests=false --buildtype=debugoptimized) \
	>"$work/setup.log" 2>&1 || { tail -20 "$work/setup.log"; fail "meson setup of the tarball failed"; }
grep -q "web UI: the prebuilt one" "$work/setup.log" || fail "meson setup did not take web/prebuilt"
# what is installed: the library, the tools, the service
ninja -C "$work/b" -j2 "lib/liblxkns.so.$version" service/lxkns \
	tools/{dumpns,lsuns,lspidns,pidtree,nscaps,lsallns,nsgraph,lsmnt,nsrun} >"$work/build.log" 2>&1 ||
	{ tail -20 "$work/build.log"; fail "the tarball does not build offline"; }
echo "check-dist: the tarball builds without node and npm"

for exe in "$work/b/tools/dumpns" "$work/b/service/lxkns"; do
	v=$("$exe" --version)
	[ "${v##* }" = "$version" ] || fail "$exe --version: '$v', not $version"
done
"$work/b/service/lxkns" --http 127.0.0.1:0 --procfs "$src/tests/fixtures/proc/basic" >"$work/svc.out" 2>/dev/null &
svc=$!
url=
for _ in $(seq 100); do
	url=$(sed -nE 's|.*serving on (http://[^ /]+)/?$|\1|p' "$work/svc.out" | head -1)
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || fail "the tarball's service did not start"
python3 - "$url" "$tree/web/prebuilt/index.html" <<'PY' || fail "the tarball's service does not serve the prebuilt UI"
import sys, urllib.request
url, index = sys.argv[1], sys.argv[2]
with urllib.request.urlopen(url + "/", timeout=20) as r:
    body = r.read()
with urllib.request.urlopen(url + "/api/namespaces", timeout=20) as r:
    api = r.status
sys.exit(0 if body == open(index, "rb").read() and api == 200 else 1)
PY
echo "check-dist: the service of the tarball serves its UI and the API"

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# check-abi.sh SRCROOT LIBRARY: compares the ABI of the built liblxkns.so
# with the committed baseline lib/abi/liblxkns.so.0.abi (abidw + abidiff,
# Debian: abigail-tools) and fails on any difference, additions included:
# an intended change updates the baseline with scripts/update-abi.sh. The
# meson test `abi-baseline` (suite abi) runs it; not under ASan (another
# build's code, same ABI). Exit 77 (skipped) without abidiff.
set -euo pipefail
src=$1
lib=$(readlink -f "$2")
base=$src/lib/abi/liblxkns.so.0.abi
if ! command -v abidw >/dev/null || ! command -v abidiff >/dev/null; then
	echo "check-abi: abidw/abidiff missing (apt-get install abigail-tools)"
	exit 77
fi
if ! readelf -S "$lib" | grep '\.debug_info' >/dev/null; then  # no -q: SIGPIPE + pipefail
	echo "check-abi: $lib has no debug info (build with -g): types cannot be compared"
	exit 77
fi
[ -f "$base" ] || { echo "check-abi: no baseline $base (scripts/update-abi.sh)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
abidw --no-corpus-path --no-comp-dir-path --type-id-style hash \
	--headers-dir "$src/include/lxkns" --drop-private-types --out-file "$tmp/now.abi" "$lib"
rc=0
abidiff --no-show-locs "$base" "$tmp/now.abi" >"$tmp/diff" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
	cat "$tmp/diff"
	echo "check-abi: the ABI of $lib differs from lib/abi/liblxkns.so.0.abi (abidiff exit $rc)."
	echo "check-abi: if the change is intended, follow ARCHITECTURE.md (\"The C API and ABI\"):"
	echo "check-abi: new symbols under a new version node in lib/liblxkns.sym, incompatible"
	echo "check-abi: changes bump the soname, then run: scripts/update-abi.sh <builddir>"
	exit 1
fi
echo "check-abi: the ABI equals lib/abi/liblxkns.so.0.abi"

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# update-abi.sh [BUILDDIR]: rewrites the ABI baseline lib/abi/liblxkns.so.0.abi
# from the library built in BUILDDIR (default: build), after an intended
# change of the public ABI (see ARCHITECTURE.md, "The C API and ABI"). The
# test `abi-baseline` (suite abi) then passes again; commit the new dump with
# the change. Needs abidw (Debian: abigail-tools).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
lib=$(readlink -f "$build/lib/liblxkns.so.0")
[ -f "$lib" ] || { echo "update-abi: no $build/lib/liblxkns.so.0: build first" >&2; exit 1; }
command -v abidw >/dev/null || { echo "update-abi: abidw missing (apt-get install abigail-tools)" >&2; exit 1; }
abidw_dump() { # the one way the dump is made: here and in check-abi.sh
	abidw --no-corpus-path --no-comp-dir-path --type-id-style hash \
		--headers-dir "$src/include/lxkns" --drop-private-types --out-file "$2" "$1"
}
mkdir -p "$src/lib/abi"
abidw_dump "$lib" "$src/lib/abi/liblxkns.so.0.abi"
echo "update-abi: wrote lib/abi/liblxkns.so.0.abi from $lib"

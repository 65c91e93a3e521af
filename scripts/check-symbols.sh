#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# check-symbols.sh SRCROOT LIBRARY: the symbols liblxkns.so exports (nm -D,
# with their versions) are exactly those debian/liblxkns0.symbols lists.
# dpkg-gensymbols only warns about a new export, so without this check a
# function added to the library would reach a release without the minimum
# version that packages built against it need. The meson test
# `debian-symbols` (suite abi) runs it.
set -euo pipefail
src=$1
lib=$(readlink -f "$2")
list=$src/debian/liblxkns0.symbols
[ -f "$list" ] || { echo "check-symbols: no $list"; exit 1; }
command -v nm >/dev/null || { echo "check-symbols: nm missing (binutils)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# "name@@VERSION" (the default version) or "VERSION" itself (type A)
nm -D --defined-only --with-symbol-versions "$lib" |
	awk '{ s = $3; sub(/@@/, "@", s); if ($2 == "A") s = s "@" s; print s }' |
	sort -u >"$tmp/exported"
# the symbols file: " name@VERSION MINVER" lines (after the header and the
# "* Field:" lines)
sed -n 's/^ \([^ ]*\) .*/\1/p' "$list" | sort -u >"$tmp/listed"
if ! cmp -s "$tmp/exported" "$tmp/listed"; then
	comm -23 "$tmp/exported" "$tmp/listed" | sed 's/^/exported, not in debian\/liblxkns0.symbols: /'
	comm -13 "$tmp/exported" "$tmp/listed" | sed 's/^/in debian\/liblxkns0.symbols, not exported: /'
	echo "check-symbols: add a new export to debian/liblxkns0.symbols with the version that" \
		"first has it (and run scripts/update-abi.sh)"
	exit 1
fi
echo "check-symbols: $(wc -l <"$tmp/exported") symbols, as debian/liblxkns0.symbols lists them"

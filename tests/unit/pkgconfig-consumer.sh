#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The installed library as a consumer sees it: meson install into a scratch
# DESTDIR, then with pkg-config looking there only (PKG_CONFIG_LIBDIR: no
# jansson.pc or libcurl.pc to fall back on, as with only liblxkns-dev
# installed) every installed header compiles alone (c99 -pedantic), and a
# program built with `pkg-config --cflags --libs lxkns` discovers and prints
# a process count. TAP output.
#   pkgconfig-consumer.sh BUILDDIR
set -uo pipefail
build=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

if ! meson install -C "$build" --no-rebuild --destdir "$dest" >"$dest/install.log" 2>&1; then
	bad "meson install"; tail -5 "$dest/install.log"; echo "1..$n"; exit 1
fi
ok "meson install into a scratch DESTDIR"
pc=$(find "$dest" -name lxkns.pc | head -1)
lib=$(find "$dest" -name 'liblxkns.so.0' | head -1)
[ -n "$pc" ] && [ -n "$lib" ] && ok "lxkns.pc and liblxkns.so.0 installed" ||
	{ bad "lxkns.pc and liblxkns.so.0 installed"; echo "1..$n"; exit 1; }
export PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=${pc%/*}
unset PKG_CONFIG_PATH
if cflags=$(pkg-config --cflags lxkns 2>"$dest/pc.err") && libs=$(pkg-config --libs lxkns 2>>"$dest/pc.err"); then
	ok "pkg-config --cflags --libs lxkns with no other .pc file ($cflags $libs)"
else
	bad "pkg-config --cflags --libs lxkns with no other .pc file"; cat "$dest/pc.err"; echo "1..$n"; exit 1
fi
[ "$(pkg-config --modversion lxkns)" = "$(grep -m1 -oE "version : '[^']+'" "$(dirname "$0")/../../meson.build" | cut -d"'" -f2)" ] &&
	ok "pkg-config --modversion is meson's version" || bad "pkg-config --modversion is meson's version"
grep -qE '^Requires' "$pc" && bad "lxkns.pc requires no other package: $(grep -E '^Requires' "$pc")" ||
	ok "lxkns.pc requires no other package"

headers_ok=1
nh=0
for h in $(find "$dest" -path '*/include/lxkns/*.h'); do
	nh=$((nh + 1))
	# (a declaration after it: version.h alone holds only macros)
	# shellcheck disable=SC2086
	printf '#include <lxkns/%s>\nint consumer;\n' "$(basename "$h")" | gcc -std=c99 -pedantic -Werror -Wall $cflags -x c -c -o /dev/null - ||
		{ headers_ok=0; echo "# $(basename "$h") does not compile alone"; }
done
[ $headers_ok = 1 ] && [ $nh -gt 10 ] && ok "every installed header compiles alone (c99 -pedantic; $nh)" ||
	bad "every installed header compiles alone (c99 -pedantic; $nh)"

cat >"$dest/c.c" <<'C'
#include <lxkns/lxkns.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
	struct lxkns_result *r;
	if (strcmp(lxkns_version(), LXKNS_VERSION_STRING) != 0)
		return 2;
	if (lxkns_discover(NULL, &r) < 0)
		return 1;
	printf("%zu\n", lxkns_result_process_count(r));
	lxkns_result_unref(r);
	return 0;
}
C
# shellcheck disable=SC2086
if gcc -std=gnu17 -Wall -Werror $cflags -o "$dest/c" "$dest/c.c" $libs 2>"$dest/cc.err"; then
	ok "a consumer compiles and links with pkg-config's flags only"
	out=$(LD_LIBRARY_PATH=${lib%/*} "$dest/c")
	[[ $out =~ ^[1-9][0-9]*$ ]] && ok "the consumer runs against the installed library ($out processes)" ||
		bad "the consumer runs against the installed library: '$out'"
else
	bad "a consumer compiles and links with pkg-config's flags only"; cat "$dest/cc.err"
fi
echo "1..$n"
exit $fail

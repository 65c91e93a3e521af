#!/bin/bash
# The Debian packages (debian/) where users install them:
#   - built with dpkg-buildpackage -us -uc -b from a clean copy of the
#     committed tree (git archive HEAD: what is not committed is not tested),
#     nocheck (the unit and golden suites run in every build anyway);
#   - checked with lintian (errors fail; warnings are logged);
#   - installed with apt into a fresh minimal Debian 12 root (mmdebstrap
#     --variant=apt bookworm, made while the packages build), proc mounted:
#     first liblxkns-dev alone (with build-essential): a consumer program
#     compiled with gcc $(pkg-config --cflags --libs lxkns) runs a discovery;
#     then lxkns and python3-lxkns: dumpns (JSON with this process's
#     namespaces), lsuns, the service on 127.0.0.1:PORT (the API and the
#     real web UI answer 200), and the Python modules.
# Everything is removed at exit: the service (by PID), the proc mount, the
# work directory with the tree, the packages and the root.
#
#   bash tests/deploy/debian.sh SOURCE_ROOT     (root; needs the network to
#                                                Debian's archive and npm)
source "$(dirname "${BASH_SOURCE[0]}")/../containers/lib.sh"
SRC=$(realpath "${1:?usage: debian.sh SOURCE_ROOT}")

[ "$(id -u)" = 0 ] || ct_skip_all "needs root (chroot, mount)"
need git dpkg-buildpackage dpkg-checkbuilddeps lintian mmdebstrap jq curl python3
[ -e "$SRC/.git" ] || ct_skip_all "$SRC is not a git checkout"
git -C "$SRC" diff --quiet HEAD -- 2>/dev/null ||
	log "uncommitted changes in $SRC are not part of this test (git archive HEAD)"
W=$(mktemp -d /tmp/lxdeb.XXXXXX) || ct_skip_all "cannot create a work directory"
trap ct_cleanup EXIT
trap 'exit 1' INT TERM
T0=$SECONDS
R=$W/root

# ---- the root, made while the packages build ---------------------------------
mmdebstrap --quiet --variant=apt bookworm "$R" >"$W/mmdebstrap.log" 2>&1 &
MMPID=$!
track $MMPID

# ---- the packages ------------------------------------------------------------
mkdir "$W/src"
git -C "$SRC" archive HEAD | tar -x -C "$W/src"
if ! (cd "$W/src" && dpkg-checkbuilddeps) >"$W/bd.log" 2>&1; then
	not_ok "build dependencies (scripts/install-deps.sh): $(tail -1 "$W/bd.log")"
	ct_done
fi
# npm's downloads are kept where npm keeps them for the meson builds
# (debhelper points HOME elsewhere)
NPM_CACHE=$(npm config get cache 2>/dev/null || true)
if (cd "$W/src" && env DEB_BUILD_OPTIONS="nocheck parallel=2" ${NPM_CACHE:+npm_config_cache="$NPM_CACHE"} \
	dpkg-buildpackage -us -uc -b) >"$W/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b builds from git archive HEAD ($((SECONDS - T0)) s)"
else
	not_ok "dpkg-buildpackage -us -uc -b"
	tail -30 "$W/build.log" | sed 's/^/#   /'
	ct_done
fi
VER=$(cd "$W/src" && dpkg-parsechangelog -S Version)
ARCH=$(dpkg --print-architecture)
DEBS=()
for p in lxkns_"$VER"_"$ARCH" liblxkns0_"$VER"_"$ARCH" liblxkns-dev_"$VER"_"$ARCH" python3-lxkns_"$VER"_all; do
	[ -f "$W/$p.deb" ] && DEBS+=("$W/$p.deb")
done
check "the four packages lxkns, liblxkns0, liblxkns-dev, python3-lxkns" test ${#DEBS[@]} = 4
[ ${#DEBS[@]} = 4 ] || ct_done

# the packages' contents
has() { # PACKAGE FILE...: the package holds every FILE
	local list f
	list=$(dpkg-deb -c "$W/$1"_*.deb | awk '{print $6}' | sed 's|^\.||; s| ->.*||')
	for f in "${@:2}"; do grep -qxF "$f" <<<"$list" || { log "$1 lacks $f"; return 1; }; done
}
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
check "lxkns holds the tools, the service, man pages, completion, the units" has lxkns \
	/usr/bin/{dumpns,lsuns,lspidns,pidtree,nscaps,lsallns,nsgraph,lsmnt,nsrun,lxkns} \
	/usr/share/man/man1/dumpns.1.gz /usr/share/man/man8/lxkns.8.gz \
	/usr/share/bash-completion/completions/dumpns \
	/lib/systemd/system/lxkns.service /lib/systemd/system/lxkns.socket
check "liblxkns0 holds the library" has liblxkns0 "/usr/lib/$MA/liblxkns.so.0"
check "liblxkns-dev holds headers, lxkns.pc, liblxkns.so, lxkns(3)" has liblxkns-dev \
	/usr/include/lxkns/lxkns.h "/usr/lib/$MA/pkgconfig/lxkns.pc" "/usr/lib/$MA/liblxkns.so" \
	/usr/share/man/man3/lxkns.3.gz
check "python3-lxkns holds lxkns, linuxns_rel and lspidns-rel (not lspidns)" eval \
	'has python3-lxkns /usr/lib/python3/dist-packages/lxkns/__init__.py \
		/usr/lib/python3/dist-packages/linuxns_rel/__init__.py /usr/bin/lspidns-rel &&
	 ! dpkg-deb -c "$W"/python3-lxkns_*.deb | grep -q " \./usr/bin/lspidns$"'
check "liblxkns0 has a symbols file" eval "dpkg-deb -I '$W'/liblxkns0_*.deb symbols | grep -q '^ lxkns_discover@LXKNS_0.1 '"
rec=$(dpkg-deb -f "$W"/liblxkns0_*.deb Recommends)
check "liblxkns0 recommends libcurl (OpenSSL or GnuTLS flavour): $rec" \
	grep -q 'libcurl4 | libcurl3-gnutls' <<<"$rec"

# lintian, while mmdebstrap may still be busy
lintian --fail-on error "${DEBS[@]}" >"$W/lintian.log" 2>&1
rc=$?
check "lintian: no errors ($(grep -c '^W:' "$W/lintian.log") warnings)" test $rc = 0
grep -E '^(E|W):' "$W/lintian.log" | head -20 | sed 's/^/#   /'

# ---- a fresh Debian 12 ---------------------------------------------------------
if ! wait "$MMPID"; then
	not_ok "mmdebstrap --variant=apt bookworm"
	tail -5 "$W/mmdebstrap.log" | sed 's/^/#   /'
	ct_done
fi
ok "mmdebstrap --variant=apt bookworm ($((SECONDS - T0)) s)"
mount -t proc proc "$R/proc" || { not_ok "mount proc"; ct_done; }
later "umount '$R/proc' || umount -l '$R/proc'"
mkdir "$R/debs"
cp "${DEBS[@]}" "$R/debs/"
deb() { echo "/debs/$1_${VER}_$([ "$1" = python3-lxkns ] && echo all || echo "$ARCH").deb"; }
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 HOME=/root "$@"; }
apt_in_root() { in_root env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 "$@"; }
apt_in_root update >"$W/apt.log" 2>&1 || { not_ok "apt-get update in the root"; ct_done; }

# the library alone: liblxkns-dev (and what it pulls in) and build-essential
if apt_in_root install "$(deb liblxkns-dev)" "$(deb liblxkns0)" build-essential \
	>>"$W/apt.log" 2>&1; then
	ok "apt-get install ./liblxkns-dev*.deb build-essential"
else
	not_ok "apt-get install ./liblxkns-dev*.deb build-essential"
	tail -10 "$W/apt.log" | sed 's/^/#   /'
	ct_done
fi
check "the root has no lxkns tools yet" test ! -e "$R/usr/bin/dumpns"
cat >"$R/tmp/consumer.c" <<'EOF'
#include <lxkns/lxkns.h>
#include <stdio.h>
int main(void)
{
	struct lxkns_result *r;
	if (lxkns_discover(NULL, &r) < 0)
		return 1;
	printf("%s %zu\n", lxkns_version(), lxkns_result_process_count(r));
	lxkns_result_unref(r);
	return 0;
}
EOF
if in_root sh -c 'gcc -Wall -Werror -o /tmp/consumer /tmp/consumer.c $(pkg-config --cflags --libs lxkns)' \
	>"$W/gcc.log" 2>&1; then
	ok "gcc \$(pkg-config --cflags --libs lxkns) builds a consumer"
	out=$(in_root /tmp/consumer 2>&1)
	check "the consumer discovers with the installed liblxkns.so.0: $out" \
		grep -Eq "^$VER [1-9][0-9]*$" <<<"$out"
else
	not_ok "gcc \$(pkg-config --cflags --libs lxkns) builds a consumer"
	head -5 "$W/gcc.log" | sed 's/^/#   /'
fi

# the tools, the service and the Python modules
if apt_in_root install "$(deb lxkns)" "$(deb python3-lxkns)" >>"$W/apt.log" 2>&1; then
	ok "apt-get install ./lxkns*.deb ./python3-lxkns*.deb"
else
	not_ok "apt-get install ./lxkns*.deb ./python3-lxkns*.deb"
	tail -10 "$W/apt.log" | sed 's/^/#   /'
	ct_done
fi
unit=$R/lib/systemd/system/lxkns.service
check "the packaged unit is deployments/systemd/lxkns.service: capabilities from AmbientCapabilities=, no root" \
	eval "cmp -s '$unit' '$W/src/deployments/systemd/lxkns.service' &&
		grep -q '^AmbientCapabilities=CAP_SYS_PTRACE ' '$unit' && grep -q '^DynamicUser=yes' '$unit' &&
		! grep -q '^User=' '$unit'"
check "lxkns.socket is not enabled at install" test ! -e "$R/etc/systemd/system/sockets.target.wants/lxkns.socket"
nofcaps() { # FILE: it has no security.capability attribute (ENODATA)
	python3 -c 'import errno, os, sys
try:
    os.getxattr(sys.argv[1], "security.capability")
except OSError as e:
    sys.exit(0 if e.errno == errno.ENODATA else 1)
sys.exit(1)' "$1"
}
check "/usr/bin/lxkns has no setuid bit and no file capabilities" eval \
	"[ ! -u '$R/usr/bin/lxkns' ] && nofcaps '$R/usr/bin/lxkns'"
USERNS=$(stat -L -c %i /proc/self/ns/user)
NETNS=$(stat -L -c %i /proc/self/ns/net)
in_root dumpns >"$W/dump.json" 2>"$W/dump.err"
rc=$?
dump_ok() {
	[ "$rc" = 0 ] && jq -e --arg u "$USERNS" --arg n "$NETNS" \
		'(.namespaces[$u].type == "user") and (.namespaces[$n].type == "net") and (.processes | length > 0)' \
		"$W/dump.json" >/dev/null
}
check "dumpns: exit 0, JSON with this process's user and net namespaces ($USERNS, $NETNS)" dump_ok
[ $rc = 0 ] || log "dumpns exit $rc: $(head -2 "$W/dump.err")"
out=$(in_root lsuns 2>&1)
check "lsuns: the tree holds user:[$USERNS]" grep -qF "user:[$USERNS]" <<<"$out"
check "lspidns is the C tool (ELF)" eval "head -c4 '$R/usr/bin/lspidns' | grep -q ELF"
out=$(in_root python3 -c 'import lxkns, linuxns_rel; d = lxkns.discover(); print(len(d.namespaces), linuxns_rel.nstype_str(linuxns_rel.get_nstype("/proc/self/ns/net")))' 2>&1)
check "python3-lxkns: lxkns.discover() and linuxns_rel ($out)" grep -Eq '^[1-9][0-9]* net$' <<<"$out"
out=$(in_root lspidns-rel 2>&1 | head -1)
check "lspidns-rel: linuxns_rel's PID namespace tree ($out)" grep -q '^pid:\[[0-9]*\] ' <<<"$out"

# the service, on a free loopback port (as root here: no systemd in the root)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chroot "$R" /usr/bin/lxkns --http "127.0.0.1:$PORT" >"$W/service.log" 2>&1 &
SVC=$!
track $SVC
U=http://127.0.0.1:$PORT
if wait_for "the service" 30 curl -sf -o /dev/null "$U/healthz"; then
	ok "the service answers on 127.0.0.1:$PORT"
	code=$(curl -s -o "$W/ns.json" -w '%{http_code}' "$U/api/namespaces")
	check "GET /api/namespaces: 200 with user:[$USERNS] (got $code)" eval \
		"[ '$code' = 200 ] && jq -e --arg u '$USERNS' '.namespaces[\$u].type == \"user\"' '$W/ns.json' >/dev/null"
	code=$(curl -s -o "$W/index.html" -w '%{http_code}' "$U/")
	js=$(grep -o 'src="[^"]*assets/index-[^"]*\.js"' "$W/index.html" | head -1 | sed 's/^src="//; s/"$//')
	check "GET /: 200, the built UI (not the fallback page), loading $js (got $code)" eval \
		"[ '$code' = 200 ] && [ -n '$js' ] && ! grep -q 'built without its web UI' '$W/index.html'"
	code=$(curl -s -o "$W/ui.js" -w '%{http_code} %{content_type}' "$U/${js#/}")
	check "GET $js: 200, JavaScript, the Preact bundle ($code, $(stat -c %s "$W/ui.js") bytes)" eval \
		"[ '${code%% *}' = 200 ] && grep -q javascript <<<'$code' && [ \$(stat -c %s '$W/ui.js') -gt 10000 ] && grep -q '__H' '$W/ui.js'"
else
	not_ok "the service answers on 127.0.0.1:$PORT"
	head -5 "$W/service.log" | sed 's/^/#   /'
fi
log "done in $((SECONDS - T0)) s"
ct_done

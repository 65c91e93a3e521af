#!/bin/bash
# Installs what lxkns needs on Debian 12 (run as root), by purpose:
#   install-deps.sh build   compiling the library, the tools and the service
#                           (and the web UI: node and npm)
#   install-deps.sh run     running them (shared libraries, graphviz for
#                           nsgraph -T svg|png, the libcurl liblxkns dlopen()s)
#   install-deps.sh test    everything: build, run and what the test suites
#                           need (container engines, chromium, valgrind...)
# Several purposes may be given (run.sh: build run). No argument means test,
# i.e. everything (scripts/test.sh and CI call it so).
# Only installs what is missing, so a second run costs nothing.
set -euo pipefail

BUILD=(
	meson ninja-build gcc pkgconf python3
	libjansson-dev libsmartcols-dev libcap-dev libmicrohttpd-dev
	# libcurl's headers: liblxkns dlopen()s the library when it finds an engine
	libcurl4-openssl-dev
)
RUN=(
	libjansson4 libsmartcols1 libcap2 libmicrohttpd12
	# the container engines' clients (dlopen()ed; the GnuTLS flavour works too)
	libcurl4
	# nsgraph -T svg|png runs dot
	graphviz
)
TEST=(
	jq valgrind strace util-linux iproute2 procps curl wrk
	# the browser suite (the web UI in chromium)
	chromium
	# the live test of the mountinfo parser against libmount
	libmount-dev
	# containers: the engine clients, and the engines the tests start
	# (no systemd: nothing starts at install time), the busybox test image,
	# and python3-h2 for the fake CRI server
	containerd runc crun docker.io docker-compose podman
	conmon netavark aardvark-dns catatonit
	busybox-static python3-h2
	# the source checks (scripts/check-source.sh)
	clang-format cppcheck
	# the ABI check (tests/abi, scripts/update-abi.sh): abidw, abidiff
	abigail-tools
	# the deploy tests: the image (strip), the DaemonSet read with PyYAML,
	# systemd-analyze and systemd-socket-activate for the units
	binutils python3-yaml systemd
	# the Python package (python/) and its tests under /usr/bin/python3:
	# pytest, and pip + setuptools + wheel + venv for an offline
	# pip install --no-build-isolation into a throwaway venv
	python3-pytest python3-setuptools python3-wheel python3-pip python3-venv
	# the OpenAPI document validated against real answers (tests/service)
	python3-jsonschema
	# the man pages rendered with man --warnings (tests/golden)
	man-db
	# the Debian packages (debian/, tests/deploy/debian.sh): their build
	# dependencies, lintian, and mmdebstrap for a fresh Debian 12 root
	dpkg-dev debhelper dh-python pybuild-plugin-pyproject python3-all lintian mmdebstrap
)

[ $# -gt 0 ] || set -- test
PKGS=()
for purpose in "$@"; do
	case $purpose in
	build) PKGS+=("${BUILD[@]}") ;;
	run) PKGS+=("${RUN[@]}") ;;
	test) PKGS+=("${BUILD[@]}" "${RUN[@]}" "${TEST[@]}") ;;
	*)
		echo "install-deps: unknown purpose '$purpose' (build, run or test)" >&2
		exit 2
		;;
	esac
done
case " $* " in
*" build "* | *" test "*)
	# The web UI is built with node and npm (node >= 20.19 for vite; the
	# machines have it). Debian's packages only where there is none at all:
	# next to another node they would not install.
	command -v npm >/dev/null || PKGS+=(nodejs npm)
	;;
esac
missing=()
for p in "${PKGS[@]}"; do
	case " ${missing[*]} " in *" $p "*) continue ;; esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=900 update -qq
	apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

#!/bin/bash
# Installs what building and testing lxkns needs on Debian 12 (run as root).
# Only installs what is missing, so a second run costs nothing.
set -euo pipefail
PKGS=(
	meson ninja-build gcc pkgconf python3
	libjansson-dev libsmartcols-dev libcap-dev libmount-dev
	jq valgrind strace util-linux iproute2 procps graphviz
	libmicrohttpd-dev chromium curl wrk
	# containers: the engine clients, and the engines the tests start
	# (no systemd: nothing starts at install time), the busybox test image,
	# and python3-h2 for the fake CRI server
	libcurl4-openssl-dev
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
	# the Debian packages (debian/, tests/deploy/debian.sh): their build
	# dependencies, lintian, and mmdebstrap for a fresh Debian 12 root
	dpkg-dev debhelper dh-python pybuild-plugin-pyproject python3-all lintian mmdebstrap
)
# The web UI is built with node and npm (node >= 20.19 for vite; the
# machines have it). Debian's packages only where there is none at all:
# next to another node they would not install.
command -v npm >/dev/null || PKGS+=(nodejs npm)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=900 update -qq
	apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

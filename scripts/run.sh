#!/bin/bash
# Quick start: installs what is missing, builds, and runs a full discovery,
# printed by dumpns as the JSON document of Go lxkns' /api/namespaces.
# Extra arguments go to dumpns (e.g. -c, --diagnostics, --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
[ -d build ] || meson setup build --buildtype=debugoptimized >/dev/null
ninja -C build >/dev/null
exec ./build/tools/dumpns "$@"

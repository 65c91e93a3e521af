#!/bin/bash
# Quick start: installs what is missing, builds, and starts the lxkns service
# in the foreground: the REST API of Go lxkns and the web UI on
# http://127.0.0.1:5010/ (loopback only). Ctrl-C stops it.
# Extra arguments go to the service: ./scripts/run.sh --help, --http :5010,
# --cache 5s, ... (dumpns and the other tools are in build/tools/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh build run
[ -d build ] || meson setup build --buildtype=debugoptimized >/dev/null
ninja -C build >/dev/null
case " $* " in
*" --help "* | *" -h "*) echo "scripts/run.sh: builds and starts the lxkns service (build/service/lxkns); its options:" ;;
esac
exec ./build/service/lxkns "$@"

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# meson dist script (meson.build: meson.add_dist_script): puts the built web
# UI into the release tarball as web/prebuilt/, so that the tarball builds
# offline, without node and npm (service/meson.build embeds web/prebuilt/
# when it is there). The UI is the one of the build directory meson dist
# runs in, built now if it is not yet.
#   dist-web.sh WEB_DIST_DIR   (empty: the build has no web UI, an error)
set -euo pipefail
web_dist=${1:-}
: "${MESON_DIST_ROOT:?dist-web.sh runs from meson dist}" "${MESON_BUILD_ROOT:?}"
if [ -z "$web_dist" ]; then
	echo "dist-web: this build has no web UI (no npm, or -Dweb_ui=disabled);" \
		"a release tarball carries it: reconfigure with -Dweb_ui=enabled" >&2
	exit 1
fi
# the UI of this very source (a no-op when it is up to date)
ninja -C "$MESON_BUILD_ROOT" service/assets.c >/dev/null
if [ ! -f "$web_dist/index.html" ]; then
	echo "dist-web: no built web UI in $web_dist" >&2
	exit 1
fi
rm -rf "$MESON_DIST_ROOT/web/prebuilt"
mkdir -p "$MESON_DIST_ROOT/web/prebuilt"
cp -R "$web_dist/." "$MESON_DIST_ROOT/web/prebuilt/"
echo "dist-web: web/prebuilt: $(find "$MESON_DIST_ROOT/web/prebuilt" -type f | wc -l) files of the built web UI"

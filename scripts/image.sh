#!/bin/bash
# Builds the OCI image lxkns:local from this machine's own build, without a
# registry and without network access inside the build:
#
#   scripts/image.sh                      # docker CLI, against $DOCKER_HOST
#   scripts/image.sh --podman             # podman build instead
#   scripts/image.sh --build-dir build    # reuse a meson build (default: its own)
#   scripts/image.sh --tag lxkns:1.0      # another tag (default lxkns:local)
#   scripts/image.sh --rootfs-only DIR    # just assemble the root file system
#
# The image is FROM scratch: the lxkns service (the web UI is embedded in
# it), every tool, liblxkns, and the runtime library closure of all of them
# (ldd), plus libcurl and its closure (liblxkns loads libcurl with dlopen
# when it talks to a container engine). Recipe: deployments/image/Containerfile.
# The service is the entrypoint and listens on :5010; arguments after the
# image name go to it ("docker run ... lxkns:local --cache 5s").
#
# Needs: meson, ninja, a C compiler, npm (for the web UI), binutils (strip)
# and the docker CLI or podman. scripts/install-deps.sh installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

tool=docker tag=lxkns:local build_dir="" rootfs_only=""
die() { echo "image.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case $1 in
	--podman) tool=podman ;;
	--docker) tool=docker ;;
	--tag) tag=${2:?--tag needs a name}; shift ;;
	--build-dir) build_dir=${2:?--build-dir needs a directory}; shift ;;
	--rootfs-only) rootfs_only=${2:?--rootfs-only needs a directory}; shift ;;
	-h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
	shift
done
[ -n "$rootfs_only" ] || command -v "$tool" >/dev/null || die "$tool is not installed"

# ---- the build --------------------------------------------------------------
if [ -z "$build_dir" ]; then
	build_dir=build-image
	if [ ! -d "$build_dir" ]; then
		meson setup "$build_dir" --buildtype=release -Dweb_ui=enabled -Dlive_tests=false >/dev/null ||
			die "meson setup failed"
	fi
	ninja -C "$build_dir" service/lxkns tools/dumpns tools/lsuns tools/lspidns tools/pidtree \
		tools/nscaps tools/lsallns tools/nsgraph >/dev/null || die "the build failed"
fi
[ -x "$build_dir/service/lxkns" ] || die "$build_dir/service/lxkns is not built"
# the real web UI, not the fallback page of a build without npm
[ -d "$build_dir/service/web/dist" ] ||
	die "$build_dir was built without the web UI (needs npm; -Dweb_ui=enabled)"

# ---- the root file system ---------------------------------------------------
stage=$(mktemp -d /tmp/lxkns-image.XXXXXX)
trap 'rm -rf "$stage"' EXIT
root=${rootfs_only:-$stage/rootfs}
mkdir -p "$root"/usr/bin "$root"/usr/lib/x86_64-linux-gnu "$root"/etc "$root"/tmp \
	"$root"/proc "$root"/sys "$root"/dev "$root"/run
ln -sfn usr/lib "$root/lib"
ln -sfn usr/bin "$root/bin"
chmod 1777 "$root/tmp"

multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
libdir=/usr/lib/$multiarch
mkdir -p "$root$libdir"
bins=("$build_dir/service/lxkns")
for t in dumpns lsuns lspidns pidtree nscaps lsallns nsgraph; do
	[ -x "$build_dir/tools/$t" ] && bins+=("$build_dir/tools/$t")
done
for b in "${bins[@]}"; do
	install -m 0755 "$b" "$root/usr/bin/"
done
liblxkns=$(find "$build_dir/lib" -maxdepth 1 -name 'liblxkns.so.0' | head -1)
curl=$(ldconfig -p | awk '/libcurl\.so\.4 .*x86-64/ {print $NF; exit}')
[ -n "$curl" ] || curl=$(ldconfig -p | awk '/libcurl\.so\.4 / {print $NF; exit}')
[ -n "$curl" ] || die "libcurl.so.4 is not installed (containers need it)"

# copy_lib FILE: under its soname's name in $libdir, following symlinks
copy_lib() {
	local name; name=$(basename "$1")
	[ -e "$root$libdir/$name" ] || install -m 0644 "$(readlink -f "$1")" "$root$libdir/$name"
}
interp=""
for f in "${bins[@]}" ${liblxkns:+"$liblxkns"} "$curl"; do
	while read -r name arrow path _; do
		case $name in
		linux-vdso.so.*) ;;
		/*) interp=$name ;;                       # the dynamic loader
		*) [ "$arrow" = "=>" ] && [ -e "$path" ] && copy_lib "$path" ;;
		esac
	done < <(LD_LIBRARY_PATH=$build_dir/lib ldd "$f")
done
[ -n "$liblxkns" ] && copy_lib "$liblxkns"
copy_lib "$curl"
[ -n "$interp" ] || die "no dynamic loader found by ldd"
mkdir -p "$root$(dirname "$interp")"
install -m 0755 "$(readlink -f "$interp")" "$root$interp"
# smaller: no symbols (debug info stays in the build tree)
strip --strip-unneeded "$root"/usr/bin/* "$root$libdir"/*.so* 2>/dev/null || true

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
mkdir -p "$root/usr/share/doc/lxkns"
cp README.md "$root/usr/share/doc/lxkns/"
[ -n "$rootfs_only" ] && { echo "image.sh: root file system in $rootfs_only ($(du -sh "$rootfs_only" | cut -f1))"; exit 0; }

# ---- the image --------------------------------------------------------------
cp deployments/image/Containerfile "$stage/Containerfile"
version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" meson.build | head -1)
args=(-f "$stage/Containerfile" -t "$tag" --label "org.opencontainers.image.version=${version:-unknown}"
	--label "org.opencontainers.image.revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)")
if [ "$tool" = podman ]; then
	podman build -q "${args[@]}" "$stage" >/dev/null || die "podman build failed"
	size=$(podman image inspect -f '{{.Size}}' "$tag")
else
	# the docker CLI without the buildx plugin needs the classic builder
	docker buildx version >/dev/null 2>&1 || export DOCKER_BUILDKIT=0
	docker build -q "${args[@]}" "$stage" >/dev/null || die "docker build failed"
	size=$(docker image inspect -f '{{.Size}}' "$tag")
fi
echo "image.sh: built $tag with $tool: $((size / 1024 / 1024)) MiB ($size bytes)"

#!/bin/bash
# mk-oci-archive.sh ROOTFS_TAR OUT_TAR IMAGE_NAME [CMD_JSON]: a single-layer
# OCI image archive (what "ctr image import" reads), no registry needed.
set -euo pipefail
in=$1 out=$2 name=$3 cmd=${4:-'["/bin/sh"]'}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
mkdir -p "$w/blobs/sha256"
sha() { sha256sum "$1" | cut -d' ' -f1; }
put() { local d; d=$(sha "$1"); mv "$1" "$w/blobs/sha256/$d"; echo "$d"; }
cp "$in" "$w/layer"
lsize=$(stat -c%s "$w/layer")
ldig=$(put "$w/layer")
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":%s},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
	"$cmd" "$ldig" >"$w/cfg"
csize=$(stat -c%s "$w/cfg")
cdig=$(put "$w/cfg")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
	"$cdig" "$csize" "$ldig" "$lsize" >"$w/man"
msize=$(stat -c%s "$w/man")
mdig=$(put "$w/man")
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
	"$mdig" "$msize" "$name" "${name##*:}" >"$w/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$w/oci-layout"
tar -C "$w" -cf "$out" oci-layout index.json blobs

#!/usr/bin/env bash
# Proves docker/Dockerfile without a Docker daemon: builds it with buildah (Debian's), on a
# debian:trixie base made locally with mmdebstrap under the public image's name (no registry is
# reachable here), and compares the image's file list (path, type, mode, link target) with the
# recipe's rootfs of the same arch and variant (docker/build.sh). Sizes are not compared: the
# Dockerfile's build stage compiles with trixie's gcc 14, the recipe with this machine's.
#   docker/prove-dockerfile.sh [ARCH [VARIANT]]      (default: amd64 tiny); exit 0 when identical
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"
arch=${1:-amd64} variant=${2:-tiny}
arch_info "$arch"
platform="linux/$OCI_ARCH${OCI_VARIANT:+/$OCI_VARIANT}"

missing=()
for pair in buildah:buildah mmdebstrap:mmdebstrap podman:podman; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

base=docker.io/library/debian:trixie
if ! buildah inspect --type image "$base" >/dev/null 2>&1; then
  log "making $base with mmdebstrap (minbase, from the Debian archive)"
  tmp=$(mktemp -d)
  mmdebstrap --variant=minbase --format=tar trixie "$tmp/trixie.tar" http://deb.debian.org/debian >&2
  podman import --change 'CMD ["bash"]' "$tmp/trixie.tar" "$base" >&2
  rm -rf "$tmp"
fi

log "the recipe's rootfs ($variant $arch)"
recipe=$(mktemp -d)
trap 'rm -rf "$recipe"' EXIT
bash "$here/build.sh" --rootfs "$recipe/rootfs" --arch "$arch" --variant "$variant" >&2
recipe="$recipe/rootfs"

tag="localhost/routeros-tailscale-supervisor-dockerfile:$variant-$arch"
log "buildah build -f docker/Dockerfile --platform $platform --build-arg VARIANT=$variant (a first build compiles everything)"
# This machine reaches the Go module proxy through a TLS-intercepting proxy: its CA bundle goes in.
ca_args=()
[[ -n ${SSL_CERT_FILE:-} && -f $SSL_CERT_FILE ]] && ca_args=(-v "$SSL_CERT_FILE:/run/build-ca.crt:ro" --build-arg SSL_CERT_FILE=/run/build-ca.crt)
# The Dockerfile's base is pinned by the registry's digest, which a base made here cannot have: the
# proof builds the same Dockerfile with that one line pointing at the local base instead.
dockerfile=$(mktemp)
sed -E "s|^FROM --platform=linux/amd64 debian:trixie@sha256:[0-9a-f]{64} AS build\$|FROM --platform=linux/amd64 $base AS build|" "$here/Dockerfile" >"$dockerfile"
grep -q "^FROM --platform=linux/amd64 $base AS build\$" "$dockerfile" || die "docker/Dockerfile's FROM line is not the pinned debian:trixie@sha256:... this proof expects"
buildah build --isolation chroot --layers --platform "$platform" --build-arg "VARIANT=$variant" "${ca_args[@]}" -f "$dockerfile" -t "$tag" "$REPO_ROOT" >&2
rm -f "$dockerfile"

container=$(buildah from "$tag")
trap 'buildah rm "$container" >/dev/null 2>&1 || true; rm -rf "$(dirname "$recipe")"' EXIT
mnt=$(buildah mount "$container")
list() { (cd "$1" && find . -mindepth 1 -printf '%y %m %p %l\n' | LC_ALL=C sort); }
layers=$(buildah inspect --type image --format '{{len .OCIv1.RootFS.DiffIDs}}' "$tag")
if diff <(list "$recipe") <(list "$mnt") >&2 && [[ $layers == 1 ]]; then
  log "docker/Dockerfile ($platform, $variant): one layer, the same $(list "$mnt" | wc -l) entries as the recipe's rootfs"
else
  die "docker/Dockerfile's image differs from the recipe's rootfs (diff above; layers: $layers)"
fi

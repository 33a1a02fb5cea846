#!/usr/bin/env bash
# The image recipe (`npm run image`): builds every component from pinned inputs (docker/pins.env),
# assembles each variant's rootfs from docker/rootfs.list and packs, without a daemon:
#   dist/oci/                                   OCI layout, per variant a multi-platform index
#   dist/routeros/tailscale-<variant>-<arch>.tar  docker-archive with an uncompressed layer (RouterOS)
#   dist/layers/<variant>-<arch>.tar            the layer itself;  dist/digests.json
# Components are cached in $SUPERVISOR_BUILD_CACHE/image (and go-bin/ for tailscaled) and reused
# while their inputs are unchanged.
#
#   docker/build.sh [--arch amd64,arm64,armv7] [--variant tiny,standard] [--out DIR]
#   docker/build.sh --rootfs DIR --arch ARCH --variant VARIANT   (only that rootfs: docker/Dockerfile)
# Reproducible: the same inputs give the same digests (dist/digests.json); docker/check-reproducible.sh
# builds everything twice from empty caches and compares.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"

arches=("${IMAGE_ARCHES[@]}") variants=("${IMAGE_VARIANTS[@]}") out="$REPO_ROOT/dist" rootfs_only=
while (($#)); do
  case $1 in
    --arch) IFS=, read -r -a arches <<<"${2:?--arch needs a value}"; shift 2 ;;
    --variant) IFS=, read -r -a variants <<<"${2:?--variant needs a value}"; shift 2 ;;
    --out) out=$(realpath -m "${2:?--out needs a value}"); shift 2 ;;
    --rootfs) rootfs_only=$(realpath -m "${2:?--rootfs needs a value}"); shift 2 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
for a in "${arches[@]}"; do arch_info "$a"; done
for v in "${variants[@]}"; do [[ $v == tiny || $v == standard ]] || die "unknown variant '$v' (tiny or standard)"; done
[[ -z $rootfs_only ]] || ((${#arches[@]} == 1 && ${#variants[@]} == 1)) || die "--rootfs needs exactly one --arch and one --variant"

bash "$here/lib/provision-build-tools.sh"
# One build at a time per cache (other test runs on this machine share it).
exec 9>"$IMAGE_CACHE/.lock"
flock -w 3600 9 || die "another image build holds $IMAGE_CACHE/.lock"

# shellcheck source=lib/musl-toolchain.sh
. "$here/lib/musl-toolchain.sh"
# shellcheck source=lib/build-c.sh
. "$here/lib/build-c.sh"
# shellcheck source=lib/rootfs.sh
. "$here/lib/rootfs.sh"

# The CA bundle: Mozilla's roots from the pinned ca-certificates, concatenated in name order.
ca_deb=$(fetch_deb ca-certificates:all "$CA_CERTIFICATES_VERSION" "$CA_CERTIFICATES_SHA256" CA_CERTIFICATES_SHA256)
ca_bundle="$IMAGE_CACHE/ca-$(stamp_of "$ca_deb")/ca-certificates.crt"
if [[ ! -f $ca_bundle ]]; then
  tmp=$(mktemp -d "$IMAGE_CACHE/.ca.XXXXXX"); dpkg-deb -x "$ca_deb" "$tmp/deb"
  find "$tmp/deb/usr/share/ca-certificates/mozilla" -name '*.crt' | LC_ALL=C sort | while read -r crt; do
    cat "$crt"; [[ $(tail -c1 "$crt") == "" ]] || echo
  done >"$tmp/ca-certificates.crt"
  rm -rf "$tmp/deb"; mkdir -p "$(dirname "$ca_bundle")"; mv "$tmp/ca-certificates.crt" "$ca_bundle"; rm -rf "$tmp"
fi

mkdir -p "$out/layers"
images_json=()
declare -A SOURCES
for arch in "${arches[@]}"; do
  arch_info "$arch"
  log "== $arch"
  # tailscaled: standard's build, and tiny's (Go flags TAILSCALE_TINY_GCFLAGS, through GOFLAGS, in a
  # directory named after them), each only when its variant is asked for.
  ts_dir=$(tailscaled_dir "$arch") ts_tiny_dir=$(tailscaled_dir "$arch" "gcflags-$(stamp_of "$TAILSCALE_TINY_GCFLAGS")")
  [[ " ${variants[*]} " != *" standard "* ]] || bash "$DOCKER_DIR/build-tailscaled.sh" "$ts_dir" "$GOARCH" "$GOARM"
  [[ " ${variants[*]} " != *" tiny "* ]] ||
    GOFLAGS="-modcacherw -gcflags=$TAILSCALE_TINY_GCFLAGS" bash "$DOCKER_DIR/build-tailscaled.sh" "$ts_tiny_dir" "$GOARCH" "$GOARM"
  build_supervisor "$arch" "$REPO_ROOT/bundle/supervisor.mjs"; supervisor=$OUT/supervisor
  build_busybox "$arch"; busybox=$OUT/busybox applets=$OUT/applets.list
  build_iptables "$arch"; iptables=$OUT
  SOURCES=([@supervisor]="$supervisor" [@tailscaled]="$ts_dir/tailscaled" [@tailscaled-tiny]="$ts_tiny_dir/tailscaled"
    [@busybox]="$busybox" [@applets]="$applets" [@xtables-legacy-multi]="$iptables/xtables-legacy-multi"
    [@xtables-nft-multi]="$iptables/xtables-nft-multi" [@ca-bundle]="$ca_bundle")
  if [[ -n $rootfs_only ]]; then
    assemble_rootfs "${variants[0]}" "$rootfs_only"
    log "rootfs of ${variants[0]}-$arch in $rootfs_only"
    exit 0
  fi
  for variant in "${variants[@]}"; do
    rootfs="$IMAGE_CACHE/rootfs/$variant-$arch"
    assemble_rootfs "$variant" "$rootfs"
    write_layer "$rootfs" "$out/layers/$variant-$arch.tar"
    log "$variant-$arch: $(find "$rootfs" -type f -printf '%s\n' | awk '{s+=$1} END {print s}') bytes in files"
    images_json+=("{\"variant\":\"$variant\",\"arch\":\"$arch\",\"architecture\":\"$OCI_ARCH\",\"platformVariant\":\"$OCI_VARIANT\",\"layer\":\"$out/layers/$variant-$arch.tar\"}")
  done
done

# Image config and labels (docker/image-config.sh), then the archives.
# shellcheck source=image-config.sh
. "$here/image-config.sh"
config_json="$out/.pack-config.json"
write_pack_config "$config_json" "$(IFS=,; echo "${images_json[*]}")"
log "packing: OCI layout and RouterOS archives into $out"
node "$here/lib/pack-image.mjs" "$out" "$config_json" >/dev/null
rm -f "$config_json"
log "done: $(cd "$out" && ls routeros/*.tar | tr '\n' ' ')"
node "$here/lib/image-sizes.mjs" "$out" >&2 || true

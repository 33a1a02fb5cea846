#!/usr/bin/env bash
# The image recipe (`npm run image`): builds every component from pinned inputs (docker/pins.env),
# assembles each variant's rootfs from docker/rootfs.list and packs, without a daemon:
#   dist/oci/                                   OCI layout, per variant a multi-platform index
#   dist/routeros/tailscale-<variant>-<arch>.tar  docker-archive with an uncompressed layer (RouterOS)
#   dist/layers/<variant>-<arch>.tar            the layer itself;  dist/digests.json
# Components are cached in $SUPERVISOR_BUILD_CACHE/image (and go-bin/ for tailscaled) and reused
# while their inputs are unchanged.
#
#   docker/build.sh [--arch amd64,arm64,armv7] [--variant tiny,standard] [--features +ssh,+serve,-x] [--out DIR]
#   docker/build.sh --rootfs DIR --arch ARCH --variant VARIANT   (only that rootfs: docker/Dockerfile)
# --features adds (+name) or removes (-name) Tailscale features (featuretags names) to the set of
# TAILSCALE_FEATURES in pins.env; the variants are then named after the change (standard-ssh-serve).
# Reproducible: the same inputs give the same digests (dist/digests.json); docker/check-reproducible.sh
# builds everything twice from empty caches and compares.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"

arches=("${IMAGE_ARCHES[@]}") variants=("${IMAGE_VARIANTS[@]}") out="$REPO_ROOT/dist" rootfs_only= feature_changes=
while (($#)); do
  case $1 in
    --arch) IFS=, read -r -a arches <<<"${2:?--arch needs a value}"; shift 2 ;;
    --variant) IFS=, read -r -a variants <<<"${2:?--variant needs a value}"; shift 2 ;;
    --out) out=$(realpath -m "${2:?--out needs a value}"); shift 2 ;;
    --rootfs) rootfs_only=$(realpath -m "${2:?--rootfs needs a value}"); shift 2 ;;
    --features) feature_changes=${2:?--features needs a value, e.g. +ssh,+serve}; shift 2 ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
for a in "${arches[@]}"; do arch_info "$a"; done
for v in "${variants[@]}"; do [[ $v == tiny || $v == standard ]] || die "unknown variant '$v' (tiny or standard)"; done
[[ -z $rootfs_only ]] || ((${#arches[@]} == 1 && ${#variants[@]} == 1)) || die "--rootfs needs exactly one --arch and one --variant"
# The feature set of this build (docker/build-tailscaled.sh reads BUILD_TAILSCALE_FEATURES, and checks
# each name against Tailscale's own list) and the suffix naming its variants.
BUILD_TAILSCALE_FEATURES=$TAILSCALE_FEATURES variant_suffix=
if [[ -n $feature_changes ]]; then
  IFS=, read -r -a changes <<<"$feature_changes"
  for change in "${changes[@]}"; do
    name=${change:1}
    [[ $name =~ ^[a-z0-9_]+$ ]] || die "--features: '$change' is not +name or -name (e.g. --features +ssh,+serve)"
    case $change in
      +*) [[ ,$BUILD_TAILSCALE_FEATURES, == *",$name,"* ]] || BUILD_TAILSCALE_FEATURES+=",$name"; variant_suffix+="-$name" ;;
      -*) [[ ,$BUILD_TAILSCALE_FEATURES, == *",$name,"* ]] || die "--features: '$name' is not in the image's set (TAILSCALE_FEATURES in docker/pins.env)"
        BUILD_TAILSCALE_FEATURES=$(tr , '\n' <<<"$BUILD_TAILSCALE_FEATURES" | grep -vx "$name" | paste -sd,); variant_suffix+="-no-$name" ;;
      *) die "--features: '$change' is not +name or -name (e.g. --features +ssh,+serve)" ;;
    esac
  done
fi
export BUILD_TAILSCALE_FEATURES

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
# Reused only while it has the content it was made with.
if [[ ! -f $ca_bundle || ! -f $ca_bundle.sha256 || $(content_of "$ca_bundle") != "$(cat "$ca_bundle.sha256")" ]]; then
  tmp=$(mktemp -d "$IMAGE_CACHE/.ca.XXXXXX"); dpkg-deb -x "$ca_deb" "$tmp/deb"
  find "$tmp/deb/usr/share/ca-certificates/mozilla" -name '*.crt' | LC_ALL=C sort | while read -r crt; do
    cat "$crt"; [[ $(tail -c1 "$crt") == "" ]] || echo
  done >"$tmp/ca-certificates.crt"
  rm -rf "$tmp/deb"; mkdir -p "$(dirname "$ca_bundle")"; content_of "$tmp/ca-certificates.crt" >"$ca_bundle.sha256"; mv "$tmp/ca-certificates.crt" "$ca_bundle"; rm -rf "$tmp"
fi

mkdir -p "$out/layers"
images_json=()
declare -A SOURCES
for arch in "${arches[@]}"; do
  arch_info "$arch"
  log "== $arch"
  # tailscaled: standard's build, and tiny's (Go's -gcflags TAILSCALE_TINY_GCFLAGS, through
  # BUILD_TAILSCALE_GCFLAGS, in a directory named after them), each only when its variant is asked for.
  ts_dir=$(tailscaled_dir "$arch") ts_tiny_dir=$(tailscaled_dir "$arch" "gcflags-$(stamp_of "$TAILSCALE_TINY_GCFLAGS")")
  [[ " ${variants[*]} " != *" standard "* ]] || bash "$DOCKER_DIR/build-tailscaled.sh" "$ts_dir" "$GOARCH" "$GOARM"
  [[ " ${variants[*]} " != *" tiny "* ]] ||
    BUILD_TAILSCALE_GCFLAGS=$TAILSCALE_TINY_GCFLAGS bash "$DOCKER_DIR/build-tailscaled.sh" "$ts_tiny_dir" "$GOARCH" "$GOARM"
  build_supervisor "$arch" "$REPO_ROOT/bundle/supervisor.mjs"; supervisor=$OUT/supervisor
  build_busybox "$arch"; busybox=$OUT/busybox applets=$OUT/applets.list
  build_iptables "$arch"; iptables=$OUT
  SOURCES=([@supervisor]="$supervisor" [@tailscaled]="$ts_dir/tailscaled" [@tailscaled-features]="$ts_dir/tailscaled.features"
    [@tailscaled-tiny]="$ts_tiny_dir/tailscaled" [@tailscaled-tiny-features]="$ts_tiny_dir/tailscaled.features"
    [@busybox]="$busybox" [@applets]="$applets" [@xtables-legacy-multi]="$iptables/xtables-legacy-multi"
    [@xtables-nft-multi]="$iptables/xtables-nft-multi" [@ca-bundle]="$ca_bundle")
  if [[ -n $rootfs_only ]]; then
    assemble_rootfs "${variants[0]}" "$rootfs_only"
    log "rootfs of ${variants[0]}-$arch in $rootfs_only"
    exit 0
  fi
  for variant in "${variants[@]}"; do
    named=$variant$variant_suffix
    rootfs="$IMAGE_CACHE/rootfs/$named-$arch"
    assemble_rootfs "$variant" "$rootfs"
    write_layer "$rootfs" "$out/layers/$named-$arch.tar"
    log "$named-$arch: $(find "$rootfs" -type f -printf '%s\n' | awk '{s+=$1} END {print s}') bytes in files"
    images_json+=("{\"variant\":\"$named\",\"arch\":\"$arch\",\"architecture\":\"$OCI_ARCH\",\"platformVariant\":\"$OCI_VARIANT\",\"layer\":\"$out/layers/$named-$arch.tar\"}")
  done
done

# Image config and labels (docker/image-config.sh), then the archives.
# shellcheck source=image-config.sh
. "$here/image-config.sh"
config_json="$out/.pack-config.json"
write_pack_config "$config_json" "$(IFS=,; echo "${images_json[*]}")" "$(toolchain_json "${arches[@]}")"
log "packing: OCI layout and RouterOS archives into $out"
node "$here/lib/pack-image.mjs" "$out" "$config_json" >/dev/null
rm -f "$config_json"
# What this run wrote (an earlier run's archives in $out are not named): each RouterOS archive and its bytes.
for arch in "${arches[@]}"; do
  for variant in "${variants[@]}"; do
    archive="routeros/tailscale-$variant$variant_suffix-$arch.tar"
    log "done: $out/$archive, $(stat -c %s "$out/$archive") bytes"
  done
done

#!/usr/bin/env bash
# Builds the image twice from EMPTY caches (every C program compiled, every Go package built again,
# UPX run again; only the downloaded Go modules and Debian files are shared) and compares every
# digest. The test suite checks the assembly and packing on each run (a second build from the cached
# components); this checks the compilers' side too. Takes two full builds (~17 minutes each for all
# architectures on 2 cores).
#   docker/check-reproducible.sh [--arch ARCHES] [--variant VARIANTS]   (build.sh's options)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for arg in "$@"; do
  case $arg in -h | --help) sed -n '2,7p' "$0"; exit 0 ;; esac
done
# shellcheck source=lib/common.sh
. "$here/lib/common.sh"
work=$(mktemp -d /tmp/ts-reproducible.XXXXXX)
trap 'rm -rf "$work"' EXIT
for run in 1 2; do
  mkdir -p "$work/cache$run/image"
  # Downloads are content-checked against pins.env, so sharing them cannot hide a difference.
  ln -s "$DOWNLOADS" "$work/cache$run/image/downloads"
  log "build $run of 2 into $work/out$run (empty build caches)"
  SUPERVISOR_BUILD_CACHE="$work/cache$run" GOCACHE="$work/cache$run/gocache" GOMODCACHE="$GOMODCACHE" GOPATH="$work/cache$run/gopath" \
    bash "$here/build.sh" --out "$work/out$run" "$@" >&2
  sed -i "s|$work/out$run|OUT|g" "$work/out$run/digests.json"
done
if cmp -s "$work/out1/digests.json" "$work/out2/digests.json"; then
  log "reproducible: both builds gave the same digests"
  cat "$work/out1/digests.json"
else
  diff "$work/out1/digests.json" "$work/out2/digests.json" >&2 || true
  die "the two builds differ"
fi

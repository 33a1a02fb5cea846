#!/usr/bin/env bash
# Builds Tailscale's own container entrypoint, containerboot, for the benchmark (test/lab/bench/entrypoints.ts)
# from the Go module of the pinned version (docker/pins.env TAILSCALE_VERSION, the image's tailscaled),
# fetched through the Go module proxy into the shared cache. Neither its code nor the binary is ever
# committed: they live in $SUPERVISOR_BUILD_CACHE only.
#
#   test/lab/bench/build-containerboot.sh        prints the path of the binary on stdout
# Reuses the binary when its stamp (version, Go version, flags, this script) matches. linux/amd64,
# static (CGO_ENABLED=0), -trimpath, stripped like the image's tailscaled.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
# shellcheck source=../../docker/pins.env
. "$root/docker/pins.env"
# shellcheck source=../../../docker/lib/cache-dir.sh
. "$root/docker/lib/cache-dir.sh"
command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null 2>&1 || { echo "build-containerboot: go not found (PATH or /usr/local/go/bin)" >&2; exit 1; }
export GOPATH=${GOPATH:-$SUPERVISOR_BUILD_CACHE/gopath} GOCACHE=${GOCACHE:-$SUPERVISOR_BUILD_CACHE/gocache}
export GOMODCACHE=${GOMODCACHE:-$GOPATH/pkg/mod} GOFLAGS=${GOFLAGS:--modcacherw} GOTOOLCHAIN=${GOTOOLCHAIN:-local}
export CGO_ENABLED=0 GOOS=linux GOARCH=amd64

out="$SUPERVISOR_BUILD_CACHE/go-bin/containerboot-$TAILSCALE_VERSION"
ldflags="-s -w"
stamp="tailscale.com/cmd/containerboot@$TAILSCALE_VERSION linux/amd64 $(go env GOVERSION) -trimpath -ldflags=$ldflags script=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)"
if [[ -f $out/.stamp && $(cat "$out/.stamp") == "$stamp" && -x $out/containerboot ]]; then
  echo "build-containerboot: reusing $out/containerboot" >&2
  echo "$out/containerboot"
  exit 0
fi
echo "build-containerboot: tailscale.com/cmd/containerboot@$TAILSCALE_VERSION into $out (a few minutes the first time)" >&2
moddir=$(go mod download -json "tailscale.com@$TAILSCALE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -n $moddir && -d $moddir ]] || { echo "build-containerboot: go mod download tailscale.com@$TAILSCALE_VERSION failed" >&2; exit 1; }
mkdir -p "$out"
rm -f "$out/.stamp"
tmp=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$moddir" && go build -trimpath -buildvcs=false -ldflags="$ldflags" -o "$tmp/containerboot" ./cmd/containerboot)
mv -f "$tmp/containerboot" "$out/containerboot"
printf '%s\n' "$stamp" >"$out/.stamp"
echo "build-containerboot: $(stat -c %s "$out/containerboot") bytes" >&2
echo "$out/containerboot"

#!/usr/bin/env bash
# Builds the image's Tailscale: ONE combined binary (daemon + CLI) from the Go module pinned in
# pins.env, with only the features of TAILSCALE_FEATURES, for one architecture. The image recipe and
# the test provisioning both call this, so the tests run the tailscaled the image ships.
#
#   docker/build-tailscaled.sh OUT_DIR [GOARCH [GOARM]]     (default: the machine's own arch)
#
# Writes OUT_DIR/tailscaled and OUT_DIR/tailscale, a symlink to it (the combined binary acts as the
# CLI when its argv[0] is named exactly `tailscale`), and OUT_DIR/.stamp naming everything the build
# depended on; an OUT_DIR whose stamp matches is reused as it is. Byte-reproducible: -trimpath, no
# VCS stamp, the version set by -X (a module build would otherwise call itself "1.102.3-ERR-BuildInfo").
# Needs Go (>= the module's go line) and the Go module proxy; honours GOPATH/GOMODCACHE/GOCACHE.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=pins.env
. "$here/pins.env"

out=${1:?usage: build-tailscaled.sh OUT_DIR [GOARCH [GOARM]]}
command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null 2>&1 || { echo "build-tailscaled: go not found (PATH or /usr/local/go/bin)" >&2; exit 1; }
goarch=${2:-$(go env GOHOSTARCH)}
goarm=${3:-}
[[ $goarch != arm || -n $goarm ]] || goarm=7
version=${TAILSCALE_VERSION#v}
export GOTOOLCHAIN=${GOTOOLCHAIN:-local} GOFLAGS=${GOFLAGS:--modcacherw} CGO_ENABLED=0 GOOS=linux GOARCH=$goarch GOARM=$goarm

ldflags="-s -w -X tailscale.com/version.longStamp=$version -X tailscale.com/version.shortStamp=$version"
stamp="tailscale.com@$TAILSCALE_VERSION features=$TAILSCALE_FEATURES linux/$goarch${goarm:+/v$goarm} $(go env GOVERSION) -trimpath -ldflags=$ldflags script=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)"
if [[ -f $out/.stamp && $(cat "$out/.stamp") == "$stamp" && -x $out/tailscaled && -L $out/tailscale ]]; then
  echo "build-tailscaled: reusing $out (tailscale $version, linux/$goarch${goarm:+/v$goarm})" >&2
  exit 0
fi

echo "build-tailscaled: tailscale $version for linux/$goarch${goarm:+/v$goarm} into $out (minutes the first time)" >&2
moddir=$(go mod download -json "tailscale.com@$TAILSCALE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -n $moddir && -d $moddir ]] || { echo "build-tailscaled: go mod download tailscale.com@$TAILSCALE_VERSION failed" >&2; exit 1; }
# The feature list → build tags, by Tailscale's own resolver (it adds what the features depend on).
# It runs on the build machine, whatever the target.
tags=$(cd "$moddir" && GOOS= GOARCH= GOARM= go run ./cmd/featuretags --min --add="$TAILSCALE_FEATURES")
[[ $tags == *ts_include_cli* && $tags == *ts_omit_* ]] || { echo "build-tailscaled: unexpected featuretags output: $tags" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out/.stamp"
tmp=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$moddir" && go build -trimpath -buildvcs=false -tags="$tags" -ldflags="$ldflags" -o "$tmp/tailscaled" ./cmd/tailscaled)
mv -f "$tmp/tailscaled" "$out/tailscaled"
ln -sfn tailscaled "$out/tailscale"
if [[ $goarch == "$(go env GOHOSTARCH)" ]]; then
  got=$("$out/tailscale" version | head -n1)
  [[ $got == "$version" ]] || { echo "build-tailscaled: the built CLI reports version '$got', expected $version" >&2; exit 1; }
fi
printf '%s\n' "$stamp" >"$out/.stamp"
echo "build-tailscaled: $(stat -c %s "$out/tailscaled") bytes, tags: $tags" >&2

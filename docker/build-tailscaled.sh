#!/usr/bin/env bash
# Builds the image's Tailscale: ONE combined binary (daemon + CLI) from the Go module pinned in
# pins.env, with only the features of TAILSCALE_FEATURES (or BUILD_TAILSCALE_FEATURES, the list
# `npm run image -- --features ...` makes), for one architecture. The image recipe and the test
# provisioning both call this, so the tests run the tailscaled the image ships.
#
#   docker/build-tailscaled.sh OUT_DIR [GOARCH [GOARM]]     (default: the machine's own arch)
#
# Writes OUT_DIR/tailscaled and OUT_DIR/tailscale, a symlink to it (the combined binary acts as the
# CLI when its argv[0] is named exactly `tailscale`), OUT_DIR/tailscaled.features (the features
# compiled in, one per line: the supervisor's configuration check reads it beside the binary), and
# OUT_DIR/.stamp naming everything the build depended on with OUT_DIR/.sha256 (the outputs' content);
# an OUT_DIR whose stamp matches and whose files still have that content is reused as it is.
# Byte-reproducible: -trimpath, no VCS stamp, the version set by -X (a module build would otherwise
# call itself "1.102.3-ERR-BuildInfo"). Needs Go GO_VERSION (pins.env) and the Go module proxy;
# honours GOPATH/GOMODCACHE/GOCACHE and GOPROXY, and nothing else of the caller's Go settings.
# BUILD_TAILSCALE_GCFLAGS (set by docker/build.sh for tiny: TAILSCALE_TINY_GCFLAGS in pins.env) is
# passed to go build as -gcflags and is part of the stamp.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=pins.env
. "$here/pins.env"

out=${1:?usage: build-tailscaled.sh OUT_DIR [GOARCH [GOARM]]}
features=${BUILD_TAILSCALE_FEATURES:-$TAILSCALE_FEATURES}
gcflags=${BUILD_TAILSCALE_GCFLAGS:-}
command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null 2>&1 || { echo "build-tailscaled: go not found (PATH or /usr/local/go/bin)" >&2; exit 1; }
# The supply chain: the modules are what go.sum (checked against the checksum database) says, and the
# Go that builds is the one pinned. None of the caller's settings may loosen that: no -mod=mod, no
# GONOSUMDB/GOINSECURE/GOPRIVATE exemptions, no toolchain switch behind our back.
export GOFLAGS="-mod=readonly -modcacherw -buildvcs=false" GOSUMDB=sum.golang.org GONOSUMDB= GONOSUMCHECK= GOPRIVATE= GOINSECURE= GONOPROXY= GOWORK=off GOTOOLCHAIN=local
go_version=$(go env GOVERSION)
[[ $go_version == "go$GO_VERSION" ]] || { echo "build-tailscaled: this is Go $go_version; the build needs go$GO_VERSION (GO_VERSION in docker/pins.env): install it (https://go.dev/dl/, e.g. into /usr/local/go) or bump the pin" >&2; exit 1; }
goarch=${2:-$(go env GOHOSTARCH)}
goarm=${3:-}
[[ $goarch != arm || -n $goarm ]] || goarm=7
version=${TAILSCALE_VERSION#v}
export CGO_ENABLED=0 GOOS=linux GOARCH=$goarch GOARM=$goarm

ldflags="-s -w -X tailscale.com/version.longStamp=$version -X tailscale.com/version.shortStamp=$version"
stamp="tailscale.com@$TAILSCALE_VERSION features=$features linux/$goarch${goarm:+/v$goarm} $go_version -trimpath -ldflags=$ldflags${gcflags:+ -gcflags=$gcflags} script=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)"
# Reused only when built from the same inputs AND the files are still what that build wrote.
contents() { (cd "$out" && sha256sum tailscaled tailscaled.features); }
if [[ -f $out/.stamp && $(cat "$out/.stamp") == "$stamp" && -x $out/tailscaled && -L $out/tailscale && -f $out/.sha256 ]] && [[ $(contents 2>/dev/null) == "$(cat "$out/.sha256")" ]]; then
  echo "build-tailscaled: reusing $out (tailscale $version, linux/$goarch${goarm:+/v$goarm})" >&2
  exit 0
fi

echo "build-tailscaled: tailscale $version for linux/$goarch${goarm:+/v$goarm} into $out (minutes the first time)" >&2
moddir=$(go mod download -json "tailscale.com@$TAILSCALE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -n $moddir && -d $moddir ]] || { echo "build-tailscaled: go mod download tailscale.com@$TAILSCALE_VERSION failed" >&2; exit 1; }
# The feature list → build tags, by Tailscale's own resolver (it adds what the features depend on).
# It runs on the build machine, whatever the target.
tags=$(cd "$moddir" && GOOS= GOARCH= GOARM= go run ./cmd/featuretags --min --add="$features")
[[ $tags == *ts_include_cli* && $tags == *ts_omit_* ]] || { echo "build-tailscaled: unexpected featuretags output: $tags" >&2; exit 1; }
# The features compiled in: every feature featuretags knows whose ts_omit_ tag is not among the tags
# (cli, the one opt-in feature, by its ts_include_ tag).
known=$(cd "$moddir" && GOOS= GOARCH= GOARM= go run ./cmd/featuretags --list | sed -n 's/^ *\([a-z0-9_]*\): .*/\1/p' | LC_ALL=C sort -u)
omitted=$(tr ',' '\n' <<<"$tags" | sed -n 's/^ts_omit_//p' | LC_ALL=C sort -u)
for feature in ${features//,/ }; do
  grep -qx "$feature" <<<"$known" || { echo "build-tailscaled: '$feature' is not a feature of tailscale $TAILSCALE_VERSION (go run ./cmd/featuretags --list)" >&2; exit 1; }
done
compiled=$(LC_ALL=C comm -23 <(grep -vx cli <<<"$known") <(printf '%s\n' "$omitted"); [[ $tags != *ts_include_cli* ]] || echo cli)

mkdir -p "$out"
rm -f "$out/.stamp" "$out/.sha256"
tmp=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$moddir" && go build -trimpath -buildvcs=false -tags="$tags" -ldflags="$ldflags" ${gcflags:+"-gcflags=$gcflags"} -o "$tmp/tailscaled" ./cmd/tailscaled)
{
  echo "# tailscale $TAILSCALE_VERSION: the features compiled into tailscaled (docker/build-tailscaled.sh)"
  LC_ALL=C sort <<<"$compiled"
} >"$tmp/tailscaled.features"
mv -f "$tmp/tailscaled" "$out/tailscaled"
mv -f "$tmp/tailscaled.features" "$out/tailscaled.features"
ln -sfn tailscaled "$out/tailscale"
if [[ $goarch == "$(go env GOHOSTARCH)" ]]; then
  got=$("$out/tailscale" version | head -n1)
  [[ $got == "$version" ]] || { echo "build-tailscaled: the built CLI reports version '$got', expected $version" >&2; exit 1; }
fi
contents >"$out/.sha256"
printf '%s\n' "$stamp" >"$out/.stamp"
echo "build-tailscaled: $(stat -c %s "$out/tailscaled") bytes, tags: $tags" >&2

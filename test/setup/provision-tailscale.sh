#!/usr/bin/env bash
# Build the pinned tailscaled, tailscale (CLI) and headscale binaries from their Go modules into
# a cache directory, reusing them when they are already there.
#
#   $SUPERVISOR_BUILD_CACHE/go-bin/tailscale-<TAILSCALE_VERSION>-<feature set hash>/{tailscaled,tailscale}
#   $SUPERVISOR_BUILD_CACHE/go-bin/headscale-<HEADSCALE_VERSION>/headscale
# (SUPERVISOR_BUILD_CACHE defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/ts-supervisor, see cache-dir.sh)
#
# tailscaled is the image's own build (docker/build-tailscaled.sh: the combined binary with the
# feature set of docker/pins.env; `tailscale` is a link to it), so the tests run what the image
# ships. Versions come from docker/pins.env. Needs Go (>= 1.26.6 for tailscale v1.102.x) on
# PATH or at /usr/local/go/bin, and access to the Go module proxy for the first build.
# Prints `NAME=PATH` lines (TAILSCALED=..., TAILSCALE=..., HEADSCALE=...) on stdout so callers can
# `eval "$(test/setup/provision-tailscale.sh)"`; progress goes to stderr.
# Options: --tailscale-only / --headscale-only build only one side; --force rebuilds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../../docker/pins.env
. "$root/docker/pins.env"
: "${TAILSCALE_VERSION:?pins.env lacks TAILSCALE_VERSION}"
: "${HEADSCALE_VERSION:?pins.env lacks HEADSCALE_VERSION}"

want_ts=1 want_hs=1 force=0
for arg in "$@"; do
  case "$arg" in
    --tailscale-only) want_hs=0 ;;
    --headscale-only) want_ts=0 ;;
    --force) force=1 ;;
    -h|--help) awk 'NR>1 && /^#/ {print; next} NR>1 {exit}' "$0"; exit 0 ;;
    *) echo "provision-tailscale: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { echo "provision-tailscale: $*" >&2; }

# The shared cache location of all provisioning scripts (SUPERVISOR_BUILD_CACHE, default
# ${XDG_CACHE_HOME:-$HOME/.cache}/ts-supervisor); fall back to the same default if it is missing.
if [ -f "$here/../../docker/lib/cache-dir.sh" ]; then
  # shellcheck source=../../docker/lib/cache-dir.sh
  . "$here/../../docker/lib/cache-dir.sh"
fi
cache="${SUPERVISOR_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ts-supervisor}"
if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; export PATH; fi
fi

need_go() {
  command -v go >/dev/null 2>&1 || { log "go not found (PATH or /usr/local/go/bin)"; exit 1; }
  # Keep module and build caches with the binaries unless the caller chose otherwise, so a fresh
  # machine (or a read-only $HOME/go) works and repeated runs share downloads.
  export GOPATH="${GOPATH:-$cache/gopath}"
  export GOMODCACHE="${GOMODCACHE:-$GOPATH/pkg/mod}"
  export GOCACHE="${GOCACHE:-$cache/gocache}"
  export GOFLAGS="${GOFLAGS:--modcacherw}"
  export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
  export CGO_ENABLED="${CGO_ENABLED:-0}"
}

# up_to_date DIR STAMP_CONTENT BIN...: the stamp matches and every binary exists and runs.
up_to_date() {
  local dir="$1" stamp="$2"; shift 2
  [ "$force" = 0 ] || return 1
  [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ] || return 1
  local b
  for b in "$@"; do [ -x "$dir/$b" ] || return 1; done
  return 0
}

# install_into DIR LDFLAGS MODULE/PKG@VERSION...: go install into a temp dir, then move into DIR.
# The caller writes the stamp once the binaries passed its check.
build_tmp=""
trap '[ -z "$build_tmp" ] || rm -rf "$build_tmp"' EXIT
install_into() {
  local dir="$1" ldflags="$2"; shift 2
  need_go
  mkdir -p "$dir"
  rm -f "$dir/.stamp"
  build_tmp="$(mktemp -d "$dir/.build.XXXXXX")"
  log "building $* into $dir (this takes minutes the first time)"
  if ! GOBIN="$build_tmp" go install -trimpath -ldflags="$ldflags" "$@" >&2; then
    # `go install pkg@version` also asks the proxy for the module's version list (to report
    # deprecations); a filtering proxy may refuse that (seen for headscale: "@v/list: 403").
    # Fall back to building inside the downloaded module, which resolves the same go.mod/go.sum
    # (these modules have no replace directives), so the result is the same build.
    log "go install failed; building from the downloaded module source instead"
    local spec mod ver pkg moddir
    for spec in "$@"; do
      pkg="${spec%@*}" ver="${spec##*@}"
      mod="$(modroot_of "$pkg")"
      moddir="$(go mod download -json "$mod@$ver" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
      [ -n "$moddir" ] && [ -d "$moddir" ] || { log "go mod download $mod@$ver failed"; exit 1; }
      (cd "$moddir" && go build -trimpath -ldflags="$ldflags" -o "$build_tmp/$(basename "$pkg")" "./${pkg#"$mod"}") >&2
    done
  fi
  local f
  for f in "$build_tmp"/*; do mv -f "$f" "$dir/"; done
  rm -rf "$build_tmp"; build_tmp=""
}

# modroot_of PKG: the module path that contains PKG (only the modules this script builds).
modroot_of() {
  case "$1" in
    github.com/juanfont/headscale/*) echo github.com/juanfont/headscale ;;
    *) log "don't know the module of $1"; exit 1 ;;
  esac
}

if [ "$want_ts" = 1 ]; then
  need_go
  # The feature set and the build script are part of the name: a checkout with another set or script
  # (or an older, stock build) never shares the directory, so no run silently tests a different
  # tailscaled, and two checkouts do not rebuild over each other.
  ts_dir="$cache/go-bin/tailscale-$TAILSCALE_VERSION-$({ printf '%s' "$TAILSCALE_FEATURES"; cat "$root/docker/build-tailscaled.sh"; } | sha256sum | cut -c1-12)"
  [ "$force" = 0 ] || rm -f "$ts_dir/.stamp"
  bash "$root/docker/build-tailscaled.sh" "$ts_dir" >&2
  echo "TAILSCALED=$ts_dir/tailscaled"
  echo "TAILSCALE=$ts_dir/tailscale"
fi

if [ "$want_hs" = 1 ]; then
  hs_dir="$cache/go-bin/headscale-$HEADSCALE_VERSION"
  hs_ldflags="-s -w"
  hs_stamp="github.com/juanfont/headscale/cmd/headscale@$HEADSCALE_VERSION -trimpath $hs_ldflags CGO_ENABLED=${CGO_ENABLED:-0}"
  if up_to_date "$hs_dir" "$hs_stamp" headscale && "$hs_dir/headscale" version >/dev/null 2>&1; then
    log "reusing headscale $HEADSCALE_VERSION in $hs_dir"
  else
    install_into "$hs_dir" "$hs_ldflags" "github.com/juanfont/headscale/cmd/headscale@$HEADSCALE_VERSION"
    "$hs_dir/headscale" version >/dev/null 2>&1 || { log "built headscale does not run"; exit 1; }
    printf '%s\n' "$hs_stamp" > "$hs_dir/.stamp"
  fi
  echo "HEADSCALE=$hs_dir/headscale"
fi

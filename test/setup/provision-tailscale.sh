#!/usr/bin/env bash
# Build the pinned tailscaled, tailscale (CLI) and headscale binaries from their Go modules into
# a cache directory, reusing them when they are already there.
#
#   ${SUPERVISOR_TEST_CACHE:-$HOME/.cache/ts-supervisor}/go-bin/<version>/{tailscaled,tailscale}
#   ${SUPERVISOR_TEST_CACHE:-$HOME/.cache/ts-supervisor}/go-bin/<headscale version>/headscale
#
# Versions come from pins.env next to this script. Needs Go (>= 1.26.6 for tailscale v1.102.x) on
# PATH or at /usr/local/go/bin, and access to the Go module proxy for the first build.
# Prints `NAME=PATH` lines (TAILSCALED=..., TAILSCALE=..., HEADSCALE=...) on stdout so callers can
# `eval "$(test/setup/provision-tailscale.sh)"`; progress goes to stderr.
# Options: --tailscale-only / --headscale-only build only one side; --force rebuilds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=pins.env
. "$here/pins.env"
: "${TAILSCALE_VERSION:?pins.env lacks TAILSCALE_VERSION}"
: "${HEADSCALE_VERSION:?pins.env lacks HEADSCALE_VERSION}"

want_ts=1 want_hs=1 force=0
for arg in "$@"; do
  case "$arg" in
    --tailscale-only) want_hs=0 ;;
    --headscale-only) want_ts=0 ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "provision-tailscale: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { echo "provision-tailscale: $*" >&2; }

cache="${SUPERVISOR_TEST_CACHE:-$HOME/.cache/ts-supervisor}"
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

# install_into DIR STAMP MODULE@VERSION...: go install into a temp dir, check, then move into DIR.
install_into() {
  local dir="$1" stamp="$2"; shift 2
  need_go
  mkdir -p "$dir"
  local tmp
  tmp="$(mktemp -d "$dir/.build.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  log "building $* into $dir (this takes minutes the first time)"
  GOBIN="$tmp" go install -trimpath -ldflags="-s -w" "$@" >&2
  local f
  for f in "$tmp"/*; do mv -f "$f" "$dir/"; done
  rm -rf "$tmp"; trap - EXIT
  printf '%s\n' "$stamp" > "$dir/.stamp"
}

goversion() { (need_go; go env GOVERSION 2>/dev/null) || echo unknown; }

if [ "$want_ts" = 1 ]; then
  ts_dir="$cache/go-bin/tailscale-$TAILSCALE_VERSION"
  ts_stamp="tailscale.com/cmd/tailscaled+tailscale@$TAILSCALE_VERSION -trimpath -s -w CGO_ENABLED=0"
  if up_to_date "$ts_dir" "$ts_stamp" tailscaled tailscale \
     && "$ts_dir/tailscale" version 2>/dev/null | head -n1 | grep -qx "${TAILSCALE_VERSION#v}"; then
    log "reusing tailscale $TAILSCALE_VERSION in $ts_dir"
  else
    install_into "$ts_dir" "$ts_stamp" \
      "tailscale.com/cmd/tailscaled@$TAILSCALE_VERSION" "tailscale.com/cmd/tailscale@$TAILSCALE_VERSION"
    got="$("$ts_dir/tailscale" version | head -n1)"
    [ "$got" = "${TAILSCALE_VERSION#v}" ] || { log "built tailscale reports version '$got', expected ${TAILSCALE_VERSION#v}"; exit 1; }
  fi
  echo "TAILSCALED=$ts_dir/tailscaled"
  echo "TAILSCALE=$ts_dir/tailscale"
fi

if [ "$want_hs" = 1 ]; then
  hs_dir="$cache/go-bin/headscale-$HEADSCALE_VERSION"
  hs_stamp="github.com/juanfont/headscale/cmd/headscale@$HEADSCALE_VERSION -trimpath -s -w CGO_ENABLED=0"
  if up_to_date "$hs_dir" "$hs_stamp" headscale && "$hs_dir/headscale" version >/dev/null 2>&1; then
    log "reusing headscale $HEADSCALE_VERSION in $hs_dir"
  else
    install_into "$hs_dir" "$hs_stamp" "github.com/juanfont/headscale/cmd/headscale@$HEADSCALE_VERSION"
    "$hs_dir/headscale" version >/dev/null 2>&1 || { log "built headscale does not run"; exit 1; }
  fi
  echo "HEADSCALE=$hs_dir/headscale"
fi

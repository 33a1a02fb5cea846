#!/usr/bin/env bash
# actionlint (the GitHub Actions workflow linter), built from its Go module at the version pinned in
# docker/pins.env (ACTIONLINT_VERSION) into the cache, reused while it is there. It runs shellcheck
# on the workflows' scripts (provision-system-packages.sh installs it). Prints ACTIONLINT=PATH.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../docker/pins.env
. "$here/../../docker/pins.env"
# shellcheck source=../../docker/lib/cache-dir.sh
. "$here/../../docker/lib/cache-dir.sh"
version=${ACTIONLINT_VERSION:?docker/pins.env lacks ACTIONLINT_VERSION}
dir="$SUPERVISOR_BUILD_CACHE/go-bin/actionlint-$version"
if [[ -x $dir/actionlint && $("$dir/actionlint" -version 2>/dev/null | head -n1) == "$version" ]]; then
  echo "ACTIONLINT=$dir/actionlint"
  exit 0
fi
command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null 2>&1 || { echo "provision-actionlint: go not found (PATH or /usr/local/go/bin)" >&2; exit 1; }
export GOPATH="${GOPATH:-$SUPERVISOR_BUILD_CACHE/gopath}" GOCACHE="${GOCACHE:-$SUPERVISOR_BUILD_CACHE/gocache}"
export GOFLAGS="${GOFLAGS:--modcacherw}" GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0
mkdir -p "$dir"
tmp=$(mktemp -d "$dir/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "provision-actionlint: building github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
GOBIN="$tmp" go install -trimpath -ldflags="-s -w" "github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
mv -f "$tmp/actionlint" "$dir/actionlint"
echo "ACTIONLINT=$dir/actionlint"

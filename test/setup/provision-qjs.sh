#!/usr/bin/env bash
# Builds Bellard's qjs (the release pinned in docker/pins.env) from the Debian registry's source package
# into the cache, once; prints the path of the binary. Idempotent: reuses a binary already built.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../docker/pins.env"
source "$here/../../docker/lib/cache-dir.sh"

upstream=${QJS_DEBIAN_VERSION%-*}                 # 2025.04.26
dest="$SUPERVISOR_BUILD_CACHE/qjs/$QJS_DEBIAN_VERSION"
if [[ -x "$dest/qjs" ]] && "$dest/qjs" -e 'import("os")' >/dev/null 2>&1; then
  echo "$dest/qjs"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial"
echo "deb-src http://deb.debian.org/debian $QJS_DEBIAN_SUITE main" >"$work/sources.list"
# A private apt configuration: the machine's own sources (bookworm, binary only) stay untouched.
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$work/lists" -o "APT::Sandbox::User=root" -q)
command -v make >/dev/null && command -v gcc >/dev/null && command -v xz >/dev/null ||
  { apt-get update -q >&2 && apt-get install -y -q build-essential xz-utils >&2; }
apt-get "${apt_opts[@]}" update >&2
(cd "$work" && apt-get "${apt_opts[@]}" source --download-only "quickjs=$QJS_DEBIAN_VERSION" >&2)
orig="$work/quickjs_${upstream}.orig.tar.xz"
echo "$QJS_ORIG_SHA256  $orig" | sha256sum -c --quiet - >&2
tar -xJf "$orig" -C "$work"
make -C "$work/quickjs-${upstream}" -j"$(nproc)" qjs >&2
mkdir -p "$dest"
install -m 755 "$work/quickjs-${upstream}/qjs" "$dest/qjs.tmp"
mv "$dest/qjs.tmp" "$dest/qjs"
echo "$dest/qjs"

#!/usr/bin/env bash
# The reference Docker registry (Debian's docker-registry: distribution 2.8) for the registry tests,
# unpacked into the cache WITHOUT installing the package: its maintainer scripts would start a system
# service on port 5000. The tests start it themselves (test/lab/registry.ts), on loopback, with a
# config of their own. Version pinned in docker/pins.env (DOCKER_REGISTRY_DEBIAN_VERSION), taken from
# this machine's apt sources. Prints DOCKER_REGISTRY=PATH.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../docker/pins.env
. "$here/../../docker/pins.env"
# shellcheck source=../../docker/lib/cache-dir.sh
. "$here/../../docker/lib/cache-dir.sh"
version=${DOCKER_REGISTRY_DEBIAN_VERSION:?docker/pins.env lacks DOCKER_REGISTRY_DEBIAN_VERSION}
dir="$SUPERVISOR_BUILD_CACHE/docker-registry-$version"
binary="$dir/usr/bin/docker-registry"
if [[ -x $binary ]] && "$binary" --version >/dev/null 2>&1; then
  echo "DOCKER_REGISTRY=$binary"
  exit 0
fi
tmp=$(mktemp -d "$SUPERVISOR_BUILD_CACHE/.docker-registry.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
download() { (cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download "docker-registry=$version") >&2; }
if ! download; then
  apt-get update -q >&2
  download || { echo "provision-registry: apt serves no docker-registry=$version: bump DOCKER_REGISTRY_DEBIAN_VERSION in docker/pins.env (apt-cache policy docker-registry)" >&2; exit 1; }
fi
dpkg-deb -x "$tmp"/docker-registry_*.deb "$tmp/root"
"$tmp/root/usr/bin/docker-registry" --version >&2
rm -rf "$dir"
mv "$tmp/root" "$dir"
echo "DOCKER_REGISTRY=$binary"

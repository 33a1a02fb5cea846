#!/usr/bin/env bash
# Installs the build machine's tools for the image recipe with apt, idempotently (apt runs only when
# a command is missing): the cross compilers (static musl builds for arm64/armv7), make, bzip2/xz
# (source tarballs), flock. Go comes from PATH or /usr/local/go (see build-tailscaled.sh).
set -euo pipefail
declare -A PACKAGE_OF=(
  [gcc]=gcc [make]=make [aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu [arm-linux-gnueabihf-gcc]=gcc-arm-linux-gnueabihf
  [bzip2]=bzip2 [xz]=xz-utils [flock]=util-linux [dpkg-deb]=dpkg [apt-get]=apt [pkg-config]=pkg-config
)
missing=()
for command in "${!PACKAGE_OF[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${PACKAGE_OF[$command]}")
done
# libc6-dev: the machine's gcc links qjs's code generator (qjsc) and busybox's config tools.
[[ -f /usr/include/stdio.h ]] || missing+=(libc6-dev)
((${#missing[@]} == 0)) && exit 0
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "image: installing build tools: ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${packages[@]}" >&2

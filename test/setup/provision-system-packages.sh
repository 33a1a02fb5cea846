#!/usr/bin/env bash
# Installs the Debian packages the integration tests run (real iptables, iproute2, busybox, unshare,
# setpriv, capsh), the image tests (podman with runc, skopeo, qemu-user-static), the registry and
# release tests (curl standing in for RouterOS's fetch, openssl for the token service's key, unzip
# for the Tailscale bump, shellcheck for actionlint) and the throughput benchmark (Debian's iperf3),
# idempotently:
# apt-get runs only when a command is missing. Needs root.
set -euo pipefail

# command → package that provides it on Debian bookworm.
declare -A PACKAGE_OF=(
  [iptables-legacy]=iptables
  [iptables-nft]=iptables
  [ip]=iproute2
  [busybox]=busybox-static
  [unshare]=util-linux
  [setpriv]=util-linux
  [nsenter]=util-linux
  [capsh]=libcap2-bin
  [podman]=podman
  [runc]=runc
  [skopeo]=skopeo
  [qemu-aarch64-static]=qemu-user-static
  [qemu-arm-static]=qemu-user-static
  [curl]=curl
  [openssl]=openssl
  [unzip]=unzip
  [shellcheck]=shellcheck
  [iperf3]=iperf3
)

missing=()
for command in "${!PACKAGE_OF[@]}"; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "$command" >/dev/null 2>&1 || missing+=("${PACKAGE_OF[$command]}")
done
if ((${#missing[@]} == 0)); then
  echo "system packages: all present" >&2
  exit 0
fi
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "system packages: installing ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${packages[@]}" >&2

# Sourced by the image recipe's scripts: paths, pins, the architecture table, progress lines, and
# a private apt configuration that fetches pinned Debian files (checked against pins.env).
# shellcheck shell=bash

DOCKER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_ROOT=$(dirname "$DOCKER_DIR")
# shellcheck source=../pins.env
. "$DOCKER_DIR/pins.env"
# The cache every provisioning script shares (SUPERVISOR_BUILD_CACHE, see docker/lib/cache-dir.sh).
# shellcheck source=cache-dir.sh
. "$REPO_ROOT/docker/lib/cache-dir.sh"
IMAGE_CACHE="$SUPERVISOR_BUILD_CACHE/image"
DOWNLOADS="$IMAGE_CACHE/downloads"
mkdir -p "$DOWNLOADS"
IMAGE_ARCHES=(amd64 arm64 armv7)
IMAGE_VARIANTS=(tiny standard)
command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"

# log MESSAGE...: one progress line on stderr, with the seconds since the build started.
: "${IMAGE_STARTED:=$(date +%s)}"
export IMAGE_STARTED
log() { printf 'image [%4ss] %s\n' "$(($(date +%s) - IMAGE_STARTED))" "$*" >&2; }
die() { printf 'image: ERROR: %s\n' "$*" >&2; exit 1; }

# arch_info ARCH: sets the names one architecture has in each world.
arch_info() {
  case "$1" in
    amd64) DEB_ARCH=amd64 GNU_TRIPLET=x86_64-linux-gnu MUSL_TRIPLET=x86_64-linux-musl GOARCH=amd64 GOARM= OCI_ARCH=amd64 OCI_VARIANT= QEMU= ;;
    arm64) DEB_ARCH=arm64 GNU_TRIPLET=aarch64-linux-gnu MUSL_TRIPLET=aarch64-linux-musl GOARCH=arm64 GOARM= OCI_ARCH=arm64 OCI_VARIANT= QEMU=aarch64 ;;
    armv7) DEB_ARCH=armhf GNU_TRIPLET=arm-linux-gnueabihf MUSL_TRIPLET=arm-linux-musleabihf GOARCH=arm GOARM=7 OCI_ARCH=arm OCI_VARIANT=v7 QEMU=arm ;;
    *) die "unknown architecture '$1' (amd64, arm64 or armv7)" ;;
  esac
  # The C cross compiler of the build machine: its own gcc for amd64 (the build machine is amd64).
  if [[ $DEB_ARCH == amd64 ]]; then CROSS_GCC=gcc; else CROSS_GCC=$GNU_TRIPLET-gcc; fi
}

# tailscaled_dir ARCH [FLAVOUR]: where docker/build-tailscaled.sh puts that arch's build for the image (its own
# directory per arch: the test provisioning's directory of the same version is written by other
# checkouts' provisioning scripts too; the Go build cache makes a second amd64 link cheap).
# The feature set and the build script are in the name: another set, or another version of the
# script (another checkout on this machine), builds into a directory of its own instead of over this
# one; FLAVOUR names a build with other Go flags (tiny's: gcflags-<hash>).
tailscaled_dir() { echo "$SUPERVISOR_BUILD_CACHE/go-bin/tailscale-$TAILSCALE_VERSION-linux-$1-$(stamp_of "${BUILD_TAILSCALE_FEATURES:-$TAILSCALE_FEATURES}" "$(content_of "$DOCKER_DIR/build-tailscaled.sh")")${2:+-$2}"; }

# Go caches next to the binaries, as the test provisioning keeps them.
export GOPATH="${GOPATH:-$SUPERVISOR_BUILD_CACHE/gopath}"
export GOMODCACHE="${GOMODCACHE:-$GOPATH/pkg/mod}"
export GOCACHE="${GOCACHE:-$SUPERVISOR_BUILD_CACHE/gocache}"

# A private apt configuration for the pinned suite (binary and source, three architectures);
# the machine's own apt sources and state stay untouched.
APT_DIR="$IMAGE_CACHE/apt"
apt_private() {
  apt-get -o "Dir::Etc::SourceList=$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache" -o Dir::State::status=/dev/null \
    -o APT::Architecture=amd64 -o APT::Architectures::=amd64 -o APT::Architectures::=arm64 -o APT::Architectures::=armhf \
    -o APT::Sandbox::User=root -q "$@"
}
# apt_fetch DIR ARGS...: `apt-get ARGS` in DIR with the package lists kept in the cache; the lists
# are read again from the archive only when they are missing or do not know what is asked for.
apt_fetch() {
  local dir=$1; shift
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
  printf 'deb http://deb.debian.org/debian %s main\ndeb-src http://deb.debian.org/debian %s main\n' "$DEBIAN_SUITE" "$DEBIAN_SUITE" >"$APT_DIR/sources.list"
  if [[ -f $APT_DIR/lists/.complete ]] && (cd "$dir" && apt_private "$@" >/dev/null 2>&1); then return 0; fi
  log "apt: reading the $DEBIAN_SUITE package lists"
  rm -f "$APT_DIR/lists/.complete"
  apt_private update >/dev/null 2>&1 || log "apt: the update reported errors (mirror sync?); trying with what it got"
  touch "$APT_DIR/lists/.complete"
  (cd "$dir" && apt_private "$@" >/dev/null 2>&1)
}

# verified FILE SHA256: true when FILE exists with that sha256.
verified() { [[ -f $1 ]] && [[ $(sha256sum "$1" | cut -d' ' -f1) == "$2" ]]; }

# fetch_deb PACKAGE:ARCH VERSION SHA256 PIN_NAME: the .deb's path (downloaded once, checked).
fetch_deb() {
  local spec=$1 version=$2 sha=$3 pin=$4 file
  file="$DOWNLOADS/${spec%%:*}_${version//:/%3a}_${spec##*:}.deb"
  if ! verified "$file" "$sha"; then
    local tmp; tmp=$(mktemp -d "$DOWNLOADS/.deb.XXXXXX")
    apt_fetch "$tmp" download "$spec=$version" ||
      { rm -rf "$tmp"; die "Debian $DEBIAN_SUITE no longer serves $spec=$version: bump $pin in docker/pins.env"; }
    mv "$tmp"/*.deb "$file"; rm -rf "$tmp"
    verified "$file" "$sha" || die "$file does not have the sha256 pinned in docker/pins.env ($pin)"
  fi
  echo "$file"
}

# fetch_orig SOURCE VERSION SHA256 PIN_NAME: the upstream tarball of a Debian source package.
fetch_orig() {
  local source=$1 version=$2 sha=$3 pin=$4 upstream found
  upstream=${version#*:}; upstream=${upstream%-*}
  found=$(find "$DOWNLOADS/" -maxdepth 1 -name "${source}_${upstream}.orig.tar.*" ! -name '*.asc' | head -n1)
  if [[ -z $found ]] || ! verified "$found" "$sha"; then
    local tmp; tmp=$(mktemp -d "$DOWNLOADS/.src.XXXXXX")
    # Only the upstream tarball is needed (its sha256 is pinned); apt may fail on the other files
    # of the source package (some mirrors serve only tarballs), so success is judged by the file.
    apt_fetch "$tmp" source --download-only "$source=$version" || true
    found=$(find "$tmp" -maxdepth 1 -name "${source}_${upstream}.orig.tar.*" ! -name '*.asc' | head -n1)
    [[ -n $found ]] || { rm -rf "$tmp"; die "Debian $DEBIAN_SUITE no longer serves source $source=$version: bump $pin in docker/pins.env"; }
    mv "$found" "$DOWNLOADS/"; rm -rf "$tmp"
    found="$DOWNLOADS/$(basename "$found")"
    verified "$found" "$sha" || die "$found does not have the sha256 pinned in docker/pins.env ($pin)"
  fi
  echo "$found"
}

# toolchain_json ARCH...: what builds the image's programs, as a JSON object for dist/digests.json:
# Go, the machine's gcc and binutils, each arch's cross gcc and binutils, musl and kernel headers, UPX
# and Node (which packs the archives). Pinned inputs (pins.env) by their pins, tools by --version.
toolchain_json() {
  local arch first="" entries=()
  version_of() { "$@" --version 2>/dev/null | head -n1 | tr -d '"\\'; }
  entries+=("\"go\": \"$(go env GOVERSION)\"" "\"gcc\": \"$(version_of gcc)\"" "\"binutils\": \"$(version_of ld)\"" "\"make\": \"$(version_of make)\"" "\"node\": \"$(node --version)\"")
  for arch in "$@"; do
    arch_info "$arch"
    [[ $DEB_ARCH == amd64 ]] && continue
    [[ " $first " == *" $DEB_ARCH "* ]] && continue
    first+=" $DEB_ARCH"
    entries+=("\"gcc-$DEB_ARCH\": \"$(version_of "$CROSS_GCC")\"" "\"binutils-$DEB_ARCH\": \"$(version_of "$GNU_TRIPLET-ld")\"")
  done
  entries+=("\"musl-dev\": \"$MUSL_DEV_VERSION\"" "\"linux-libc-dev\": \"$LINUX_LIBC_DEV_VERSION\"" "\"upx\": \"$UPX_VERSION\"")
  (IFS=,; echo "{${entries[*]}}")
}

# stamp_of WORDS...: a short hash naming a build's inputs (cache key).
stamp_of() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }
# content_of FILE: the sha256 of a file's content (not its path).
content_of() { sha256sum <"$1" | cut -d' ' -f1; }

# Sourced: the image's C programs, each built statically with musl for one architecture from a
# pinned Debian source package, into the cache (reused while its inputs are unchanged):
#   build_qjs ARCH       → $OUT/qjs, and what build_supervisor links: $OUT/lib/*.o (the engine and
#                          its std/os modules), $OUT/include/*.h, $OUT/host-qjsc (runs here)
#   build_supervisor ARCH BUNDLE → $OUT/supervisor   (the bundle precompiled, docker/supervisor-main.c)
#   build_busybox ARCH   → $OUT/busybox                  (applets: docker/busybox.config)
#   build_iptables ARCH  → $OUT/xtables-legacy-multi, $OUT/xtables-nft-multi
# Each sets OUT to its cache directory. Needs common.sh and musl-toolchain.sh.
# shellcheck shell=bash

JOBS=$(nproc)

# cached_build NAME ARCH KEY...: sets OUT; returns 0 when OUT is already built for these inputs
# (the keys, and the code of build_NAME and the helpers it uses) and its files still have the content
# the build gave them (.sha256sums); a changed or damaged output is built again.
cached_build() {
  local name=$1 arch=$2; shift 2
  OUT="$IMAGE_CACHE/build/$name-$arch-$(stamp_of "$@" "$(declare -f "build_$name" unpack finish_build | sha256sum)")"
  [[ -f $OUT/.done ]] || return 1
  (cd "$OUT" && sha256sum --quiet --strict -c .sha256sums >/dev/null 2>&1) && return 0
  log "$name for $arch: the cached output differs from what its build wrote: building again"
  rm -rf "$OUT"
  return 1
}

# unpack TARBALL DIR: the tarball's single top directory, extracted under DIR (its path is printed).
unpack() {
  tar -xf "$1" -C "$2"
  find "$2" -mindepth 1 -maxdepth 1 -type d | head -n1
}

# finish_build TMP: moves a finished build into OUT, with the content of each file (.sha256sums).
finish_build() {
  (cd "$1" && find . -type f ! -name .sha256sums -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum >.sha256sums)
  touch "$1/.done"
  rm -rf "$OUT"; mkdir -p "$(dirname "$OUT")"; mv "$1" "$OUT"
}

build_qjs() {
  musl_toolchain "$1"
  local orig; orig=$(fetch_orig quickjs "$QJS_DEBIAN_VERSION" "$QJS_ORIG_SHA256" QJS_ORIG_SHA256)
  cached_build qjs "$1" "$orig" "$MUSL_CC" && return 0
  log "qjs: $QJS_DEBIAN_VERSION for $1 (static, musl)"
  local tmp src; tmp=$(mktemp -d "$IMAGE_CACHE/.qjs.XXXXXX"); src=$(unpack "$orig" "$tmp")
  # CROSS_PREFIX=none-: the Makefile then builds its code generator (qjsc) with the machine's own
  # gcc and only qjs with CC. LIBS without -latomic (musl's static libc has what it needs).
  make -C "$src" -j"$JOBS" qjs CROSS_PREFIX=none- CC="$MUSL_CC" HOST_CC=gcc 'LIBS=-lm -lpthread' 'LDFLAGS=-static -s' >"$tmp/build.log" 2>&1 ||
    { tail -n 30 "$tmp/build.log" >&2; die "qjs build for $1 failed"; }
  install -m 755 "$src/qjs" "$tmp/qjs"
  # The engine as objects for build_supervisor, and the build machine's qjsc (same release).
  mkdir -p "$tmp/lib" "$tmp/include"
  local object
  for object in quickjs dtoa libregexp libunicode cutils quickjs-libc; do cp "$src/.obj/$object.o" "$tmp/lib/"; done
  cp "$src"/{quickjs.h,quickjs-libc.h,cutils.h,list.h,dtoa.h} "$tmp/include/"
  install -m 755 "$src/host-qjsc" "$tmp/host-qjsc"
  rm -rf "$src"
  finish_build "$tmp"
}

# The image's entrypoint: the bundle as bytecode (the pinned release's qjsc, `-m`: a module; debug
# information kept) linked with the engine and docker/supervisor-main.c, static. Needs build_qjs's OUT.
build_supervisor() {
  local arch=$1 bundle=$2 qjs_out
  build_qjs "$arch"; qjs_out=$OUT
  cached_build supervisor "$arch" "$qjs_out" "$(content_of "$bundle")" "$(content_of "$DOCKER_DIR/supervisor-main.c")" "$MUSL_CC" && return 0
  log "supervisor: the bundle precompiled for $arch (qjsc $QJS_DEBIAN_VERSION)"
  local tmp; tmp=$(mktemp -d "$IMAGE_CACHE/.supervisor.XXXXXX")
  "$qjs_out/host-qjsc" -c -m -N supervisor_bytecode -o "$tmp/bytecode.c" "$bundle" ||
    die "qjsc could not compile $bundle"
  (cd "$tmp" && "$MUSL_CC" -O2 -I"$qjs_out/include" -c bytecode.c "$DOCKER_DIR/supervisor-main.c" &&
    "$MUSL_CC" -static -s -o supervisor bytecode.o supervisor-main.o "$qjs_out"/lib/*.o -lm -lpthread) >"$tmp/build.log" 2>&1 ||
    { tail -n 30 "$tmp/build.log" >&2; die "supervisor build for $arch failed"; }
  rm -f "$tmp"/*.o "$tmp/bytecode.c"
  finish_build "$tmp"
}

build_busybox() {
  musl_toolchain "$1"
  local orig; orig=$(fetch_orig busybox "$BUSYBOX_DEBIAN_VERSION" "$BUSYBOX_ORIG_SHA256" BUSYBOX_ORIG_SHA256)
  cached_build busybox "$1" "$orig" "$MUSL_CC" "$(content_of "$DOCKER_DIR/busybox.config")" && return 0
  log "busybox: $BUSYBOX_DEBIAN_VERSION for $1 (static, musl, applets of docker/busybox.config)"
  local tmp src; tmp=$(mktemp -d "$IMAGE_CACHE/.busybox.XXXXXX"); src=$(unpack "$orig" "$tmp")
  # Everything off, then exactly the options of busybox.config; oldconfig settles dependencies.
  local make_args=(-C "$src" CC="$MUSL_CC" HOSTCC=gcc STRIP="$MUSL_STRIP" KBUILD_BUILD_TIMESTAMP="@$SOURCE_DATE_EPOCH"
    KCONFIG_NOTIMESTAMP=1 KBUILD_BUILD_USER=builder KBUILD_BUILD_HOST=builder SKIP_STRIP=n)
  make "${make_args[@]}" allnoconfig >"$tmp/build.log" 2>&1 ||
    { tail -n 30 "$tmp/build.log" >&2; die "busybox allnoconfig for $1 failed"; }
  local option
  while read -r option; do
    sed -i -e "/^# ${option%%=*} is not set\$/d" -e "/^${option%%=*}=/d" "$src/.config"
    echo "$option" >>"$src/.config"
  done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$DOCKER_DIR/busybox.config")
  make "${make_args[@]}" oldconfig < <(yes "") >>"$tmp/build.log" 2>&1 ||
    { tail -n 30 "$tmp/build.log" >&2; die "busybox oldconfig for $1 failed"; }
  # Every option asked for must be on: a typo or a missing dependency would silently drop it.
  while read -r option; do
    grep -qx "$option" "$src/.config" || die "busybox.config: '$option' did not stick (a dependency missing?)"
  done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$DOCKER_DIR/busybox.config")
  make "${make_args[@]}" -j"$JOBS" busybox >>"$tmp/build.log" 2>&1 ||
    { tail -n 30 "$tmp/build.log" >&2; die "busybox build for $1 failed"; }
  install -m 755 "$src/busybox" "$tmp/busybox"
  "$MUSL_STRIP" --strip-all "$tmp/busybox"
  # The applets' install paths (/bin/sh, /sbin/ip, ...): the rootfs links each to /bin/busybox.
  make "${make_args[@]}" busybox.links >>"$tmp/build.log" 2>&1 || die "busybox.links for $1 failed"
  sort -u "$src/busybox.links" >"$tmp/applets.list"
  rm -rf "$src"
  finish_build "$tmp"
}

# libmnl and libnftnl for xtables-nft-multi, into $1/{include,lib}: Debian's own static libraries
# (the -dev packages; the registry here does not serve their source tarballs). They were compiled
# against glibc; the few glibc-only symbols they use (_FORTIFY_SOURCE checks, armhf's 64-bit time
# names) are mapped onto musl's functions by docker/glibc-compat-shim.c.
build_netfilter_libs() {
  local prefix=$1 arch=$2 name version sha deb
  mkdir -p "$prefix/deb" "$prefix/include" "$prefix/lib"
  for name in libmnl libnftnl; do
    case $name in
      libmnl) version=$LIBMNL_DEV_VERSION sha=$(eval echo "\$LIBMNL_DEV_SHA256_$DEB_ARCH") ;;
      libnftnl) version=$LIBNFTNL_DEV_VERSION sha=$(eval echo "\$LIBNFTNL_DEV_SHA256_$DEB_ARCH") ;;
    esac
    deb=$(fetch_deb "$name-dev:$DEB_ARCH" "$version" "$sha" "${name^^}_DEV_SHA256_$DEB_ARCH")
    dpkg-deb -x "$deb" "$prefix/deb"
  done
  cp -a "$prefix/deb/usr/include/." "$prefix/include/"
  cp "$prefix/deb/usr/lib/$GNU_TRIPLET/"lib{mnl,nftnl}.a "$prefix/lib/"
  "$MUSL_CC" -Os -c -o "$prefix/compat-shim.o" "$DOCKER_DIR/glibc-compat-shim.c" || die "glibc-compat-shim.c for $arch"
  "${MUSL_STRIP%strip}ar" rcs "$prefix/lib/libcompatshim.a" "$prefix/compat-shim.o" 2>/dev/null ||
    ar rcs "$prefix/lib/libcompatshim.a" "$prefix/compat-shim.o"
  rm -rf "$prefix/deb"
}

# The only extensions tailscaled's rules and the supervisor's probe use (see
# ../shared/facts/image.md): matches mark, conntrack, connmark, udp; targets MARK, CONNMARK,
# MASQUERADE (in NAT), ACCEPT/DROP/RETURN (standard).
IPTABLES_EXTENSIONS="standard mark MARK conntrack connmark CONNMARK udp NAT"

build_iptables() {
  musl_toolchain "$1"
  local orig; orig=$(fetch_orig iptables "$IPTABLES_DEBIAN_VERSION" "$IPTABLES_ORIG_SHA256" IPTABLES_ORIG_SHA256)
  cached_build iptables "$1" "$orig" "$LIBMNL_DEV_VERSION" "$LIBNFTNL_DEV_VERSION" "$MUSL_CC" "$IPTABLES_EXTENSIONS" \
    "$(content_of "$DOCKER_DIR/glibc-compat-shim.c")" "$(declare -f build_netfilter_libs)" && return 0
  log "iptables: $IPTABLES_DEBIAN_VERSION for $1 (static, musl, legacy + nft, extensions: $IPTABLES_EXTENSIONS)"
  local tmp src; tmp=$(mktemp -d "$IMAGE_CACHE/.iptables.XXXXXX")
  build_netfilter_libs "$tmp/deps" "$1"
  src=$(unpack "$orig" "$tmp")
  # Static: the extensions are linked in; only the ones named are built (make variable overrides).
  local deps="$tmp/deps"
  (cd "$src" && ./configure --host="$MUSL_HOST" --build=x86_64-linux-gnu \
    --prefix=/usr --enable-static --disable-shared --enable-nftables \
    --disable-bpf-compiler --disable-nfsynproxy --disable-libipq --disable-connlabel \
    libmnl_CFLAGS="-I$deps/include" libmnl_LIBS="-L$deps/lib -lmnl" \
    libnftnl_CFLAGS="-I$deps/include" libnftnl_LIBS="-L$deps/lib -lnftnl -lmnl -lcompatshim" \
    CC="$MUSL_CC" CFLAGS="-Os" >"$tmp/build.log" 2>&1 &&
    make -j"$JOBS" pfx_build_mod="$IPTABLES_EXTENSIONS" pf4_build_mod= pf6_build_mod= pfb_build_mod= pfa_build_mod= \
      LDFLAGS="-all-static -s" >>"$tmp/build.log" 2>&1) ||
    { tail -n 40 "$tmp/build.log" >&2; die "iptables build for $1 failed"; }
  local program
  for program in xtables-legacy-multi xtables-nft-multi; do
    install -m 755 "$src/iptables/$program" "$tmp/$program"
    "$MUSL_STRIP" --strip-all "$tmp/$program"
  done
  rm -rf "$src" "$tmp/deps"
  finish_build "$tmp"
}

# Sourced: musl_toolchain ARCH sets MUSL_CC, a C compiler that builds static musl binaries for ARCH:
# Debian's gcc (the build machine's own for amd64, its cross compiler otherwise) with trixie's
# musl-dev and kernel headers (both pinned), through a specs file written for this sysroot.
# shellcheck shell=bash

musl_toolchain() {
  arch_info "$1"
  command -v "$CROSS_GCC" >/dev/null || die "$CROSS_GCC missing (docker/lib/provision-build-tools.sh installs it)"
  local musl_deb headers_deb key dir
  musl_deb=$(fetch_deb "musl-dev:$DEB_ARCH" "$MUSL_DEV_VERSION" "$(eval echo "\$MUSL_DEV_SHA256_$DEB_ARCH")" "MUSL_DEV_SHA256_$DEB_ARCH")
  headers_deb=$(fetch_deb "linux-libc-dev:all" "$LINUX_LIBC_DEV_VERSION" "$LINUX_LIBC_DEV_SHA256" LINUX_LIBC_DEV_SHA256)
  key=$(stamp_of "$musl_deb" "$headers_deb" "$("$CROSS_GCC" --version | head -n1)" "$(declare -f musl_toolchain | sha256sum)")
  dir="$IMAGE_CACHE/toolchain/$1-$key"
  MUSL_CC="$dir/bin/cc"
  MUSL_STRIP="$GNU_TRIPLET-strip"
  [[ $DEB_ARCH == amd64 ]] && MUSL_STRIP=strip
  MUSL_HOST=$MUSL_TRIPLET
  # Reused only while every file has the content it was made with.
  [[ -x $MUSL_CC && -f $dir/.sha256sums ]] && (cd "$dir" && sha256sum --quiet --strict -c .sha256sums >/dev/null 2>&1) && return 0

  log "toolchain: musl $MUSL_DEV_VERSION for $1 with $CROSS_GCC"
  local tmp; tmp=$(mktemp -d "$IMAGE_CACHE/.toolchain.XXXXXX")
  mkdir -p "$tmp/deb" "$tmp/include" "$tmp/bin"
  dpkg-deb -x "$musl_deb" "$tmp/deb"
  dpkg-deb -x "$headers_deb" "$tmp/deb"
  local musl_lib="$tmp/deb/usr/lib/$MUSL_TRIPLET"
  [[ -d $musl_lib ]] || musl_lib=$(find "$tmp/deb/usr/lib" -maxdepth 1 -type d -name '*-linux-musl*' | head -n1)
  local lib="$dir/lib"
  # One include dir: musl's headers, then the kernel's (linux/, asm-generic/, this arch's asm/).
  cp -a "$tmp/deb/usr/include/$(basename "$musl_lib")/." "$tmp/include/"
  local sub
  for sub in linux asm-generic mtd rdma scsi sound video drm misc xen; do
    [[ -d $tmp/deb/usr/include/$sub ]] && cp -rL "$tmp/deb/usr/include/$sub" "$tmp/include/"
  done
  # The asm/ headers are links into /usr/lib/linux/uapi of the package: copy what they point to.
  cp -rL "$tmp/deb/usr/include/$GNU_TRIPLET/asm" "$tmp/include/asm"
  mkdir -p "$tmp/lib"
  cp -a "$musl_lib/." "$tmp/lib/"
  # gcc's own start files and libgcc stay the compiler's; only libc, its crt and headers are musl's.
  cat >"$tmp/lib/musl-gcc.specs" <<EOF
%rename cpp_options old_cpp_options

*cpp_options:
-nostdinc -isystem $dir/include -isystem include%s %(old_cpp_options)

*cc1:
%(cc1_cpu) -nostdinc -isystem $dir/include -isystem include%s

*link_libgcc:
-L$lib -L .%s

*libgcc:
libgcc.a%s %:if-exists(libgcc_eh.a%s)

*startfile:
%{shared:;static-pie:$lib/rcrt1.o; :$lib/Scrt1.o} $lib/crti.o crtbeginS.o%s

*endfile:
crtendS.o%s $lib/crtn.o

*link:
-nostdlib %{shared:-shared} %{static:-static} %{static-pie:-static -pie --no-dynamic-linker} %{rdynamic:-export-dynamic}

EOF
  # -ffile-prefix-map: no build directory in the binaries (reproducible wherever it is built).
  cat >"$tmp/bin/cc" <<EOF
#!/bin/sh
exec $CROSS_GCC -specs $lib/musl-gcc.specs -static -ffile-prefix-map=\$PWD=. "\$@"
EOF
  chmod +x "$tmp/bin/cc"
  rm -rf "$tmp/deb"
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir"; mv "$tmp" "$dir"
  printf 'int main(void){return 0;}\n' >"$dir/t.c"
  (cd "$dir" && "$MUSL_CC" -o t t.c) || die "the musl toolchain for $1 cannot link a program"
  rm -f "$dir/t" "$dir/t.c"
  (cd "$dir" && find . -type f ! -name .sha256sums -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum >.sha256sums)
}

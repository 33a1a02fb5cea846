# Sourced: the rootfs of one variant from docker/rootfs.list, and its normalised layer tar.
#   assemble_rootfs VARIANT DEST   (SOURCES: an associative array @name → file, set by the caller)
#   write_layer DEST TAR           (a byte-reproducible tar of DEST)
# shellcheck shell=bash

# upx_tool: sets UPX to a command running trixie's upx-ucl on this machine (its own loader and
# C++ runtime from pinned trixie packages: bookworm has no upx-ucl).
upx_tool() {
  local debs=() spec
  for spec in "upx-ucl:amd64 $UPX_VERSION $UPX_SHA256 UPX_SHA256" \
    "libc6:amd64 $UPX_LIBC6_VERSION $UPX_LIBC6_SHA256 UPX_LIBC6_SHA256" \
    "libstdc++6:amd64 $UPX_LIBSTDCXX6_VERSION $UPX_LIBSTDCXX6_SHA256 UPX_LIBSTDCXX6_SHA256" \
    "libgcc-s1:amd64 $UPX_LIBGCC_S1_VERSION $UPX_LIBGCC_S1_SHA256 UPX_LIBGCC_S1_SHA256"; do
    # shellcheck disable=SC2086
    debs+=("$(fetch_deb $spec)")
  done
  local dir="$IMAGE_CACHE/upx-$(stamp_of "${debs[@]}")"
  if [[ ! -f $dir/.done ]]; then
    local tmp; tmp=$(mktemp -d "$IMAGE_CACHE/.upx.XXXXXX")
    local deb; for deb in "${debs[@]}"; do dpkg-deb -x "$deb" "$tmp"; done
    touch "$tmp/.done"; rm -rf "$dir"; mv "$tmp" "$dir"
  fi
  UPX=("$dir/usr/lib64/ld-linux-x86-64.so.2" --library-path "$dir/usr/lib/x86_64-linux-gnu" "$dir/usr/bin/upx-ucl")
  [[ -e ${UPX[0]} ]] || UPX[0]="$dir/lib64/ld-linux-x86-64.so.2"
  "${UPX[@]}" --version >/dev/null 2>&1 || die "trixie's upx-ucl does not run on this machine"
}

# compressed SOURCE METHOD: the UPX-compressed copy of SOURCE (cached by content and method; reused
# only while it has the content it was written with, $out.sha256).
compressed() {
  local source=$1 method=$2 key out
  key=$(stamp_of "$(content_of "$source")" "$method" "$UPX_VERSION")
  out="$IMAGE_CACHE/upx-out/$key"
  if [[ ! -f $out || ! -f $out.sha256 || $(content_of "$out") != "$(cat "$out.sha256")" ]]; then
    [[ -n ${UPX[*]:-} ]] || upx_tool
    mkdir -p "$IMAGE_CACHE/upx-out"
    local tmp="$out.tmp.$$"
    cp "$source" "$tmp"
    local flags=(--best -q -q)
    [[ $method == upx-lzma ]] && flags+=(--lzma)
    "${UPX[@]}" "${flags[@]}" "$tmp" >/dev/null || die "upx $method failed on $source"
    "${UPX[@]}" -t -q -q "$tmp" >/dev/null || die "upx -t failed on the compressed $source"
    content_of "$tmp" >"$out.sha256"
    mv "$tmp" "$out"
  fi
  echo "$out"
}

# relative_link FROM_PATH TO_PATH: the link target that points from FROM_PATH's dir to TO_PATH, as
# paths of the image (-s: the build host's own links are not followed; on a merged-/usr host /bin is
# a link to usr/bin, which made /usr/bin/setsid -> busybox, a link to nothing in the image).
relative_link() { realpath -m -s --relative-to="$(dirname "$1")" "$2"; }

# held_as IN VARIANT: how VARIANT holds an entry whose IN column is IN (rootfs.list): prints
# "as-built", "upx" or "upx-lzma"; prints nothing when the variant does not hold it.
held_as() {
  local in=$1 variant=$2 spec
  [[ -z $in ]] && { echo as-built; return 0; }
  local IFS=,
  for spec in $in; do
    case $spec in
      "$variant") echo as-built; return 0 ;;
      "$variant":upx | "$variant":upx-lzma) echo "${spec#*:}"; return 0 ;;
      standard | tiny | standard:* | tiny:*) ;;
      *) die "rootfs.list: unknown variant spec '$spec'" ;;
    esac
  done
}

assemble_rootfs() {
  local variant=$1 dest=$2 kind path a b c how
  rm -rf "$dest"; mkdir -p "$dest"
  while read -r kind path a b c; do
    [[ -z $kind || $kind == \#* ]] && continue
    case $kind in
      dir) mkdir -p "$dest$path"; chmod "$a" "$dest$path" ;;
      link)
        how=$(held_as "$b" "$variant"); [[ -n $how ]] || continue
        mkdir -p "$(dirname "$dest$path")"; ln -sfn "$a" "$dest$path" ;;
      file)
        how=$(held_as "$c" "$variant"); [[ -n $how ]] || continue
        local source
        if [[ $b == @* ]]; then source=${SOURCES[$b]:-}; [[ -n $source ]] || die "rootfs.list: no build output $b"
        else source="$DOCKER_DIR/rootfs/$b"; fi
        [[ -f $source ]] || die "rootfs.list: $source missing"
        [[ $how == as-built ]] || source=$(compressed "$source" "$how")
        mkdir -p "$(dirname "$dest$path")"
        cp "$source" "$dest$path"; chmod "$a" "$dest$path" ;;
      applets)
        local applet
        while read -r applet; do
          [[ $applet == "$path" || -e $dest$applet || -L $dest$applet ]] && continue
          mkdir -p "$(dirname "$dest$applet")"
          ln -s "$(relative_link "$applet" "$path")" "$dest$applet"
        done <"${SOURCES[@applets]}" ;;
      *) die "rootfs.list: unknown kind '$kind'" ;;
    esac
  done <"$DOCKER_DIR/rootfs.list"
}

# write_layer DEST TAR: sorted entries, one timestamp (SOURCE_DATE_EPOCH), owner root with no
# names, ustar headers only (no PAX records), so the same tree gives the same bytes.
write_layer() {
  local dest=$1 tar_file=$2 entries
  mapfile -t entries < <(cd "$dest" && ls -A | LC_ALL=C sort)
  LC_ALL=C tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    --format=ustar -C "$dest" -cf "$tar_file" "${entries[@]}"
}

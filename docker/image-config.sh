# Sourced by docker/build.sh: the image's runtime configuration and labels, the same for every
# variant and architecture (docker/Dockerfile states the same values; a test compares them).
# shellcheck shell=bash

# The supervisor (QuickJS with the bundle precompiled) is the entrypoint, no shell. CMD is explicit because
# RouterOS 7.22+ refuses an image without a command ("no command specified, set cmd or
# entrypoint"); `supervise` is what no arguments mean. `docker run IMAGE status` replaces CMD and
# runs `tailscale status`.
IMAGE_ENTRYPOINT='["/usr/local/bin/supervisor"]'
IMAGE_CMD='["supervise"]'
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# `health` reads the state the supervisor records on tmpfs (no tailscale exec); 30 s keeps the
# cost of a start on a router CPU low; 60 s start period covers a first login.
IMAGE_HEALTHCHECK='{"Test":["CMD","/usr/local/bin/supervisor","health"],"Interval":30000000000,"Timeout":10000000000,"StartPeriod":60000000000,"Retries":3}'
IMAGE_REPOSITORY=routeros-tailscale-supervisor
# Licenses of what the image holds: the supervisor and qjs, musl (MIT), Tailscale (BSD-3-Clause),
# busybox (GPL-2.0-only), iptables and libnftnl (GPL-2.0-or-later), libmnl (LGPL-2.1-or-later),
# Mozilla's CA roots (MPL-2.0). Sources: the Debian source packages pinned in pins.env.
IMAGE_LICENSES="MIT AND BSD-3-Clause AND GPL-2.0-only AND GPL-2.0-or-later AND LGPL-2.1-or-later AND MPL-2.0"

# write_pack_config FILE IMAGES_JSON_LIST TOOLCHAIN_JSON: the input of lib/pack-image.mjs.
write_pack_config() {
  local file=$1 images=$2 toolchain=${3:-null} version revision source created
  version=$(node -p "require('$REPO_ROOT/package.json').version")
  revision=$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
  # A tree that differs from its commit is named as such (the label must not claim a commit it is not).
  [[ -z $(git -C "$REPO_ROOT" status --porcelain -- docker bundle package.json 2>/dev/null) ]] || revision="$revision-modified"
  # The source label: set IMAGE_SOURCE (your repository's URL) when you publish the image.
  source=${IMAGE_SOURCE:-unpublished}
  created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
  cat >"$file" <<JSON
{
  "images": [$images],
  "toolchain": $toolchain,
  "repository": "$IMAGE_REPOSITORY",
  "created": "$created",
  "author": "routeros-tailscale-supervisor",
  "labels": {
    "org.opencontainers.image.version": "$version-tailscale${TAILSCALE_VERSION#v}",
    "org.opencontainers.image.revision": "$revision",
    "org.opencontainers.image.source": "$source",
    "org.opencontainers.image.licenses": "$IMAGE_LICENSES",
    "org.opencontainers.image.description": "Tailscale $TAILSCALE_VERSION for MikroTik RouterOS containers, supervised by a QuickJS PID 1"
  },
  "config": {
    "Env": ["PATH=$IMAGE_PATH"],
    "Entrypoint": $IMAGE_ENTRYPOINT,
    "Cmd": $IMAGE_CMD,
    "WorkingDir": "/",
    "Volumes": {"/var/lib/tailscale": {}},
    "StopSignal": "SIGTERM",
    "Healthcheck": $IMAGE_HEALTHCHECK
  }
}
JSON
}

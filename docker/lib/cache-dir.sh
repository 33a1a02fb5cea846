# Sourced by the build and provisioning scripts: the build cache, where tools and image components
# built once (qjs, tailscaled, headscale, cross toolchains, rootfs parts) are kept and reused.
# Override with SUPERVISOR_BUILD_CACHE; by default the user's cache directory, so that fresh clones
# on the same machine share it. SUPERVISOR_TEST_CACHE, its former name, is still read (this release only).
SUPERVISOR_BUILD_CACHE=${SUPERVISOR_BUILD_CACHE:-${SUPERVISOR_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ts-supervisor}}
export SUPERVISOR_BUILD_CACHE
mkdir -p "$SUPERVISOR_BUILD_CACHE"

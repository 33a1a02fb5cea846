# Sourced by the provisioning scripts: where provisioned tools live, reused between runs.
# Override with SUPERVISOR_TEST_CACHE; the default survives fresh clones on the same machine.
SUPERVISOR_TEST_CACHE=${SUPERVISOR_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ts-supervisor}
mkdir -p "$SUPERVISOR_TEST_CACHE"

#!/usr/bin/env bash
# The one test command (see README): provisions everything into a cache, idempotently, then runs
# every test and ends with a line "N passed, N failed".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
setup="$root/test/setup"

echo "== provisioning" >&2
bash "$setup/provision-system-packages.sh" >&2
bash "$setup/provision-node-modules.sh" >&2
export SUPERVISOR_QJS; SUPERVISOR_QJS=$(bash "$setup/provision-qjs.sh")
echo "qjs: $SUPERVISOR_QJS" >&2
# Real tailscaled, tailscale and headscale, built from their Go modules (a first build takes minutes).
binaries=$(bash "$setup/provision-tailscale.sh")
export TAILSCALED TAILSCALE HEADSCALE
eval "$binaries"
echo "$binaries" >&2
# The registry tests' registry and the workflow linter (test/registry/, test/release/).
tools=$(bash "$setup/provision-registry.sh" && bash "$setup/provision-actionlint.sh")
export DOCKER_REGISTRY ACTIONLINT
eval "$tools"
echo "$tools" >&2
# The image (test/image/): every arch and variant, built from pinned inputs into dist/ (cached
# components make a warm run take seconds; a fresh one builds C and Go code for three arches).
bash docker/build.sh >&2
# And one with a feature the standard set lacks, for the test that proves it then works (amd64, standard).
bash docker/build.sh --arch amd64 --variant standard --features +ssh --out dist/features >&2

echo "== tests" >&2
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
node "$setup/summarize-report.mjs" "$report" || status=1
exit "$status"

#!/usr/bin/env bash
# Mutation run over src/core: Stryker (pinned devDependencies) with its vitest runner and the core's
# tests (test/mutation/vitest.config.ts), then the score. Not part of `bash test/run.sh`: it is
# heavy (each mutant reruns the tests that cover it), so run it on its own, with 1-2 workers.
# MUTATION_RUN=1 makes property tests try a tenth of their cases and leaves out the parts that run
# the committed bundle (test/support/mutation-run.ts). Static mutants (module-level constants) are
# ignored: each would rerun every test. Incremental: a rerun tests only the mutants whose code or
# tests changed (reports/mutation/stryker-incremental.json; delete it, or FORCE=1, for a full run).
# Reports: reports/mutation/mutation.json (and .html via STRYKER_HTML=1), and
# reports/mutation/survivors.txt (surviving and uncovered mutants, one a line).
#
#   npm run mutation
#   MUTATION_CONCURRENCY=1 npm run mutation
#   MUTATE='src/core/log/**/*.ts' npm run mutation        # a part of src/core only
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
bash test/setup/provision-node-modules.sh >&2
args=(run test/mutation/stryker.config.json --concurrency "${MUTATION_CONCURRENCY:-2}")
[[ -n ${MUTATE:-} ]] && args+=(--mutate "$MUTATE")
[[ ${STRYKER_HTML:-} == 1 ]] && args+=(--reporters clear-text,progress,json,html)
[[ ${FORCE:-} == 1 ]] && args+=(--force)
MUTATION_RUN=1 npx stryker "${args[@]}"
node test/mutation/summarize.mjs reports/mutation/mutation.json --survivors reports/mutation/survivors.txt

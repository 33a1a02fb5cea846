#!/usr/bin/env bash
# Benchmark: the cost of validating the configuration (issue 9 item 5: linear, any environment up to
# 1 MB in under 0.5 s under qjs on this machine).
#   1. In-process under qjs (config-cost.entry.ts): each environment of config-cost.scenarios.ts
#      (10,000 IPv4/IPv6 routes, 10,000 with host bits, a 16,000-character unknown name, 1,000
#      unknown variables of 1 KB, 100,000 short ones, 4 x 128 KiB of flags, 2 x 128 KiB of
#      --authkey flags, 8 of our variables at 128 KiB each, one value of 1 MB) through what
#      `config` does: load, report, redact, print. RUNS runs each (default 7); median, min, max in
#      ms, and the median minus the empty environment's (the baseline beside it).
#   2. End to end: `qjs bundle/supervisor.mjs config` started with the environments a process can get
#      (each string under the kernel's 128 KiB), wall time from start to exit, against the same
#      command with an empty environment, interleaved.
# Nothing is asserted: the machine is shared. Tests with generous bounds are in
# test/bundle/config-cost.test.ts and test/integration/config-pid1.test.ts.
#
#   bash test/lab/bench/config-cost.sh
#   RUNS=15 bash test/lab/bench/config-cost.sh
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
RUNS=${RUNS:-7}

QJS=$(bash "$root/test/setup/provision-qjs.sh")
bash "$root/test/setup/provision-node-modules.sh" >&2
BUNDLE="$root/bundle/supervisor.mjs"
tmp=$(mktemp -d /tmp/ts-bench-config.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

stats() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'; }

echo "config-cost: $RUNS runs each; $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bundle $(stat -c %s "$BUNDLE") B, commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"

# 1. In-process.
(cd "$root" && node -e '
  const { build } = await import("esbuild");
  await build({ entryPoints: [process.argv[1]], outfile: process.argv[2], bundle: true, format: "esm", platform: "browser", target: "es2023", external: ["os", "std"], logLevel: "warning" });
' --input-type=module "$here/config-cost.entry.ts" "$tmp/config-cost.mjs")
echo
echo "1. in-process under qjs (ms): median min max | median minus baseline"
baseline=
while IFS=$'\t' read -r name bytes times; do
  [[ -z ${bytes:-} ]] && { echo "   $name"; continue; }
  read -r median min max < <(stats $times)
  baseline=${baseline:-$median}
  printf '   %-50s %9d B  %8.1f %8.1f %8.1f | %+8.1f\n' "$name" "$bytes" "$median" "$min" "$max" "$(awk -v m="$median" -v b="$baseline" 'BEGIN { print m - b }')"
done < <(env -i PATH=/usr/bin:/bin "$QJS" "$tmp/config-cost.mjs" "$RUNS")

# 2. End to end: the scenarios a process can be started with (every string under 128 KiB). Node starts
# each (spawnSync, an exact environment) and times it from start to exit; bash would spend seconds
# building an argument list of 100,000 variables.
(cd "$root" && node -e '
  const { build } = await import("esbuild");
  await build({ entryPoints: [process.argv[1]], outfile: process.argv[2], bundle: true, format: "esm", platform: "node", logLevel: "warning" });
' --input-type=module "$here/config-cost.scenarios.ts" "$tmp/scenarios.mjs")
echo
echo "2. end to end, qjs bundle/supervisor.mjs config (ms, wall): median min max | median minus baseline | qjs -e '' given the same environment (median)"
node --input-type=module -e '
  const [scenariosFile, qjs, bundle, runs] = process.argv.slice(1);
  const { buildScenarios, environmentBytes, MAX_STRING } = await import(scenariosFile);
  const { spawnSync } = await import("node:child_process");
  const scenarios = buildScenarios().filter((scenario) => Object.values(scenario.env).every((value) => value.length <= MAX_STRING));
  const samples = scenarios.map(() => []);
  const empty = scenarios.map(() => []);
  const time = (args, env) => {
    const started = process.hrtime.bigint();
    spawnSync(qjs, args, { env: { PATH: "/usr/bin:/bin", ...env }, stdio: "ignore" });
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  for (let run = 0; run < Number(runs); run += 1) {
    scenarios.forEach((scenario, index) => {
      samples[index].push(time([bundle, "config"], scenario.env));
      // What qjs alone spends taking such an environment (getenviron of 100,000 variables is not free).
      empty[index].push(time(["-e", ""], scenario.env));
    });
  }
  const median = (values) => { const sorted = [...values].sort((a, b) => a - b); const middle = sorted.length >> 1; return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2; };
  const baseline = median(samples[0]);
  scenarios.forEach((scenario, index) => {
    const values = samples[index];
    const difference = median(values) - baseline;
    const line = `   ${scenario.name.padEnd(50)} ${String(environmentBytes(scenario.env)).padStart(9)} B  ${[median(values), Math.min(...values), Math.max(...values)].map((v) => v.toFixed(1).padStart(8)).join(" ")} | ${(difference >= 0 ? "+" : "") + difference.toFixed(1).padStart(7)} | ${median(empty[index]).toFixed(1).padStart(7)}`;
    console.log(line);
  });
' "$tmp/scenarios.mjs" "$QJS" "$BUNDLE" "$RUNS"

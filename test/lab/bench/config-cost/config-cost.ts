// `npm run bench -- config-cost`: the cost of validating the configuration (issue 9 item 5: linear,
// any environment up to 1 MB in under 0.5 s under qjs on this machine), beside the empty environment
// measured in the same run. Nothing is asserted (tests with generous bounds: test/bundle/config-cost.test.ts,
// test/integration/config-pid1.test.ts).
//   1. In-process under qjs (config-cost.entry.ts): each environment of config-cost.scenarios.ts
//      through what `config` does (load, report, redact, print), RUNS times each.
//   2. End to end: `qjs bundle/supervisor.mjs config` started with each environment a process can
//      get (every string under the kernel's 128 KiB), start to exit, and `qjs -e ''` given the same
//      environment (what qjs alone spends taking it), interleaved.
//   RUNS=7 npm run bench -- config-cost   (~1 minute; no root needed)
import { build } from "esbuild";
import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE, findQjs, ROOT } from "../../../support/qjs.ts";
import { buildScenarios, environmentBytes, MAX_STRING } from "./config-cost.scenarios.ts";
import { describeRun, progress, wholeNumber } from "../settings.ts";
import { median, summarize } from "../stats.ts";

const ms = (value: number) => value.toFixed(1);
const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(1)}`;
const range = (values: readonly number[]) => {
  const { median: middle, min, max } = summarize(values);
  return `${ms(middle)} (${ms(min)}-${ms(max)})`;
};

/** In-process: the entry's lines "name<TAB>bytes<TAB>ms of each run" as a table. */
async function inProcess(qjs: string, runs: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "ts-bench-config-"));
  try {
    const outfile = join(dir, "config-cost.mjs");
    await build({ entryPoints: [join(ROOT, "test/lab/bench/config-cost/config-cost.entry.ts")], outfile, bundle: true, format: "esm", platform: "browser", target: "es2023", external: ["os", "std"], logLevel: "warning" });
    const { stdout } = await execa(qjs, [outfile, String(runs)], { env: { PATH: "/usr/bin:/bin" }, extendEnv: false, timeout: 600_000 });
    const lines = ["| environment | bytes | ms, median (min-max) | minus the empty one |", "|---|---|---|---|"];
    const notes: string[] = [];
    let baseline: number | undefined;
    for (const line of stdout.split("\n")) {
      const [name = "", bytes, times] = line.split("\t");
      if (bytes === undefined || times === undefined) {
        if (name !== "") notes.push(name);
        continue;
      }
      const values = times.split(" ").map(Number);
      baseline ??= median(values);
      lines.push(`| ${name} | ${bytes} | ${range(values)} | ${signed(median(values) - baseline)} |`);
    }
    return [...lines, ...(notes.length > 0 ? ["", ...notes] : [])].join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds from spawning `qjs ...args` with exactly `env` (and PATH) until it exited. */
function timeRun(qjs: string, args: readonly string[], env: Record<string, string>): number {
  const started = process.hrtime.bigint();
  spawnSync(qjs, args, { env: { PATH: "/usr/bin:/bin", ...env }, stdio: "ignore" });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** End to end: the scenarios a process can be started with, `config` against `qjs -e ''`. */
function endToEnd(qjs: string, runs: number): string {
  const scenarios = buildScenarios().filter((scenario) => Object.values(scenario.env).every((value) => value.length <= MAX_STRING));
  const config = scenarios.map((): number[] => []);
  const empty = scenarios.map((): number[] => []);
  for (let run = 0; run < runs; run += 1) {
    scenarios.forEach((scenario, index) => {
      config[index]?.push(timeRun(qjs, [BUNDLE, "config"], scenario.env));
      empty[index]?.push(timeRun(qjs, ["-e", ""], scenario.env));
    });
  }
  const baseline = median(config[0] ?? []);
  const lines = ["| environment | bytes | `config`, ms median (min-max) | minus the empty one | `qjs -e ''` (median) |", "|---|---|---|---|---|"];
  scenarios.forEach((scenario, index) => {
    const values = config[index] ?? [];
    lines.push(`| ${scenario.name} | ${environmentBytes(scenario.env)} | ${range(values)} | ${signed(median(values) - baseline)} | ${ms(median(empty[index] ?? []))} |`);
  });
  return lines.join("\n");
}

async function main(): Promise<void> {
  const runs = wholeNumber("RUNS", 7, (value) => value >= 1);
  const qjs = findQjs();
  progress("config-cost: in-process under qjs");
  const first = await inProcess(qjs, runs);
  progress("config-cost: end to end");
  const second = endToEnd(qjs, runs);
  process.stdout.write(`npm run bench -- config-cost: RUNS=${runs}; ${describeRun()}\n\n1. In-process under qjs:\n\n${first}\n\n2. End to end, \`qjs bundle/supervisor.mjs config\` (wall time, start to exit):\n\n${second}\n\nAim: any environment up to 1 MB validated in under 0.5 s.\n`);
}

await main().catch((error: unknown) => {
  progress(`npm run bench -- config-cost: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});

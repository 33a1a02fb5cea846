// `npm run bench -- health-cost`: what a `health` check costs inside a Running container of the image (default
// the tiny variant, where each exec of the UPX-compressed tailscale binary unpacks ~17 MB first), run
// as RouterOS's healthcheck-cmd runs it (in the container's namespaces), against what a check with
// one CLI exec would cost (`tailscale status --json`), and `doctor` with its live section for scale.
// Medians of RUNS runs (wall, and user + system CPU from bash's `time`), ratios to the CLI exec.
//   RUNS=21 VARIANT=tiny npm run bench -- health-cost     (as root; a few minutes)
import { execa } from "execa";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../support/qjs.ts";
import { uniqueName, type Variant } from "../podman.ts";
import { routerEnv, startRouter } from "../router.ts";
import { buildAndLoadImage, provisionTools } from "../sandbox/image.ts";
import { createTopology } from "../topology.ts";
import { median } from "./stats.ts";

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

/** Wall and CPU seconds of one command run in the container's namespaces; its exit code. */
async function measure(pid: number, command: readonly string[]): Promise<{ wall: number; cpu: number; exitCode: number }> {
  const quoted = command.map((word) => `'${word}'`).join(" ");
  const result = await execa("bash", ["-c", `TIMEFORMAT='%R %U %S'; time nsenter -t ${pid} -m -n -p -r -w ${quoted} >/dev/null 2>&1; echo "exit=$?" >&2`], { reject: false });
  const exitCode = Number(/exit=(\d+)/.exec(result.stderr)?.[1] ?? "-1");
  const [wall, user, sys] = result.stderr.trim().split("\n").filter((line) => /^[\d.]+ [\d.]+ [\d.]+$/.test(line)).at(-1)?.split(" ").map(Number) ?? [];
  return { wall: wall ?? Number.NaN, cpu: (user ?? 0) + (sys ?? 0), exitCode };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("run it as root (network namespaces, podman)");
  const runs = Number(process.env["RUNS"] ?? "21");
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`RUNS=${process.env["RUNS"]}: a whole number of at least 1`);
  const variant = (process.env["VARIANT"] ?? "tiny") as Variant;
  if (variant !== "standard" && variant !== "tiny") throw new Error(`VARIANT=${variant}: standard or tiny`);
  await provisionTools(progress);
  const { image } = await buildAndLoadImage(variant, "amd64", progress);
  const topology = await createTopology(`th${process.pid % 100000}`);
  const stateDir = mkdtempSync(join(tmpdir(), "ts-bench-health-"));
  try {
    const container = await startRouter(topology, { image, stateDir, env: routerEnv(topology, { key: await topology.headscale.createKey(), hostname: "bench-health" }), name: uniqueName("bench-health") });
    try {
      await container.waitForLog(/INFO supervisor: tailscale is running/, 120_000);
      const pid = await container.pid();
      const subjects: Array<[string, string[], number]> = [
        ["tailscale status --json (one CLI exec: the baseline)", ["/usr/local/bin/tailscale", "status", "--json"], runs],
        ["qjs /supervisor.mjs health", ["/usr/local/bin/qjs", "/supervisor.mjs", "health"], runs],
        ["qjs /supervisor.mjs health --explain", ["/usr/local/bin/qjs", "/supervisor.mjs", "health", "--explain"], runs],
        ["qjs /supervisor.mjs doctor (with its live section)", ["/usr/local/bin/qjs", "/supervisor.mjs", "doctor"], Math.min(runs, 5)],
      ];
      const rows: string[] = [];
      let baseline: { wall: number; cpu: number } | undefined;
      for (const [label, command, count] of subjects) {
        const samples = [];
        for (let run = 0; run < count; run += 1) samples.push(await measure(pid, command));
        const wall = median(samples.map((sample) => sample.wall));
        const cpu = median(samples.map((sample) => sample.cpu));
        baseline ??= { wall, cpu };
        const ratio = (value: number, base: number) => (base > 0 ? ` x${(value / base).toFixed(3)}` : "");
        rows.push(`| ${label} | ${(wall * 1000).toFixed(0)} ms${ratio(wall, baseline.wall)} | ${(cpu * 1000).toFixed(0)} ms${ratio(cpu, baseline.cpu)} | ${count} | ${[...new Set(samples.map((sample) => sample.exitCode))].join(",")} |`);
        progress(rows.at(-1) ?? "");
      }
      const commit = (await execa("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"], { reject: false })).stdout.trim();
      process.stdout.write(`npm run bench -- health-cost: RUNS=${runs} VARIANT=${variant}, commit ${commit}, ${new Date().toISOString()}, load ${loadavg().map((value) => value.toFixed(2)).join(" ")}\n\n| command in the Running container (${variant}) | wall, median | CPU (user+sys), median | runs | exit |\n|---|---|---|---|---|\n${rows.join("\n")}\n`);
      await container.stop(10);
    } finally {
      await container.remove();
    }
  } finally {
    await topology.remove();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

await main().catch((error: unknown) => {
  progress(`npm run bench -- health-cost: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});

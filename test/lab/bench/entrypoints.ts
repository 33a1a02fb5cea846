// `npm run bench`: this image against Tailscale's own entrypoint (containerboot) and a bare baseline
// (tailscaled + `tailscale up` by hand), each the same rootfs and tailscaled run by podman in the
// same RouterOS-like topology (test/lab/topology.ts), side by side: RUNS rounds (plus one warm-up
// round not counted), the subjects' order rotating each round. Prints progress on stderr and the
// table (medians, ranges, ratios to the baseline, the aims) on stdout.
//   RUNS=5 QUIET_S=60 VARIANT=standard npm run bench      (as root; ~25 minutes with the defaults)
import { execa } from "execa";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../support/qjs.ts";
import { createTopology } from "../topology.ts";
import { podman, type Variant } from "../podman.ts";
import { buildAndLoadImage, provisionTools } from "../sandbox/image.ts";
import { prepareImages, type SubjectId } from "./entrypoint-images.ts";
import { measureRun, type RunFigures } from "./entrypoint-run.ts";
import { renderTable, type SubjectResults } from "./entrypoint-table.ts";

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

function setting(name: string, fallback: number, check: (value: number) => boolean): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || !check(value)) throw new Error(`${name}=${raw}: give a whole number (default ${fallback})`);
  return value;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("run it as root (network namespaces, podman)");
  const runs = setting("RUNS", 5, (value) => value >= 1);
  const quietS = setting("QUIET_S", 60, (value) => value >= 1);
  const variant = (process.env["VARIANT"] ?? "standard") as Variant;
  if (variant !== "standard" && variant !== "tiny") throw new Error(`VARIANT=${variant}: standard or tiny`);

  await provisionTools(progress);
  // Containers a killed run left behind (their names are this run's own, but they hold the topology's veth).
  const leftovers = (await podman(["ps", "-a", "-q", "--filter", "label=ts-bench=entrypoints"])).stdout.split("\n").filter((id) => id !== "");
  if (leftovers.length > 0) await podman(["rm", "-f", "-t", "0", ...leftovers], { timeoutMs: 60_000 });
  const { archive } = await buildAndLoadImage(variant, "amd64", progress);
  const containerboot = (await execa("bash", [join(ROOT, "test/lab/bench/build-containerboot.sh")], { stderr: "inherit" })).stdout.trim();
  const workDir = mkdtempSync(join(tmpdir(), "ts-bench-entrypoints-"));
  const topology = await createTopology(`tb${process.pid % 100000}`, { workDir: join(workDir, "topology") });
  try {
    const images = await prepareImages(archive, containerboot, workDir);
    const client = await topology.startClient();
    const labels: Record<SubjectId, string> = { bare: "bare baseline", containerboot: "containerboot", image: `this image (${variant})` };
    const order: SubjectId[] = ["bare", "containerboot", "image"];
    const results = new Map<SubjectId, RunFigures[]>(order.map((id) => [id, []]));
    for (let round = 0; round <= runs; round += 1) {
      const rotated = [...order.slice(round % 3), ...order.slice(0, round % 3)];
      for (const id of rotated) {
        const label = `${id}-${round}`;
        const figures = await measureRun(topology, client, images[id], label, workDir, quietS);
        progress(`${round === 0 ? "warm-up" : `round ${round}/${runs}`} ${id}: ${Object.entries(figures).map(([key, value]) => `${key}=${Number(value.toFixed(4))}`).join(" ")} load=${loadavg()[0]?.toFixed(2)}`);
        if (round > 0) results.get(id)?.push(figures);
      }
    }
    const subjects: SubjectResults[] = order.map((id) => ({ id, label: labels[id], runs: results.get(id) ?? [], extractedBytes: images[id].extractedBytes }));
    const commit = (await execa("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"], { reject: false })).stdout.trim();
    process.stdout.write(`npm run bench: RUNS=${runs} QUIET_S=${quietS} VARIANT=${variant}, commit ${commit}, ${new Date().toISOString()}, load ${loadavg().map((value) => value.toFixed(2)).join(" ")}\n\n${renderTable(subjects)}\n`);
  } finally {
    await topology.remove();
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main().catch((error: unknown) => {
  progress(`npm run bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});

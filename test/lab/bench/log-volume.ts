// `npm run bench -- log-volume`: the lines each entrypoint writes to the container log (what RouterOS
// puts into its 1,000-line memory log) over a node's life: a first boot (to Running, plus 10 s), a
// restart with state, IDLE_S seconds Running idle (scaled to an hour), a Headscale outage of
// OUTAGE_S seconds (plus 30 s to reconnect), and a `kill -9` of tailscaled (until Running again or
// the container ended, plus 10 s). This image vs Tailscale's containerboot vs the bare baseline (the
// three images of `npm run bench`, test/lab/bench/entrypoint-images.ts), in the same topology, with
// its tailnet client as a peer.
//   RUNS=1 IDLE_S=600 OUTAGE_S=300 VARIANT=standard npm run bench -- log-volume   (as root; ~55 minutes a round)
import { execa } from "execa";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../support/qjs.ts";
import type { Variant } from "../podman.ts";
import { buildAndLoadImage, provisionTools } from "../sandbox/image.ts";
import { createTopology } from "../topology.ts";
import { prepareImages, type SubjectId } from "./entrypoint-images.ts";
import { median } from "./stats.ts";
import { measureLogVolume, type LogVolume } from "./log-volume-run.ts";

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${raw}: give a whole number of at least 1 (default ${fallback})`);
  return value;
}

const PHASES: ReadonlyArray<{ key: keyof LogVolume; title: string; aim?: number }> = [
  { key: "firstBoot", title: "first boot (to Running + 10 s)", aim: 12 },
  { key: "restart", title: "restart with state (to Running + 10 s)", aim: 8 },
  { key: "idle", title: "Running idle, per hour", aim: 5 },
  { key: "outage", title: "control server down (outage + 30 s)" },
  { key: "crash", title: "tailscaled killed (kill -9; + 10 s)" },
];

/** The table: medians and ranges per phase and subject, the ratio to the bare baseline, the aims. */
function renderTable(results: Map<SubjectId, LogVolume[]>, labels: Record<SubjectId, string>, idleS: number, outageS: number): string {
  const order: SubjectId[] = ["bare", "containerboot", "image"];
  const per = (id: SubjectId, key: keyof LogVolume) => (results.get(id) ?? []).map((run) => (key === "idle" ? (run.idle * 3600) / idleS : run[key]));
  const cell = (values: number[], baseline?: number) => {
    const m = median(values);
    const ratio = baseline === undefined ? "" : baseline === 0 ? " ×–" : ` ×${(m / baseline).toFixed(2)}`;
    return `${Math.round(m)}${ratio}${values.length > 1 ? ` (${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))})` : ""}`;
  };
  const lines = [`| lines in the container log | ${order.map((id) => labels[id]).join(" | ")} | aim (this image) |`, "|---|---|---|---|---|"];
  for (const phase of PHASES) {
    const baseline = median(per("bare", phase.key));
    const image = median(per("image", phase.key));
    const aim = phase.aim === undefined ? "-" : `<= ${phase.aim}: ${image <= phase.aim ? "met" : "**missed**"}`;
    const title = phase.key === "idle" ? `${phase.title} (${idleS} s measured, x${(3600 / idleS).toFixed(1)})` : phase.key === "outage" ? `control server down ${outageS} s (+ 30 s)` : phase.title;
    lines.push(`| ${title} | ${order.map((id) => cell(per(id, phase.key), id === "bare" ? undefined : baseline)).join(" | ")} | ${aim} |`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("run it as root (network namespaces, podman)");
  const runs = setting("RUNS", 1);
  const idleS = setting("IDLE_S", 600);
  const outageS = setting("OUTAGE_S", 300);
  const variant = (process.env["VARIANT"] ?? "standard") as Variant;
  if (variant !== "standard" && variant !== "tiny") throw new Error(`VARIANT=${variant}: standard or tiny`);
  await provisionTools(progress);
  const { archive } = await buildAndLoadImage(variant, "amd64", progress);
  const containerboot = (await execa("bash", [join(ROOT, "test/lab/bench/build-containerboot.sh")], { stderr: "inherit" })).stdout.trim();
  const workDir = mkdtempSync(join(tmpdir(), "ts-bench-lines-"));
  const topology = await createTopology(`tl${process.pid % 100000}`, { workDir: join(workDir, "topology") });
  try {
    const images = await prepareImages(archive, containerboot, workDir);
    // A peer, as on any real tailnet: its endpoint and DERP changes are part of the idle chatter.
    await topology.startClient();
    const labels: Record<SubjectId, string> = { bare: "bare baseline", containerboot: "containerboot", image: `this image (${variant})` };
    const order: SubjectId[] = ["bare", "containerboot", "image"];
    const results = new Map<SubjectId, LogVolume[]>(order.map((id) => [id, []]));
    for (let round = 1; round <= runs; round += 1) {
      for (const id of [...order.slice(round % 3), ...order.slice(0, round % 3)]) {
        const volume = await measureLogVolume(topology, images[id], `${id}-${round}`, workDir, { idleS, outageS }, progress);
        progress(`round ${round}/${runs} ${id}: ${Object.entries(volume).map(([key, value]) => `${key}=${value}`).join(" ")} load=${loadavg()[0]?.toFixed(2)}`);
        results.get(id)?.push(volume);
      }
    }
    const commit = (await execa("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"], { reject: false })).stdout.trim();
    process.stdout.write(`npm run bench -- log-volume: RUNS=${runs} IDLE_S=${idleS} OUTAGE_S=${outageS} VARIANT=${variant}, commit ${commit}, ${new Date().toISOString()}\n\n${renderTable(results, labels, idleS, outageS)}\n`);
  } finally {
    await topology.remove();
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main().catch((error: unknown) => {
  progress(`npm run bench -- log-volume: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});

// Measures the amd64 image of each variant as a running container (called by test/lab/image-size.mjs):
// logged in to a local Headscale in the RouterOS-like topology (kernel TUN, a subnet route), then
// tailscaled's RSS (and how much of it is anonymous: UPX's unpacked code cannot be paged back to
// flash) and the supervisor's while Running, and the CPU (user + sys) of one
// `tailscale status --json` run inside the container (median of 5). Prints JSON keyed "variant-arch".
// Needs root, podman and dist/ (npm run image). Usage: node test/lab/run-ts.mjs test/lab/measure-image.ts
import { execa } from "execa";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadImage, uniqueName, type Variant } from "./podman.ts";
import { findTailscaled, routerEnv, startRouter } from "./router.ts";
import { createTopology } from "./topology.ts";

const VARIANTS: readonly Variant[] = ["tiny", "standard"];
const STATUS_RUNS = 5;

/** A memory field of /proc/PID/status in bytes: VmRSS (all resident), RssAnon (not backed by a file). */
function statusBytes(pid: number, field: "VmRSS" | "RssAnon"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)?.[1] ?? "0") * 1024;
}

/** User + system CPU seconds of one command run inside the container's namespaces (bash's `time`). */
async function cpuSeconds(pid: number, command: readonly string[]): Promise<number> {
  const quoted = command.map((word) => `'${word}'`).join(" ");
  const { stderr } = await execa("bash", ["-c", `TIMEFORMAT='%U %S'; time nsenter -t ${pid} -m -n -p -r -w ${quoted} >/dev/null`]);
  const [user, sys] = stderr.trim().split(/\s+/).slice(-2).map(Number);
  return (user ?? 0) + (sys ?? 0);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const results: Record<string, { tailscaledRssBytes: number; tailscaledAnonBytes: number; supervisorRssBytes: number; statusCpuSeconds: number }> = {};
const topology = await createTopology(`tm${process.pid % 100000}`);
try {
  for (const variant of VARIANTS) {
    const image = await loadImage(variant, "amd64");
    const stateDir = mkdtempSync(join(tmpdir(), "ts-measure-"));
    const key = await topology.headscale.createKey();
    const container = await startRouter(topology, { image, stateDir, env: routerEnv(topology, { key, hostname: `measure-${variant}` }), name: uniqueName(`measure-${variant}`) });
    try {
      await container.waitForLog(/INFO supervisor: tailscale is running/, 120_000);
      const pid = await container.pid();
      const daemon = await findTailscaled(pid);
      const cpu: number[] = [];
      for (let run = 0; run < STATUS_RUNS; run += 1) cpu.push(await cpuSeconds(pid, ["/usr/local/bin/tailscale", "status", "--json"]));
      results[`${variant}-amd64`] = { tailscaledRssBytes: statusBytes(daemon, "VmRSS"), tailscaledAnonBytes: statusBytes(daemon, "RssAnon"), supervisorRssBytes: statusBytes(pid, "VmRSS"), statusCpuSeconds: median(cpu) };
      await container.stop(10);
    } finally {
      await container.remove();
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
} finally {
  await topology.remove();
}
process.stdout.write(`${JSON.stringify(results)}\n`);

// `npm run bench`: this image against Tailscale's own entrypoint (containerboot) and a bare baseline
// (tailscaled + `tailscale up` by hand), each the same rootfs and tailscaled run by podman in the
// same RouterOS-like topology (test/lab/topology.ts, set up by lab-session.ts), side by side: RUNS
// rounds (plus one warm-up round not counted), the subjects' order rotating each round. Prints
// progress on stderr and the table (medians, ranges, ratios to the baseline, the aims) on stdout.
//   RUNS=5 QUIET_S=60 VARIANT=standard npm run bench      (as root; ~25 minutes with the defaults)
import { execa } from "execa";
import { loadavg } from "node:os";
import { ROOT } from "../../support/qjs.ts";
import type { SubjectId } from "./entrypoint-images.ts";
import { measureRun, type RunFigures } from "./entrypoint-run.ts";
import { renderTable, type SubjectResults } from "./entrypoint-table.ts";
import { rotated, variantSetting, withBenchLab } from "./lab-session.ts";
import { progress, requireRoot, wholeNumber } from "./settings.ts";

async function main(): Promise<void> {
  requireRoot();
  const runs = wholeNumber("RUNS", 5, (value) => value >= 1);
  const quietS = wholeNumber("QUIET_S", 60, (value) => value >= 1);
  const variant = variantSetting();

  await withBenchLab(variant, progress, async ({ topology, images, order, labels, workDir }) => {
    const client = await topology.startClient();
    const results = new Map<SubjectId, RunFigures[]>(order.map((id) => [id, []]));
    for (let round = 0; round <= runs; round += 1) {
      for (const id of rotated(order, round)) {
        const label = `${id}-${round}`;
        const figures = await measureRun(topology, client, images[id], label, workDir, quietS);
        progress(`${round === 0 ? "warm-up" : `round ${round}/${runs}`} ${id}: ${Object.entries(figures).map(([key, value]) => `${key}=${Number(value.toFixed(4))}`).join(" ")} load=${loadavg()[0]?.toFixed(2)}`);
        if (round > 0) results.get(id)?.push(figures);
      }
    }
    const subjects: SubjectResults[] = order.map((id) => ({ id, label: labels[id], runs: results.get(id) ?? [], extractedBytes: images[id].extractedBytes }));
    const commit = (await execa("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"], { reject: false })).stdout.trim();
    process.stdout.write(`npm run bench: RUNS=${runs} QUIET_S=${quietS} VARIANT=${variant}, commit ${commit}, ${new Date().toISOString()}, load ${loadavg().map((value) => value.toFixed(2)).join(" ")}\n\n${renderTable(subjects)}\n`);
  });
}

await main().catch((error: unknown) => {
  progress(`npm run bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});

// `npm run bench -- outage-to-running`: the three entrypoints of `npm run bench` (this image,
// containerboot, the bare baseline; the same rootfs and tailscaled, the same topology) started while
// their control server is down, a first login and a restart of the logged-in node: how long after
// Headscale answers again until tailscaled is logged in (its `health(warnable=login-state): ok`) and
// Running, and Running minus logged in (the part after tailscaled's jittered retry backoff, ~0.5-1.5x
// of n^2 x 10 ms after n failures, which makes the rest spread widely). RUNS rounds plus a warm-up
// round not counted, the order rotating each round.
//   RUNS=5 DOWN_S=20 DEADLINE_S=120 VARIANT=standard npm run bench -- outage-to-running   (as root; ~20 minutes)
import { renderTable } from "./outage-table.ts";
import { measureOutageRun, type OutageFigures } from "./outage-run.ts";
import { rotated, variantSetting, withBenchLab } from "../lab-session.ts";
import { describeRun, progress, requireRoot, wholeNumber } from "../settings.ts";
import type { SubjectId } from "../entrypoint-images.ts";

async function main(): Promise<void> {
  requireRoot();
  const runs = wholeNumber("RUNS", 5, (value) => value >= 1);
  const downS = wholeNumber("DOWN_S", 20, (value) => value >= 1);
  const deadlineS = wholeNumber("DEADLINE_S", 120, (value) => value >= 10);
  const variant = variantSetting();
  await withBenchLab(variant, progress, async (lab) => {
    const results = new Map<SubjectId, OutageFigures[]>(lab.order.map((id) => [id, []]));
    for (let round = 0; round <= runs; round += 1) {
      for (const id of rotated(lab.order, round)) {
        const figures = await measureOutageRun(lab.topology, lab.images[id], `${id}-${round}`, lab.workDir, downS, deadlineS);
        const shown = (name: string, value: number | undefined) => `${name}=${value === undefined ? "-" : value.toFixed(3)}`;
        progress(`${round === 0 ? "warm-up" : `round ${round}/${runs}`} ${id}: first login ${shown("login", figures.firstLogin.loginOkS)} ${shown("running", figures.firstLogin.runningS)}; restart ${shown("login", figures.restart.loginOkS)} ${shown("running", figures.restart.runningS)}`);
        if (round > 0) results.get(id)?.push(figures);
      }
    }
    process.stdout.write(`npm run bench -- outage-to-running: RUNS=${runs} DOWN_S=${downS} VARIANT=${variant}; ${describeRun()}\n\n`);
    process.stdout.write(`${renderTable(lab.order.map((id) => ({ id, label: lab.labels[id], runs: results.get(id) ?? [] })))}\n`);
  });
}

await main().catch((error: unknown) => {
  progress(`npm run bench -- outage-to-running: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});

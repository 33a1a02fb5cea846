// `npm run bench -- outage-log-lines`: what a long control-server outage costs the log (RouterOS
// keeps 1000 lines). Each of the three entrypoints of `npm run bench` in turn (same rootfs, tailscaled
// and topology): Running, 10 s to settle, then Headscale stops for OUTAGE_S seconds and the lines the
// container printed in that window are counted (conmon's log, by the time each line was written):
// all, without tailscaled's `[v1]`/`[v2]` lines (which the supervisor drops unless LOG_LEVEL=debug),
// and for this image its own lines and tailscaled's it relayed. The bare baseline's lines are
// tailscaled's own output. Counts, not assertions.
//   OUTAGE_S=300 VARIANT=standard npm run bench -- outage-log-lines   (as root; ~17 minutes)
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Topology } from "../../topology.ts";
import type { BenchImage, SubjectId } from "../entrypoint-images.ts";
import { removeContainer, RUNNING, startContainer, subjectEnv } from "../entrypoint-run.ts";
import { variantSetting, withBenchLab } from "../lab-session.ts";
import { readLogRecords, waitForLogLine } from "../probes.ts";
import { describeRun, progress, requireRoot, wholeNumber } from "../settings.ts";

const SETTLE_MS = 10_000;
const VERBOSE = /\[v\d\] |\[v\x00JSON\]/;
const OWN = /^[A-Z]+ supervisor: /;
const RELAYED = /^[A-Z]+ tailscaled: /;

/** The lines one entrypoint printed while the server was down. */
interface Window {
  readonly all: string[];
  readonly outageS: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function measureWindow(topology: Topology, image: BenchImage, workDir: string, outageS: number): Promise<Window> {
  const hostname = `lines-${image.id}`;
  const stateDir = join(workDir, `state-lines-${image.id}`);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const name = `ts-bench-${process.pid}-lines-${image.id}`;
  try {
    const started = await startContainer(topology, image, name, stateDir, subjectEnv(image.id, topology, await topology.headscale.createKey(), hostname));
    await waitForLogLine(started.logPath, RUNNING, 120_000);
    await pause(SETTLE_MS);
    const downAt = Date.now() / 1000;
    await topology.headscale.stop();
    // The outage's length is the scenario's parameter, not a wait for something.
    await pause(outageS * 1000);
    const upAt = Date.now() / 1000;
    await topology.headscale.start();
    const all = readLogRecords(started.logPath).filter((record) => record.ends && record.at >= downAt && record.at < upAt).map((record) => record.text);
    return { all, outageS: upAt - downAt };
  } finally {
    await removeContainer(name);
    await topology.headscale.start();
    const node = (await topology.headscale.listNodes()).find((candidate) => candidate.name === hostname);
    if (node !== undefined) await topology.headscale.deleteNode(node.id);
  }
}

function renderTable(windows: ReadonlyArray<{ id: SubjectId; label: string; window: Window }>): string {
  const row = (what: string, lines: number, window: Window) => `| ${what} | ${lines} | ${Math.round((lines * 3600) / window.outageS)} |`;
  const lines = ["| lines printed while Headscale was down | lines | per hour |", "|---|---|---|"];
  for (const { id, label, window } of windows) {
    lines.push(row(`${label}: all lines`, window.all.length, window), row(`${label}: without \`[v1]\`/\`[v2]\``, window.all.filter((line) => !VERBOSE.test(line)).length, window));
    if (id === "image") {
      lines.push(row(`${label}: the supervisor's own`, window.all.filter((line) => OWN.test(line)).length, window), row(`${label}: tailscaled's lines relayed`, window.all.filter((line) => RELAYED.test(line)).length, window));
    }
  }
  const bare = windows.find((entry) => entry.id === "bare");
  const image = windows.find((entry) => entry.id === "image");
  if (bare !== undefined && image !== undefined) {
    const plain = bare.window.all.filter((line) => !VERBOSE.test(line)).length;
    lines.push("", `Ratio this image / bare baseline without \`[vN]\`: ${plain === 0 ? "–" : (image.window.all.length / plain).toFixed(2)}`);
    lines.push("", "The supervisor's own lines in the window:", ...image.window.all.filter((line) => OWN.test(line)).map((line) => `    ${line.slice(0, 200)}`));
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  requireRoot();
  const outageS = wholeNumber("OUTAGE_S", 300, (value) => value >= 1);
  const variant = variantSetting();
  await withBenchLab(variant, progress, async (lab) => {
    const windows: Array<{ id: SubjectId; label: string; window: Window }> = [];
    for (const id of lab.order) {
      progress(`${id}: Running, then Headscale down for ${outageS} s`);
      windows.push({ id, label: lab.labels[id], window: await measureWindow(lab.topology, lab.images[id], lab.workDir, outageS) });
    }
    process.stdout.write(`npm run bench -- outage-log-lines: OUTAGE_S=${outageS} VARIANT=${variant}; ${describeRun()}\n\n${renderTable(windows)}\n`);
  });
}

await main().catch((error: unknown) => {
  progress(`npm run bench -- outage-log-lines: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});

// One run of the log-volume benchmark for one entrypoint: the lines it writes to the container log
// (conmon's file, every stream) in each phase of a node's life. Counts, not times.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { approveRoute, killTailscaled } from "../router.ts";
import type { Topology } from "../topology.ts";
import type { BenchImage } from "./entrypoint-images.ts";
import { removeContainer, RUNNING, startContainer, subjectEnv } from "./entrypoint-run.ts";
import { hasExited, inspect, waitForLogLine } from "./probes.ts";

/** Lines per phase. */
export interface LogVolume {
  readonly firstBoot: number;
  readonly restart: number;
  /** In IDLE_S seconds (scaled to an hour by the table). */
  readonly idle: number;
  readonly outage: number;
  readonly crash: number;
}

/** How long each phase lasts. */
export interface PhaseTimes {
  readonly idleS: number;
  readonly outageS: number;
}

/** After Running (and after a phase), the lines of netcheck, DERP and map updates settle this long before counting. */
const SETTLE_MS = 10_000;
/** After the control server is back: time to reconnect and say so. */
const RECOVER_MS = 30_000;
const BOOT_TIMEOUT_MS = 120_000;

/** Whole lines in conmon's k8s-file log (`TIME stream F|P text`: a long line is P parts, then F). */
export function countLogLines(logPath: string): number {
  let text = "";
  try {
    text = readFileSync(logPath, "utf8");
  } catch {
    return 0;
  }
  return text.split("\n").filter((record) => / (?:stdout|stderr) F /.test(record)).length;
}

/** The text of the lines after the first `from` (for the table's examples). */
export function logLinesFrom(logPath: string, from: number): string[] {
  return readFileSync(logPath, "utf8").split("\n").filter((record) => / (?:stdout|stderr) F /.test(record)).slice(from).map((record) => record.replace(/^\S+ \S+ F /, ""));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Boot, approve, restart, idle, outage, crash; the lines of each; `say` gets the lines of the image's phases. */
export async function measureLogVolume(topology: Topology, image: BenchImage, label: string, workDir: string, times: PhaseTimes, say: (line: string) => void): Promise<LogVolume> {
  const hostname = `lines-${label}`;
  const stateDir = join(workDir, `state-${label}`);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const env = subjectEnv(image.id, topology, await topology.headscale.createKey(), hostname);
  const names = [1, 2].map((index) => `ts-bench-lines-${process.pid}-${label}-${index}`);
  let nodeId: string | undefined;
  const show = (phase: string, logPath: string, from: number) => {
    if (image.id === "image") for (const line of logLinesFrom(logPath, from)) say(`  ${phase}: ${line.slice(0, 160)}`);
  };
  try {
    const boot = await startContainer(topology, image, names[0] ?? "", stateDir, env);
    await waitForLogLine(boot.logPath, RUNNING, BOOT_TIMEOUT_MS);
    await sleep(SETTLE_MS);
    const firstBoot = countLogLines(boot.logPath);
    show("first boot", boot.logPath, 0);
    nodeId = await approveRoute(topology, hostname);
    await sleep(SETTLE_MS);
    await removeContainer(names[0] ?? "");

    const again = await startContainer(topology, image, names[1] ?? "", stateDir, env);
    await waitForLogLine(again.logPath, RUNNING, BOOT_TIMEOUT_MS);
    await sleep(SETTLE_MS);
    const restart = countLogLines(again.logPath);
    show("restart", again.logPath, 0);

    const idleFrom = countLogLines(again.logPath);
    await sleep(times.idleS * 1000);
    const idle = countLogLines(again.logPath) - idleFrom;
    show("idle", again.logPath, idleFrom);

    const outageFrom = countLogLines(again.logPath);
    await topology.headscale.stop();
    await sleep(times.outageS * 1000);
    await topology.headscale.start();
    await sleep(RECOVER_MS);
    const outage = countLogLines(again.logPath) - outageFrom;
    show("outage", again.logPath, outageFrom);

    const crashFrom = countLogLines(again.logPath);
    const pid1 = (await inspect(names[1] ?? "")).pid;
    await killTailscaled({ pid: async () => pid1 });
    // The image restarts tailscaled (Running again); the others end with it.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !hasExited(pid1)) {
      const lines = logLinesFrom(again.logPath, crashFrom);
      if (lines.some((line) => RUNNING.test(line))) break;
      await sleep(250);
    }
    await sleep(SETTLE_MS);
    const crash = countLogLines(again.logPath) - crashFrom;
    show("crash", again.logPath, crashFrom);
    return { firstBoot, restart, idle, outage, crash };
  } finally {
    await topology.headscale.start();
    for (const name of names) await removeContainer(name);
    if (nodeId !== undefined) await topology.headscale.deleteNode(nodeId);
  }
}

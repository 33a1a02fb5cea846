// One run of the outage benchmark for one entrypoint: a first login, then a restart of the now
// logged-in node, each started while Headscale is down; DOWN_S after the container's start Headscale
// serves again (same database), and the times are taken from that moment (podman's own records).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Topology } from "../../topology.ts";
import type { BenchImage } from "../entrypoint-images.ts";
import { removeContainer, RUNNING, startContainer, subjectEnv } from "../entrypoint-run.ts";
import { firstTcpConnection, readLogRecords, waitForLogLine } from "../probes.ts";

/** tailscaled's line once the control server accepted the node (all three pass it on). */
const LOGIN_OK = /health\(warnable=login-state\): ok/;
/** The supervisor's own line when its control-server trouble ends (the image only). */
const REACHABLE_AGAIN = /INFO supervisor: control server reachable again/;

/** Seconds from Headscale answering again, of one start (undefined: no such line). */
export interface OutageCase {
  readonly loginOkS: number | undefined;
  /** Undefined when it was Running before the server came back (a build with a cached netmap). */
  readonly runningS: number | undefined;
  readonly runningAfterLoginS: number | undefined;
  readonly reachableAgainS: number | undefined;
}

export interface OutageFigures {
  readonly firstLogin: OutageCase;
  readonly restart: OutageCase;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** One start while the server is down, until the case's marker line after its return. */
async function startDuringOutage(topology: Topology, image: BenchImage, name: string, stateDir: string, env: Record<string, string>, downS: number, deadlineS: number): Promise<OutageCase> {
  await topology.headscale.stop();
  const started = await startContainer(topology, image, name, stateDir, env);
  // The outage's length is the scenario's parameter, not a wait for something.
  await pause(started.startedAt * 1000 + downS * 1000 - Date.now());
  // Times are taken from the moment the server accepts connections, seen from the router (the
  // container's way to it); lines from its launch on count (a probe attempt takes a few ms).
  const server = new URL(topology.headscale.url);
  const answers = firstTcpConnection(topology, "router", server.hostname, Number(server.port), 60_000, "Headscale never accepted a connection after its restart");
  const launchedAt = Date.now() / 1000;
  await topology.headscale.start();
  const upAt = await answers.done;
  const runningEarly = readLogRecords(started.logPath).some((record) => record.at < launchedAt && RUNNING.test(record.text));
  await waitForLogLine(started.logPath, runningEarly ? LOGIN_OK : RUNNING, deadlineS * 1000, launchedAt);
  const reachableAgain = image.id === "image" ? await waitForLogLine(started.logPath, REACHABLE_AGAIN, 5_000, launchedAt).catch(() => undefined) : undefined;
  const after = readLogRecords(started.logPath).filter((record) => record.at >= launchedAt);
  const loginAt = after.find((record) => LOGIN_OK.test(record.text))?.at;
  const runningAt = runningEarly ? undefined : after.find((record) => RUNNING.test(record.text))?.at;
  const since = (at: number | undefined) => (at === undefined ? undefined : at - upAt);
  return {
    loginOkS: since(loginAt),
    runningS: since(runningAt),
    runningAfterLoginS: loginAt === undefined || runningAt === undefined ? undefined : runningAt - loginAt,
    reachableAgainS: since(reachableAgain),
  };
}

/** A first login and a restart, each DOWN_S into an outage; the containers and the node are removed afterwards. */
export async function measureOutageRun(topology: Topology, image: BenchImage, label: string, workDir: string, downS: number, deadlineS: number): Promise<OutageFigures> {
  const hostname = `outage-${label}`;
  const stateDir = join(workDir, `state-${label}`);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const env = subjectEnv(image.id, topology, await topology.headscale.createKey(), hostname);
  const first = `ts-bench-${process.pid}-${label}-1`;
  const second = `ts-bench-${process.pid}-${label}-2`;
  try {
    const firstLogin = await startDuringOutage(topology, image, first, stateDir, env, downS, deadlineS);
    await removeContainer(first);
    const restart = await startDuringOutage(topology, image, second, stateDir, env, downS, deadlineS);
    return { firstLogin, restart };
  } finally {
    await removeContainer(first);
    await removeContainer(second);
    await topology.headscale.start();
    const node = (await topology.headscale.listNodes()).find((candidate) => candidate.name === hostname);
    if (node !== undefined) await topology.headscale.deleteNode(node.id);
  }
}

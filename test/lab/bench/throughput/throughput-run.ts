// One subject of a throughput benchmark, once: a container logged in on fresh state, its route
// approved, a direct WireGuard path to the tailnet client, then each iperf3 test with the CPU the
// container used meanwhile (its cgroup: tailscaled, the entrypoint and the kernel work done on their
// behalf); or the limit path (limit-path.ts) with no container at all.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { approveRoute, findTailscaled } from "../../router.ts";
import type { TailnetClient, Topology } from "../../topology.ts";
import type { BenchImage } from "../entrypoint-images.ts";
import { removeContainer, RUNNING, startContainer, waitUntilClientKnowsPeer } from "../entrypoint-run.ts";
import { cgroupCpuNs, cgroupMemory, cpuacctDir, firstConnection, memoryCgroupDir, rssBytes, waitForLogLine } from "../probes.ts";
import { openLimitPath } from "./limit-path.ts";
import { runIperf, type IperfResult, type IperfTest } from "./iperf.ts";

/** A container to measure: an image, the environment it gets for a node, and an optional memory limit. */
export interface ContainerSpec {
  readonly image: BenchImage;
  readonly env: (key: string, hostname: string) => Record<string, string>;
  /** podman --memory (e.g. "128m"). */
  readonly memory?: string;
}

/** What one test gave: the receiver's rate and bytes, and the container's CPU seconds (none for the limit). */
export interface TestFigures extends IperfResult {
  readonly cpuS: number | undefined;
}

/** One subject's run: per test id its figures, and tailscaled's memory (containers only). */
export interface SubjectRun {
  readonly tests: Record<string, TestFigures>;
  /** tailscaled's VmRSS once Running, before any test (bytes). */
  readonly rssRunningBytes: number | undefined;
  /** tailscaled's VmHWM after the tests: the most it held (bytes). */
  readonly rssPeakBytes: number | undefined;
  /** The container's memory cgroup after the tests: its peak (page cache included) and OOM kills. */
  readonly cgroupPeakBytes: number | undefined;
  readonly oomKills: number | undefined;
}

/** How long each test runs (plus iperf3's omitted first second), and the rate UDP is offered at. */
export interface TestLoad {
  readonly seconds: number;
  readonly udpMbit: number;
}

const BOOT_TIMEOUT_MS = 120_000;
/** How long a direct path (not through the DERP relay) may take after the first connection. */
const DIRECT_PATH_TIMEOUT_MS = 60_000;

/** Runs every test on the limit path. */
export async function measureLimit(topology: Topology, tests: readonly IperfTest[], load: TestLoad): Promise<SubjectRun> {
  const close = await openLimitPath(topology);
  try {
    const figures: Record<string, TestFigures> = {};
    for (const test of tests) figures[test.id] = { ...(await runIperf(topology, test, load.seconds, load.udpMbit)), cpuS: undefined };
    return { tests: figures, rssRunningBytes: undefined, rssPeakBytes: undefined, cgroupPeakBytes: undefined, oomKills: undefined };
  } finally {
    await close();
  }
}

/** Waits until the client reaches the peer `hostname` directly (CurAddr set), not through DERP. */
async function waitForDirectPath(client: TailnetClient, hostname: string): Promise<void> {
  const deadline = Date.now() + DIRECT_PATH_TIMEOUT_MS;
  for (;;) {
    const status = JSON.parse((await client.cli(["status", "--json"])).stdout || "{}") as { Peer?: Record<string, { HostName?: string; CurAddr?: string; TailscaleIPs?: string[] }> };
    const peer = Object.values(status.Peer ?? {}).find((candidate) => candidate.HostName === hostname);
    if ((peer?.CurAddr ?? "") !== "") return;
    if (Date.now() > deadline) throw new Error(`no direct path from the client to ${hostname} within ${DIRECT_PATH_TIMEOUT_MS / 1000} s (traffic would go through the DERP relay)`);
    // Disco pings make both sides try their direct endpoints now (it stops once one answers directly).
    const address = peer?.TailscaleIPs?.[0];
    if (address === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
    else await client.cli(["ping", "--c", "5", "--timeout", "2s", address]);
  }
}

/** VmHWM of a process in bytes (0 when it is gone). */
function peakRssBytes(pid: number): number {
  try {
    return Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "0") * 1024;
  } catch {
    return 0;
  }
}

/** Runs every test through one container (`label` names it and its node); removes both afterwards. */
export async function measureContainer(topology: Topology, client: TailnetClient, spec: ContainerSpec, label: string, workDir: string, tests: readonly IperfTest[], load: TestLoad): Promise<SubjectRun> {
  const hostname = `tp-${label}`;
  const stateDir = join(workDir, `state-${label}`);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const name = `ts-bench-${process.pid}-${label}`;
  let nodeId: string | undefined;
  try {
    const env = spec.env(await topology.headscale.createKey(), hostname);
    const started = await startContainer(topology, spec.image, name, stateDir, env, spec.memory);
    await waitForLogLine(started.logPath, RUNNING, BOOT_TIMEOUT_MS);
    await waitUntilClientKnowsPeer(client, hostname);
    const probe = firstConnection(topology, 60_000);
    nodeId = await approveRoute(topology, hostname);
    await probe.done;
    await waitForDirectPath(client, hostname);
    const daemon = await findTailscaled(started.pid);
    const rssRunningBytes = rssBytes(daemon);
    const cgroup = cpuacctDir(started.pid);
    const figures: Record<string, TestFigures> = {};
    for (const test of tests) {
      const before = cgroupCpuNs(cgroup);
      const result = await runIperf(topology, test, load.seconds, load.udpMbit);
      figures[test.id] = { ...result, cpuS: (cgroupCpuNs(cgroup) - before) / 1e9 };
    }
    const memory = cgroupMemory(memoryCgroupDir(started.pid));
    return { tests: figures, rssRunningBytes, rssPeakBytes: peakRssBytes(daemon), cgroupPeakBytes: memory.peakBytes, oomKills: memory.oomKills };
  } finally {
    await removeContainer(name);
    if (nodeId !== undefined) await topology.headscale.deleteNode(nodeId);
  }
}

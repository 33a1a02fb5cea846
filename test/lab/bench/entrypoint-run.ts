// One measured run of one entrypoint in the topology: a first login on fresh state, the route
// approved until the first connection through it, a stop, a restart on the same state, a quiet
// minute (CPU), memory, and SIGTERM until the container is gone.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DERP_OVER_HTTP } from "../headscale.ts";
import { podman, runFlags } from "../podman.ts";
import { approveRoute, routerEnv } from "../router.ts";
import { TOPOLOGY, type TailnetClient, type Topology } from "../topology.ts";
import type { BenchImage, SubjectId } from "./entrypoint-images.ts";
import { cgroupCpuNs, cpuacctDir, firstConnection, inspect, processTree, rssBytes, sigtermToGone, waitForLogLine } from "./probes.ts";

/** tailscaled's own line, which all three entrypoints pass on to the container's output. */
export const RUNNING = /Switching ipn state \S+ -> Running/;
const BOOT_TIMEOUT_MS = 120_000;
/** After Running, before the quiet minute: netcheck, DERP and map updates settle. */
const SETTLE_MS = 5_000;

/**
 * tailscaled's first output line in each entrypoint's log: the bare script prints nothing itself,
 * containerboot prefixes its own lines "boot: ", the supervisor relays tailscaled's as "tailscaled:".
 */
const DAEMON_FIRST_LINE: Record<SubjectId, RegExp> = { bare: /./, containerboot: /^(?!boot: )./, image: /INFO tailscaled: / };
/** tailscaled has its first netmap on a restart (NoState → Starting); Running follows once it has a DERP home. */
const NETMAP = /Switching ipn state \S+ -> Starting/;
/** The container's first output line: the entrypoint's own (bare: tailscaled's; it prints nothing itself). */
const FIRST_LINE = /./;

/** The figures of one run (seconds, bytes, CPU seconds). */
export interface RunFigures {
  readonly firstLoginS: number;
  /** Restart: container start → the container's first output line (for the image: qjs parsed the bundle). */
  readonly restartFirstLineS: number;
  /** Restart: container start → tailscaled's first output line (the entrypoint's own part). */
  readonly restartDaemonS: number;
  /** Restart: container start → tailscaled has the control server's netmap (its state Starting); after it, tailscaled waits for its DERP home. */
  readonly restartNetmapS: number;
  readonly approvalToPacketS: number;
  readonly restartS: number;
  readonly pid1RssBytes: number;
  readonly allRssBytes: number;
  readonly quietCpuS: number;
  readonly sigtermToGoneS: number;
}

/** The environment each entrypoint reads, for the same node (the names its users know). */
export function subjectEnv(id: SubjectId, topology: Pick<Topology, "headscale">, key: string, hostname: string): Record<string, string> {
  switch (id) {
    case "image":
      return routerEnv(topology, { key, hostname });
    case "containerboot":
      // Kernel TUN (its default is userspace), state on the volume, login server through the extra
      // args (it has no variable of its own), `tailscale up` only when logged out (TS_AUTH_ONCE, as
      // for a persistent state volume: the single-use key is spent after the first login). Service
      // auto-advertisement off: it reads the serve config, a feature the image's tailscaled leaves
      // out (404), and containerboot exits on that error right after Running.
      return {
        TS_AUTHKEY: key,
        TS_ROUTES: TOPOLOGY.lanSubnet,
        TS_HOSTNAME: hostname,
        TS_USERSPACE: "false",
        TS_STATE_DIR: "/var/lib/tailscale",
        TS_AUTH_ONCE: "true",
        TS_EXTRA_ARGS: `--login-server=${topology.headscale.url}`,
        TS_EXPERIMENTAL_SERVICE_AUTO_ADVERTISEMENT: "false",
        ...DERP_OVER_HTTP,
      };
    case "bare":
      return { TS_AUTHKEY: key, TS_LOGIN_SERVER: topology.headscale.url, TS_ROUTES: TOPOLOGY.lanSubnet, TS_HOSTNAME: hostname, ...DERP_OVER_HTTP };
  }
}

/** `podman create` then `podman start`, the way RouterOS runs the image; its start time and log. `memory`: podman --memory. */
export async function startContainer(topology: Topology, image: BenchImage, name: string, stateDir: string, env: Record<string, string>, memory?: string): Promise<{ startedAt: number; pid: number; logPath: string }> {
  const created = await podman(["create", "--name", name, ...runFlags({ image: image.image, netns: topology.ns.container, stateDir, env, labels: { "ts-bench": "entrypoints" }, ...(memory === undefined ? {} : { memory }) }), image.image]);
  if (created.exitCode !== 0) throw new Error(`podman create ${name}: ${created.stderr}`);
  const started = await podman(["start", name]);
  if (started.exitCode !== 0) throw new Error(`podman start ${name}: ${started.stderr}`);
  return inspect(name);
}

/** Removes a container (stopped first, 10 s grace), if it is there. */
export async function removeContainer(name: string): Promise<void> {
  await podman(["rm", "-f", "-t", "10", name], { timeoutMs: 60_000 });
}

/** Polls the client's status until the peer named `hostname` has a DERP home (Relay). */
export async function waitUntilClientKnowsPeer(client: TailnetClient, hostname: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = JSON.parse((await client.cli(["status", "--json"])).stdout || "{}") as { Peer?: Record<string, { HostName?: string; Relay?: string }> };
    if (Object.values(status.Peer ?? {}).some((peer) => peer.HostName === hostname && (peer.Relay ?? "") !== "")) return;
    if (Date.now() > deadline) throw new Error(`the client never learned the DERP home of ${hostname}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One run; `quietS` seconds of CPU measurement. Containers and the node are removed afterwards. */
export async function measureRun(topology: Topology, client: TailnetClient, image: BenchImage, label: string, workDir: string, quietS: number): Promise<RunFigures> {
  const hostname = `bench-${label}`;
  const stateDir = join(workDir, `state-${label}`);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const key = await topology.headscale.createKey();
  // The image with every tailscaled line in its log (TS_TAILSCALED_LOG=all), as the other two print
  // them: the quiet default keeps tailscaled's first line and its NoState -> Starting in the ring,
  // and the restart's parts are read from the container log's times.
  const env = { ...subjectEnv(image.id, topology, key, hostname), ...(image.id === "image" ? { TS_TAILSCALED_LOG: "all" } : {}) };
  const first = `ts-bench-${process.pid}-${label}-1`;
  const second = `ts-bench-${process.pid}-${label}-2`;
  let nodeId: string | undefined;
  try {
    const boot = await startContainer(topology, image, first, stateDir, env);
    const firstLoginS = (await waitForLogLine(boot.logPath, RUNNING, BOOT_TIMEOUT_MS)) - boot.startedAt;

    // Approve once the client knows how to reach the node (its DERP home): approved earlier, the
    // route can reach the client before the node's DERP home does, the first WireGuard handshake
    // then has no address, and WireGuard retries 5 s later — a race of the control plane that
    // has nothing to do with the entrypoint.
    await waitUntilClientKnowsPeer(client, hostname);
    const probe = firstConnection(topology, 60_000);
    const approvedAt = Date.now() / 1000;
    nodeId = await approveRoute(topology, hostname);
    const approvalToPacketS = (await probe.done) - approvedAt;

    await podman(["stop", "-t", "10", first], { timeoutMs: 60_000 });
    await removeContainer(first);
    const again = await startContainer(topology, image, second, stateDir, env);
    const restartS = (await waitForLogLine(again.logPath, RUNNING, BOOT_TIMEOUT_MS)) - again.startedAt;
    const restartDaemonS = (await waitForLogLine(again.logPath, DAEMON_FIRST_LINE[image.id], 1_000)) - again.startedAt;
    const restartFirstLineS = (await waitForLogLine(again.logPath, FIRST_LINE, 1_000)) - again.startedAt;
    const restartNetmapS = (await waitForLogLine(again.logPath, NETMAP, 1_000)) - again.startedAt;

    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const cgroup = cpuacctDir(again.pid);
    const cpuBefore = cgroupCpuNs(cgroup);
    await new Promise((resolve) => setTimeout(resolve, quietS * 1000));
    const quietCpuS = (cgroupCpuNs(cgroup) - cpuBefore) / 1e9;
    const pid1RssBytes = rssBytes(again.pid);
    const allRssBytes = processTree(again.pid).reduce((total, pid) => total + rssBytes(pid), 0);
    const sigtermToGoneS = await sigtermToGone(again.pid);
    return { firstLoginS, restartFirstLineS, restartDaemonS, restartNetmapS, approvalToPacketS, restartS, pid1RssBytes, allRssBytes, quietCpuS, sigtermToGoneS };
  } finally {
    await removeContainer(first);
    await removeContainer(second);
    if (nodeId !== undefined) await topology.headscale.deleteNode(nodeId);
  }
}

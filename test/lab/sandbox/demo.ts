// The steps `npm start` shows, after the tools and the image: the network, the container as RouterOS
// runs it (its log as RouterOS shows it), Running, the route approved, the tailnet client, traffic
// through the subnet router both ways. Each thing started is recorded in session.json at once.
import { join } from "node:path";
import type { Arch, Container, Variant } from "../podman.ts";
import { approveRoute, routerEnv, routerOsCommands, startRouter } from "../router.ts";
import { createTopology, TOPOLOGY, type TailnetClient, type Topology } from "../topology.ts";
import { checkTrafficBothWays, httpGet } from "../traffic.ts";
import { followLog, formatRouterOsLine, type LogFollower } from "./container-log.ts";
import { podman } from "../podman.ts";
import { LABEL, recordProcess, workDirOf, writeSession, type ProcessRecord, type SessionRecord } from "./session.ts";

const RUNNING = /INFO supervisor: tailscale is running /;
const FAILED = /=== tailscale supervisor failure: /;
const BOOT_TIMEOUT_MS = 300_000;

export interface DemoContext {
  readonly record: SessionRecord;
  readonly image: string;
  readonly variant: Variant;
  readonly arch: Arch;
  readonly step: (title: string) => void;
  readonly say: (line: string) => void;
}

/** What the demo made, for the teardown and the commands printed at the end. */
export interface DemoState {
  topology?: Topology;
  container?: Container;
  follower?: LogFollower;
  /** The container's PID 1 and its conmon. */
  containerProcesses?: ProcessRecord[];
  /** The container's env list (a scenario restarts it with more), and the tailnet client. */
  env?: Record<string, string>;
  client?: TailnetClient;
}

/** Saves the processes running now (the topology's, the container's, the log follower) into session.json. */
export function recordProcesses(context: DemoContext, state: DemoState): void {
  const processes = [
    context.record.owner,
    ...(state.topology?.processes() ?? []).map((process) => recordProcess(process.pid, process.what)),
    ...(state.containerProcesses ?? []),
    recordProcess(state.follower?.pid(), "podman logs --follow"),
  ];
  context.record.processes = processes.filter((process) => process !== undefined);
  writeSession(context.record);
}

/** Runs the steps; `state` fills in as things start, so a failure or Ctrl-C can remove them. */
export async function runDemo(context: DemoContext, state: DemoState): Promise<void> {
  const { record, say, step } = context;
  const name = record.name;
  const emulated = context.arch !== "amd64";

  step(`network: namespaces ${name}-ctr (the container's), ${name}-rtr, ${name}-lan, ${name}-hs, ${name}-cli`);
  // ownProcessGroups: a Ctrl-C in the terminal reaches npm start only, which stops the container before
  // Headscale, the client and the pages (else Headscale quits first and the supervisor warns about it).
  // MagicDNS on: the Running line names it, and `--scenario magic-dns` resolves names from the LAN.
  const topology = await createTopology(name, { workDir: join(workDirOf(name), "topology"), ownProcessGroups: true, magicDns: true });
  state.topology = topology;
  record.headscaleCli = topology.headscale.cliArgv;
  recordProcesses(context, state);
  say(`router: bridge "containers" ${TOPOLOGY.containerGateway}/24 to the container's veth ${TOPOLOGY.containerAddress}, LAN ${TOPOLOGY.lanGateway}/24, route ${TOPOLOGY.tailnet} via ${TOPOLOGY.containerAddress}, forwarding on, nothing from the WAN into the LAN`);
  say(`LAN host ${TOPOLOGY.lanHost} serving http://${TOPOLOGY.lanHost}/`);
  say(`Headscale ${topology.headscale.url} with its embedded DERP and STUN (user "test")`);

  const hostname = "router";
  const container = `${name}-tailscale`;
  const key = await topology.headscale.createKey();
  const env = routerEnv(topology, { key, hostname, userspace: emulated });
  state.env = env;
  step(`container ${container}, the ${context.variant} ${context.arch} image${emulated ? " emulated by qemu-user, userspace networking" : ""}, run as RouterOS would run it:`);
  for (const command of routerOsCommands(env)) say(`  ${command}`);
  say(`its log, as RouterOS shows it (/log print where topics~"container"):`);
  const log: string[] = [];
  state.follower = followLog(container, (line) => {
    log.push(line.text);
    say(`  ${formatRouterOsLine(container, line)}`);
  }, { ownProcessGroup: true });
  const startedAt = Date.now();
  state.container = await startRouter(topology, { image: context.image, stateDir: join(workDirOf(name), "state"), env, name: container, labels: { [LABEL]: name }, ...(emulated ? { arch: context.arch } : {}) });
  record.container = container;
  record.hostname = hostname;
  const conmon = Number((await podman(["inspect", "--format", "{{.State.ConmonPid}}", container])).stdout.trim());
  state.containerProcesses = [recordProcess(await state.container.pid(), "the container's PID 1 (the supervisor)"), recordProcess(conmon, "conmon (podman's monitor of the container)")].filter((process) => process !== undefined);
  recordProcesses(context, state);
  await waitForLine(log, BOOT_TIMEOUT_MS, container);
  step(`Running, ${((Date.now() - startedAt) / 1000).toFixed(1)} s after podman run`);

  step("the route approved, the tailnet client up");
  record.nodeId = await approveRoute(topology, hostname);
  say(`approved in Headscale: headscale nodes approve-routes --identifier ${record.nodeId} --routes ${TOPOLOGY.lanSubnet}`);
  const client = await topology.startClient();
  state.client = client;
  record.clientSocket = client.socket;
  record.tailscaleCli = process.env["TAILSCALE"] ?? "tailscale";
  record.clientIp = client.ip;
  recordProcesses(context, state);
  say(`tailnet client ${client.ip} up (tailscale up --accept-routes), serving http://${client.ip}/`);

  if (emulated) {
    step("traffic through the subnet router (userspace networking: TCP and UDP are proxied by tailscaled; no route back from the LAN, no ICMP):");
    const deadline = Date.now() + 120_000;
    let page = "";
    while (!page.includes(TOPOLOGY.lanPage)) {
      if (Date.now() > deadline) throw new Error(`traffic check failed: client ${client.ip} -> LAN host ${TOPOLOGY.lanHost} (HTTP)`);
      page = await httpGet(topology, "client", TOPOLOGY.lanHost);
    }
    say(`ok  client ${client.ip} -> LAN host ${TOPOLOGY.lanHost} (HTTP): "${TOPOLOGY.lanPage}"`);
  } else {
    step("traffic through the subnet router, both ways:");
    await checkTrafficBothWays(topology, client.ip, { timeoutMs: 90_000, onResult: (result) => say(`ok  ${result.name}: ${result.detail}`) });
  }
  record.ready = true;
  writeSession(record);
}

/** Waits until the log has the Running line; fails at a failure block, an exit or the deadline. */
async function waitForLine(log: readonly string[], timeoutMs: number, container: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (log.some((line) => RUNNING.test(line))) return;
    if (log.some((line) => FAILED.test(line))) throw new Error(`the supervisor reported a failure (its log above); ${container} did not reach Running`);
    if (Date.now() > deadline) throw new Error(`${container} not Running after ${timeoutMs / 1000} s (its log above)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

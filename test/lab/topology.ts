// A RouterOS-like network in network namespaces of its own: the ONE topology of the end-to-end runs
// of the image (test/image, the sandbox of `npm start`, the benchmark test/lab/bench/entrypoints.ts and
// test/lab/measure-image.ts). Everything is named after `prefix`, so runs side by side do not meet, and
// `remove()` (or removeTopology(prefix, workDir) after a killed run) undoes it.
//
//   ${p}-ctr  the container's netns: veth-ts 172.17.0.2/24, default via 172.17.0.1
//   ${p}-rtr  the "router": bridge 172.17.0.1/24 to the container, LAN 192.168.88.1/24, WAN
//             198.51.100.1/24, route 100.64.0.0/10 via 172.17.0.2 (the RouterOS route), forwarding
//             on; nothing from the WAN reaches the LAN (as behind a real router's NAT), so the client
//             reaches the LAN through the subnet router or not at all
//   ${p}-lan  a LAN host 192.168.88.10, default via the router, serving a page on port 80
//   ${p}-hs   Headscale 198.51.100.2:8080 with its embedded DERP and STUN
//   ${p}-cli  a tailnet client 198.51.100.3 with its own tailscaled (--accept-routes), serving a
//             page on port 80
//   and what the LAN scenarios add (test/lab/topology-lan-services.ts): a second client that does not
//   accept routes, a client offering an exit node with its own internet host, the router's internet
//   host, IPv6 on the container's and the LAN's links. Their processes start only when asked for.
import { execa } from "execa";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHeadscale, type Headscale } from "./headscale.ts";
import { startTailnetClient, type ClientOptions, type TailnetClient } from "./tailnet-client.ts";
import { serveEcho, servePage } from "./web-page.ts";
import { layOutLanServices } from "./topology-lan-services.ts";

export type { TailnetClient } from "./tailnet-client.ts";

/** The addresses the topology uses (RouterOS defaults; TEST-NET-2 as the "internet"). */
export const TOPOLOGY = {
  containerAddress: "172.17.0.2",
  containerGateway: "172.17.0.1",
  containerInterface: "veth-ts",
  lanSubnet: "192.168.88.0/24",
  lanGateway: "192.168.88.1",
  lanHost: "192.168.88.10",
  wanSubnet: "198.51.100.0/24",
  wanGateway: "198.51.100.1",
  headscaleAddress: "198.51.100.2",
  clientAddress: "198.51.100.3",
  tailnet: "100.64.0.0/10",
  /** What the LAN host's page and the client's page say (port 80 each). */
  lanPage: "hello from the LAN host 192.168.88.10",
  clientPage: "hello from the tailnet client",
} as const;

/** The namespaces of one topology. */
export interface Namespaces {
  readonly container: string;
  readonly router: string;
  readonly lan: string;
  readonly headscale: string;
  readonly client: string;
  readonly client2: string;
  readonly exitNode: string;
  readonly exitInternet: string;
  readonly internet: string;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Topology {
  readonly prefix: string;
  readonly ns: Namespaces;
  readonly headscale: Headscale;
  /** Holds Headscale's, the client's and the pages' files; removed by `remove()`. */
  readonly workDir: string;
  /** Runs a command in one of the namespaces (never rejects; the result tells). */
  exec(where: keyof Namespaces, command: readonly string[], options?: { timeoutMs?: number }): Promise<ExecResult>;
  /** Starts a long-running command in one of the namespaces; kill it with `.kill()`. */
  spawn(where: keyof Namespaces, command: readonly string[]): Spawned;
  /** Starts the tailnet client's tailscaled, logs it in with --accept-routes and serves its page. */
  startClient(): Promise<TailnetClient>;
  /**
   * Starts a client of the LAN scenarios in its namespace (`client2`: no --accept-routes; `exitNode`:
   * --advertise-exit-node) and its echo page (test/lab/echo-server.mjs, named after its host name).
   */
  startScenarioClient(where: "client2" | "exitNode", options: ClientOptions): Promise<TailnetClient>;
  /** Serves the echo page in a namespace, until `remove()`. */
  serveEcho(where: keyof Namespaces, name: string): void;
  /** The processes it started (Headscale, clients' tailscaled, page servers, spawn()s) that run now. */
  processes(): Array<{ pid: number; what: string }>;
  /** Stops what it started (clients, pages, Headscale), deletes the namespaces and the work dir. */
  remove(): Promise<void>;
}

/** A long-running command started by Topology.spawn. */
export interface Spawned {
  readonly pid: number | undefined;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when it has exited. */
  readonly done: Promise<void>;
  /** What it printed on stdout, once it has exited. */
  readonly output: Promise<string>;
}

export const namespacesOf = (prefix: string): Namespaces => ({
  container: `${prefix}-ctr`,
  router: `${prefix}-rtr`,
  lan: `${prefix}-lan`,
  headscale: `${prefix}-hs`,
  client: `${prefix}-cli`,
  client2: `${prefix}-cl2`,
  exitNode: `${prefix}-exn`,
  exitInternet: `${prefix}-ein`,
  internet: `${prefix}-net`,
});

async function sh(command: readonly string[]): Promise<void> {
  const result = await execa(command[0] ?? "true", command.slice(1), { reject: false, all: true });
  if (result.exitCode !== 0) throw new Error(`${command.join(" ")} failed: ${result.all}`);
}

/** Host pids of the processes in a namespace (none when it does not exist). */
export async function pidsInNamespace(name: string): Promise<number[]> {
  const pids = await execa("ip", ["netns", "pids", name], { reject: false });
  return pids.exitCode === 0 ? pids.stdout.split(/\s+/).filter(Boolean).map(Number) : [];
}

/** The namespaces of this prefix that exist now. */
export async function existingNamespaces(prefix: string): Promise<string[]> {
  const listed = (await execa("ip", ["netns", "list"], { reject: false })).stdout;
  const names = new Set(listed.split("\n").map((line) => line.split(" ")[0] ?? ""));
  return Object.values(namespacesOf(prefix)).filter((name) => names.has(name));
}

/** Removes every namespace a topology of this prefix made, and its work dir (after a killed run, too). */
export async function removeTopology(prefix: string, workDir?: string): Promise<void> {
  for (const name of Object.values(namespacesOf(prefix))) {
    // Processes left in a namespace (a killed run's tailscaled) would keep its devices alive.
    for (const pid of await pidsInNamespace(name)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone already.
      }
    }
    await execa("ip", ["netns", "del", name], { reject: false });
  }
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
}

/**
 * Lays out the namespaces, starts Headscale and the LAN host's page. Each namespace's sysctls are set
 * here, all of them (a new netns inherits the host's IPv4 settings, and the host may forward): only
 * the router forwards; the container starts with forwarding off, as on RouterOS, for the supervisor
 * to turn on. `workDir` (default: a new temp dir) is emptied first. `ownProcessGroups`: Headscale,
 * the clients and the pages in sessions of their own (out of a terminal's reach: the sandbox stops
 * them itself, after the container). `headscalePolicy`: Headscale's tailnet policy (default none:
 * every node may reach every other, no Tailscale SSH).
 */
export async function createTopology(prefix: string, options: { workDir?: string; ownProcessGroups?: boolean; headscalePolicy?: string; magicDns?: boolean } = {}): Promise<Topology> {
  const ns = namespacesOf(prefix);
  await removeTopology(prefix, options.workDir);
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), `ts-topology-${prefix}-`));
  mkdirSync(workDir, { recursive: true });
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    await layOutNetwork(ns);
    const detached = options.ownProcessGroups === true;
    const headscale = await startHeadscale(ns.headscale, { address: TOPOLOGY.headscaleAddress, dir: join(workDir, "headscale"), detached, magicDns: options.magicDns === true, ...(options.headscalePolicy === undefined ? {} : { policy: options.headscalePolicy }) });
    started.push(headscale);
    const topology = buildTopology(prefix, ns, headscale, workDir, started, detached);
    started.push(servePage(topology, "lan", join(workDir, "lan-www"), TOPOLOGY.lanPage));
    return topology;
  } catch (error) {
    for (const thing of started.reverse()) await thing.stop();
    await removeTopology(prefix, workDir);
    throw error;
  }
}

async function layOutNetwork(ns: Namespaces): Promise<void> {
  for (const name of Object.values(ns)) {
    await sh(["ip", "netns", "add", name]);
    await sh(["ip", "-n", name, "link", "set", "lo", "up"]);
    // The router and the exit node forward; the rest do not.
    const forwards = name === ns.router || name === ns.exitNode ? "1" : "0";
    for (const [key, value] of [["net.ipv4.ip_forward", forwards], ["net.ipv4.conf.all.rp_filter", "0"], ["net.ipv4.conf.default.rp_filter", "0"], ["net.ipv6.conf.all.forwarding", forwards]] as const) {
      await sh(["ip", "netns", "exec", name, "sysctl", "-qw", `${key}=${value}`]);
    }
  }
  const ip = (where: string, ...args: string[]) => sh(["ip", "-n", where, ...args]);
  // Router bridges: "containers" (to the veth of the container) and "wan" (Headscale, client).
  await ip(ns.router, "link", "add", "containers", "type", "bridge");
  await ip(ns.router, "addr", "add", `${TOPOLOGY.containerGateway}/24`, "dev", "containers");
  await ip(ns.router, "link", "add", "wan", "type", "bridge");
  await ip(ns.router, "addr", "add", `${TOPOLOGY.wanGateway}/24`, "dev", "wan");
  for (const bridge of ["containers", "wan"]) await ip(ns.router, "link", "set", bridge, "up");
  const plug = async (peer: string, inside: string, address: string, gateway: string, bridge?: string, routerAddress?: string) => {
    const outside = `v-${peer.slice(-3)}`;
    await ip(ns.router, "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", peer);
    if (bridge !== undefined) await ip(ns.router, "link", "set", outside, "master", bridge);
    if (routerAddress !== undefined) await ip(ns.router, "addr", "add", routerAddress, "dev", outside);
    await ip(ns.router, "link", "set", outside, "up");
    await ip(peer, "addr", "add", address, "dev", inside);
    await ip(peer, "link", "set", inside, "up");
    await ip(peer, "route", "add", "default", "via", gateway);
  };
  await plug(ns.container, TOPOLOGY.containerInterface, `${TOPOLOGY.containerAddress}/24`, TOPOLOGY.containerGateway, "containers");
  await plug(ns.lan, "eth0", `${TOPOLOGY.lanHost}/24`, TOPOLOGY.lanGateway, undefined, `${TOPOLOGY.lanGateway}/24`);
  await plug(ns.headscale, "eth0", `${TOPOLOGY.headscaleAddress}/24`, TOPOLOGY.wanGateway, "wan");
  await plug(ns.client, "eth0", `${TOPOLOGY.clientAddress}/24`, TOPOLOGY.wanGateway, "wan");
  // The route every RouterOS guide adds: the tailnet via the container.
  await ip(ns.router, "route", "add", TOPOLOGY.tailnet, "via", TOPOLOGY.containerAddress);
  // The WAN never reaches the LAN directly (a real router NATs its LAN): without this, the client's
  // default route would carry its pings to the LAN host past the subnet router, and traffic checks
  // would pass with Tailscale broken.
  await ip(ns.router, "rule", "add", "iif", "wan", "to", TOPOLOGY.lanSubnet, "prohibit");
  await layOutLanServices(ns, ip, plug, sh);
}

function buildTopology(prefix: string, ns: Namespaces, headscale: Headscale, workDir: string, started: Array<{ stop(): Promise<void> }>, detached: boolean): Topology {
  const spawned: Array<{ pid: number; what: string; running: () => boolean }> = [];
  const clients: TailnetClient[] = [];
  const exec: Topology["exec"] = async (where, command, options = {}) => {
    const result = await execa("ip", ["netns", "exec", ns[where], ...command], { reject: false, timeout: options.timeoutMs ?? 30_000 });
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  const topology: Topology = {
    prefix,
    ns,
    headscale,
    workDir,
    exec,
    spawn(where, command) {
      const child = execa("ip", ["netns", "exec", ns[where], ...command], { reject: false, stdin: "ignore", detached });
      let running = true;
      const output = child.then((result) => {
        running = false;
        return result.stdout;
      });
      if (child.pid !== undefined) spawned.push({ pid: child.pid, what: `${command.join(" ")} (in ${ns[where]})`, running: () => running });
      return { pid: child.pid, kill: (signal = "SIGTERM") => void child.kill(signal), done: output.then(() => undefined), output };
    },
    async startClient() {
      const client = await startTailnetClient(ns.client, headscale, join(workDir, `client-${started.length}`), { detached });
      started.push(client);
      clients.push(client);
      started.push(servePage(topology, "client", join(workDir, `client-www-${started.length}`), TOPOLOGY.clientPage));
      return client;
    },
    async startScenarioClient(where, options) {
      const client = await startTailnetClient(ns[where], headscale, join(workDir, `${where}-${started.length}`), options);
      started.push(client);
      clients.push(client);
      topology.serveEcho(where, client.hostname);
      return client;
    },
    serveEcho(where, name) {
      started.push(serveEcho(topology, where, name));
    },
    processes() {
      const serverPid = headscale.pid();
      return [
        ...(serverPid === undefined ? [] : [{ pid: serverPid, what: `headscale (in ${ns.headscale})` }]),
        ...clients.flatMap((client) => (client.pid === undefined ? [] : [{ pid: client.pid, what: `the tailscaled of client ${client.hostname}` }])),
        ...spawned.filter((process) => process.running()).map(({ pid, what }) => ({ pid, what })),
      ];
    },
    async remove() {
      for (const thing of started.reverse()) await thing.stop();
      started.length = 0;
      await removeTopology(prefix, workDir);
    },
  };
  return topology;
}

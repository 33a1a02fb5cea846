// A RouterOS-like network in network namespaces of its own, for end-to-end runs of the image (the
// image tests, `npm start` and the benchmark reuse it). Everything is named after `prefix`, so runs
// side by side do not meet, and `remove()` (or removeTopology(prefix) after a killed run) undoes it.
//
//   ${p}-ctr  the container's netns: veth-ts 172.17.0.2/24, default via 172.17.0.1
//   ${p}-rtr  the "router": bridge 172.17.0.1/24 to the container, LAN 192.168.88.1/24, WAN
//             198.51.100.1/24, route 100.64.0.0/10 via 172.17.0.2 (the RouterOS route), forwarding on
//   ${p}-lan  a LAN host 192.168.88.10, default via the router
//   ${p}-hs   Headscale 198.51.100.2:8080 with its embedded DERP and STUN
//   ${p}-cli  a tailnet client 198.51.100.3 with its own tailscaled (--accept-routes)
import { execa } from "execa";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { realBinaries, startHeadscale, type Headscale } from "./headscale.ts";
import { pollFor } from "./pid1.ts";

/** The addresses the topology uses (RouterOS defaults; TEST-NET-2 as the "internet"). */
export const TOPOLOGY = {
  containerAddress: "172.17.0.2",
  containerGateway: "172.17.0.1",
  containerInterface: "veth-ts",
  lanSubnet: "192.168.88.0/24",
  lanHost: "192.168.88.10",
  headscaleAddress: "198.51.100.2",
  clientAddress: "198.51.100.3",
  tailnet: "100.64.0.0/10",
} as const;

/** The namespaces of one topology. */
export interface Namespaces {
  readonly container: string;
  readonly router: string;
  readonly lan: string;
  readonly headscale: string;
  readonly client: string;
}

export interface Topology {
  readonly prefix: string;
  readonly ns: Namespaces;
  readonly headscale: Headscale;
  /** Runs a command in one of the namespaces (never rejects; the result tells). */
  exec(where: keyof Namespaces, command: readonly string[], options?: { timeoutMs?: number }): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** Starts a long-running command in one of the namespaces; kill it with `.kill()`. */
  spawn(where: keyof Namespaces, command: readonly string[]): Spawned;
  /** Starts the tailnet client's tailscaled and logs it in with --accept-routes. */
  startClient(): Promise<TailnetClient>;
  remove(): Promise<void>;
}

/** A long-running command started by Topology.spawn. */
export interface Spawned {
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when it has exited. */
  readonly done: Promise<void>;
}

export interface TailnetClient {
  /** Its tailnet IPv4 address. */
  readonly ip: string;
  /** Runs the `tailscale` CLI against the client's daemon. */
  cli(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

const namespacesOf = (prefix: string): Namespaces => ({ container: `${prefix}-ctr`, router: `${prefix}-rtr`, lan: `${prefix}-lan`, headscale: `${prefix}-hs`, client: `${prefix}-cli` });

async function sh(command: readonly string[]): Promise<void> {
  const result = await execa(command[0] ?? "true", command.slice(1), { reject: false, all: true });
  if (result.exitCode !== 0) throw new Error(`${command.join(" ")} failed: ${result.all}`);
}

/** Removes every namespace a topology of this prefix made (after a killed run, too). */
export async function removeTopology(prefix: string): Promise<void> {
  for (const name of Object.values(namespacesOf(prefix))) {
    // Processes left in a namespace (a killed run's tailscaled) would keep its devices alive.
    const pids = await execa("ip", ["netns", "pids", name], { reject: false });
    for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Gone already.
      }
    }
    await execa("ip", ["netns", "del", name], { reject: false });
  }
}

/**
 * Lays out the namespaces and starts Headscale. Each namespace's sysctls are set here, all of them
 * (a new netns inherits the host's IPv4 settings, and the host may forward): only the router
 * forwards; the container starts with forwarding off, as on RouterOS, for the supervisor to turn on.
 */
export async function createTopology(prefix: string): Promise<Topology> {
  const ns = namespacesOf(prefix);
  await removeTopology(prefix);
  const made: string[] = [];
  try {
    for (const name of Object.values(ns)) {
      await sh(["ip", "netns", "add", name]);
      made.push(name);
      await sh(["ip", "-n", name, "link", "set", "lo", "up"]);
      for (const [key, value] of [["net.ipv4.ip_forward", name === ns.router ? "1" : "0"], ["net.ipv4.conf.all.rp_filter", "0"], ["net.ipv4.conf.default.rp_filter", "0"], ["net.ipv6.conf.all.forwarding", "0"]] as const) {
        await sh(["ip", "netns", "exec", name, "sysctl", "-qw", `${key}=${value}`]);
      }
    }
    const ip = (where: string, ...args: string[]) => sh(["ip", "-n", where, ...args]);
    // Router bridges: "containers" (to the veth of the container) and "wan" (Headscale, client).
    await ip(ns.router, "link", "add", "containers", "type", "bridge");
    await ip(ns.router, "addr", "add", `${TOPOLOGY.containerGateway}/24`, "dev", "containers");
    await ip(ns.router, "link", "add", "wan", "type", "bridge");
    await ip(ns.router, "addr", "add", "198.51.100.1/24", "dev", "wan");
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
    await plug(ns.lan, "eth0", `${TOPOLOGY.lanHost}/24`, "192.168.88.1", undefined, "192.168.88.1/24");
    await plug(ns.headscale, "eth0", `${TOPOLOGY.headscaleAddress}/24`, "198.51.100.1", "wan");
    await plug(ns.client, "eth0", `${TOPOLOGY.clientAddress}/24`, "198.51.100.1", "wan");
    // The route every RouterOS guide adds: the tailnet via the container.
    await ip(ns.router, "route", "add", TOPOLOGY.tailnet, "via", TOPOLOGY.containerAddress);
    const headscale = await startHeadscale(ns.headscale, { address: TOPOLOGY.headscaleAddress });
    return buildTopology(prefix, ns, headscale);
  } catch (error) {
    await removeTopology(prefix);
    throw error;
  }
}

function buildTopology(prefix: string, ns: Namespaces, headscale: Headscale): Topology {
  const clients: TailnetClient[] = [];
  const exec: Topology["exec"] = async (where, command, options = {}) => {
    const result = await execa("ip", ["netns", "exec", ns[where], ...command], { reject: false, timeout: options.timeoutMs ?? 30_000 });
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  return {
    prefix,
    ns,
    headscale,
    exec,
    spawn(where, command) {
      const child = execa("ip", ["netns", "exec", ns[where], ...command], { reject: false });
      return { kill: (signal = "SIGTERM") => void child.kill(signal), done: child.then(() => undefined) };
    },
    async startClient() {
      const client = await startTailnetClient(ns.client, headscale);
      clients.push(client);
      return client;
    },
    async remove() {
      for (const client of clients) await client.stop();
      await headscale.stop();
      await removeTopology(prefix);
    },
  };
}

/** The client's tailscaled (the tests' own build), kernel TUN in its namespace, no firewall rules. */
async function startTailnetClient(netns: string, headscale: Headscale): Promise<TailnetClient> {
  const { tailscaled, tailscale } = realBinaries();
  const dir = mkdtempSync(join(tmpdir(), "ts-client-"));
  const socket = join(dir, "tailscaled.sock");
  const daemon = execa("ip", ["netns", "exec", netns, tailscaled, `--statedir=${dir}`, `--socket=${socket}`, "--port=0", "--tun=tailscale0"], {
    reject: false,
    all: true,
    env: { TS_NO_LOGS_NO_SUPPORT: "true", TS_LOGS_DIR: dir },
  });
  const cli = async (args: readonly string[]) => {
    const result = await execa("ip", ["netns", "exec", netns, tailscale, `--socket=${socket}`, ...args], { reject: false, timeout: 60_000 });
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  const stop = async () => {
    daemon.kill("SIGTERM");
    await daemon;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const key = await headscale.createKey();
    await pollFor(() => (existsSync(socket) ? true : undefined), 20_000, () => "the client's tailscaled socket never appeared");
    const up = await cli(["up", `--login-server=${headscale.url}`, `--auth-key=${key}`, "--accept-routes", "--netfilter-mode=off", "--hostname=client", "--timeout=60s"]);
    if (up.exitCode !== 0) throw new Error(`client tailscale up failed: ${up.stderr}`);
    const ip = (await cli(["ip", "-4"])).stdout.trim();
    return { ip, cli, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

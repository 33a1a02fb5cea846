// The image run the way RouterOS runs it, in the topology (test/lab/topology.ts): the env list
// every guide writes, the state mount, the veth in the container's netns; approving its route in
// Headscale; killing its tailscaled; what is left in its namespace after a stop. Shared by the image
// tests, the sandbox (`npm start`) and the benchmark.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pollFor } from "../support/pid1.ts";
import { startContainer, type Arch, type Container } from "./podman.ts";
import { containerAddCommand, envCommand, returnRouteCommand, stateMountCommand } from "../../src/core/routeros/container-commands.ts";
import { NEWEST_RELEASE } from "../../src/core/routeros/routeros-releases.ts";
import { DERP_OVER_HTTP } from "./headscale.ts";
import { pidsInNamespace, TOPOLOGY, type Topology } from "./topology.ts";

/** The RouterOS env list (`/container/envs/add list=ts key=K value=V`), in the order a guide writes it. */
export function routerEnv(topology: Pick<Topology, "headscale">, options: { key: string; hostname: string; userspace?: boolean }): Record<string, string> {
  return {
    TS_AUTHKEY: options.key,
    TS_LOGIN_SERVER: topology.headscale.url,
    TS_ROUTES: TOPOLOGY.lanSubnet,
    TS_CONTAINER_GATEWAY: TOPOLOGY.containerGateway,
    TS_HOSTNAME: options.hostname,
    // Kernel TUN must not silently fall back to userspace here; emulated arches run userspace.
    TS_USERSPACE: options.userspace === true ? "true" : "false",
    ...DERP_OVER_HTTP,
  };
}

/**
 * The RouterOS commands that make this container (the newest release's forms, from the table the
 * README and the supervisor's fix texts use), the key shown as a placeholder.
 */
export function routerOsCommands(env: Record<string, string>): string[] {
  const release = NEWEST_RELEASE;
  return [
    `/interface/veth/add name=${TOPOLOGY.containerInterface} address=${TOPOLOGY.containerAddress}/24 gateway=${TOPOLOGY.containerGateway}`,
    "/interface/bridge/add name=containers",
    `/ip/address/add address=${TOPOLOGY.containerGateway}/24 interface=containers`,
    `/interface/bridge/port/add bridge=containers interface=${TOPOLOGY.containerInterface}`,
    returnRouteCommand(TOPOLOGY.containerAddress),
    stateMountCommand(release),
    ...Object.entries(env).map(([key, value]) => `${envCommand(release, key, key === "TS_AUTHKEY" ? "<a Headscale pre-auth key>" : value)}${key in DERP_OVER_HTTP ? "   (only for this offline Headscale: DERP without TLS)" : ""}`),
    containerAddCommand(release, "tailscale.tar"),
  ];
}

/**
 * A RouterOS-like kernel, SIMULATED: RouterOS kernels have xtables but no nf_tables, so every nft
 * form of iptables fails there (routeros.md). This seccomp profile allows everything except opening
 * a netlink socket of the netfilter family (NETLINK_NETFILTER = 12), which fails with EINVAL, so
 * `iptables-nft`, `ip6tables-nft` and their -save/-restore fail ("Failed to initialize nft: Invalid
 * argument") while the legacy backend (setsockopt on a raw IP socket) works. Returns the file.
 */
export function writeRouterOsKernelProfile(dir: string): string {
  const AF_NETLINK = 16;
  const NETLINK_NETFILTER = 12;
  const EINVAL = 22;
  const profile = {
    defaultAction: "SCMP_ACT_ALLOW",
    syscalls: [{ names: ["socket"], action: "SCMP_ACT_ERRNO", errnoRet: EINVAL, args: [{ index: 0, value: AF_NETLINK, op: "SCMP_CMP_EQ" }, { index: 2, value: NETLINK_NETFILTER, op: "SCMP_CMP_EQ" }] }],
  };
  const file = join(dir, "routeros-kernel-seccomp.json");
  writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
  return file;
}

/**
 * A kernel with only nf_tables (no ip_tables / ip6_tables: a recent distribution's Docker host),
 * SIMULATED: this seccomp profile refuses the legacy tables' first question, getsockopt
 * IPT_SO_GET_INFO / IP6T_SO_GET_INFO (64) at SOL_IP / SOL_IPV6, with ENOPROTOOPT, as such a kernel
 * does ("can't initialize iptables table `filter': Protocol not available"); nft is untouched.
 */
export function writeNftOnlyKernelProfile(dir: string): string {
  const SOL_IP = 0;
  const SOL_IPV6 = 41;
  const SO_GET_INFO = 64;
  const ENOPROTOOPT = 92;
  const refuse = (level: number) => ({ names: ["getsockopt"], action: "SCMP_ACT_ERRNO", errnoRet: ENOPROTOOPT, args: [{ index: 1, value: level, op: "SCMP_CMP_EQ" }, { index: 2, value: SO_GET_INFO, op: "SCMP_CMP_EQ" }] });
  const profile = { defaultAction: "SCMP_ACT_ALLOW", syscalls: [refuse(SOL_IP), refuse(SOL_IPV6)] };
  const file = join(dir, "nft-only-kernel-seccomp.json");
  writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
  return file;
}

export interface RouterOptions {
  readonly image: string;
  readonly stateDir: string;
  readonly env: Record<string, string>;
  readonly name: string;
  readonly arch?: Arch;
  readonly labels?: Record<string, string>;
  /** A seccomp profile, e.g. writeRouterOsKernelProfile's. */
  readonly seccompProfile?: string;
}

/**
 * What a graceful stop leaves on purpose: the supervisor's return route (its preflight fix, `ip route
 * replace`, idempotent at the next start). Sysctls it set (forwarding) stay too and are not listed.
 * On RouterOS and Docker the namespace goes away with the container; here it outlives it.
 */
export const RETURN_ROUTE_LEFT = `route ${TOPOLOGY.lanSubnet} via ${TOPOLOGY.containerGateway} dev ${TOPOLOGY.containerInterface}`;

/** Runs the image as RouterOS would, its veth being the topology's container namespace (`stateDir` is created). */
export function startRouter(topology: Pick<Topology, "ns">, options: RouterOptions): Promise<Container> {
  mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  return startContainer(
    {
      image: options.image,
      netns: topology.ns.container,
      stateDir: options.stateDir,
      env: options.env,
      hostname: options.name,
      ...(options.arch ? { arch: options.arch } : {}),
      ...(options.labels ? { labels: options.labels } : {}),
      ...(options.seccompProfile ? { seccompProfile: options.seccompProfile } : {}),
    },
    options.name,
  );
}

/** Waits until Headscale knows the node named `hostname`, approves the LAN route; the node's id. */
export function approveRoute(topology: Pick<Topology, "headscale">, hostname: string, timeoutMs = 30_000): Promise<string> {
  return approveRoutesOf(topology, hostname, [TOPOLOGY.lanSubnet], timeoutMs);
}

/** What a node offering an exit node advertises (`--advertise-exit-node`). */
export const EXIT_ROUTES = ["0.0.0.0/0", "::/0"] as const;

/** Waits until Headscale knows the node named `hostname`, approves `routes` for it; the node's id. */
export async function approveRoutesOf(topology: Pick<Topology, "headscale">, hostname: string, routes: readonly string[], timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const node = (await topology.headscale.listNodes()).find((candidate) => candidate.name === hostname);
    if (node !== undefined) {
      await topology.headscale.approveRoutes(node.id, routes);
      return node.id;
    }
    if (Date.now() > deadline) throw new Error(`Headscale never listed a node named ${hostname}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Host pids of a process's children (of every thread: a Go program forks from any of them). */
export function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

/** The process's name (`comm`), or "" when it is gone. */
export function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** Host pid of the tailscaled the container's PID 1 started (waits up to `timeoutMs` for one). */
export function findTailscaled(pid1: number, timeoutMs = 10_000): Promise<number> {
  return pollFor(() => childrenOf(pid1).find((child) => commOf(child) === "tailscaled"), timeoutMs, () => `no tailscaled child of pid ${pid1}`);
}

/** `kill -9` of the container's tailscaled, from the host; its pid. */
export async function killTailscaled(container: Pick<Container, "pid">): Promise<number> {
  const pid = await findTailscaled(await container.pid());
  process.kill(pid, "SIGKILL");
  return pid;
}

/**
 * What a container left in its namespace, one line per thing, compared with a fresh one: processes,
 * links other than lo and the veth, policy rules beyond the kernel's (IPv4 and IPv6), routes in tailscaled's
 * table 52 and main routes beyond the veth's own, and chains of either iptables backend (the host's
 * binaries, in that namespace).
 */
export async function leftoversInNamespace(topology: Pick<Topology, "ns" | "exec">): Promise<string[]> {
  const left: string[] = [];
  for (const pid of await pidsInNamespace(topology.ns.container)) left.push(`process ${pid} (${commOf(pid)})`);
  const links = (await topology.exec("container", ["ip", "-o", "link", "show"])).stdout.split("\n").filter(Boolean);
  for (const link of links) {
    const name = /^\d+: ([^:@]+)/.exec(link)?.[1] ?? link;
    if (name !== "lo" && name !== TOPOLOGY.containerInterface) left.push(`link ${name}`);
  }
  const rules = (await topology.exec("container", ["ip", "rule", "show"])).stdout.split("\n").filter(Boolean);
  for (const rule of rules) if (!/^(0|32766|32767):\s+from all lookup (local|main|default)\s*$/.test(rule)) left.push(`rule ${rule.trim()}`);
  const rules6 = (await topology.exec("container", ["ip", "-6", "rule", "show"])).stdout.split("\n").filter(Boolean);
  for (const rule of rules6) if (!/^(0|32766):\s+from all lookup (local|main)\s*$/.test(rule)) left.push(`rule -6 ${rule.trim()}`);
  const table52 = (await topology.exec("container", ["ip", "route", "show", "table", "52"])).stdout.split("\n").filter(Boolean);
  for (const route of table52) left.push(`route table 52: ${route}`);
  const main = (await topology.exec("container", ["ip", "route", "show", "table", "main"])).stdout.split("\n").filter(Boolean);
  for (const route of main) if (!route.startsWith(`default via ${TOPOLOGY.containerGateway} `) && !route.startsWith("172.17.0.0/24 dev ")) left.push(`route ${route.trim()}`);
  for (const iptables of ["iptables-legacy", "iptables-nft", "ip6tables-legacy", "ip6tables-nft"]) {
    for (const table of ["filter", "nat", "mangle"]) {
      const listed = (await topology.exec("container", [iptables, "-t", table, "-S"])).stdout.split("\n");
      for (const line of listed) if (line.startsWith("-N ") || (line.startsWith("-A ") && line.includes("ts-"))) left.push(`${iptables} -t ${table}: ${line}`);
    }
  }
  return left;
}

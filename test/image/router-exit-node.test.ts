// The router as an exit node, end to end with the image as it ships (podman) in the RouterOS-like
// topology: a tailnet client sending its internet traffic through the container reaches a host on the
// router's internet side, which sees the router's address (its NAT), and the client still reaches the
// LAN; on this machine's kernel (standard image) and on a RouterOS-like kernel where every nft form of
// iptables fails (tiny image; SIMULATED with a seccomp profile refusing netlink-netfilter sockets),
// there with TS_LAN_MASQUERADE too (legacy backend: the LAN reaches a client that does not accept routes).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, neverWithin, pingCheck, seenAddress } from "../lab/lan-traffic.ts";
import { loadImage, uniqueName, type Container, type Variant } from "../lab/podman.ts";
import { approveRoutesOf, EXIT_ROUTES, leftoversInNamespace, RETURN_ROUTE_LEFT, routerEnv, startRouter, writeRouterOsKernelProfile } from "../lab/router.ts";
import { createTopology, TOPOLOGY, type TailnetClient, type Topology } from "../lab/topology.ts";
import { LAN_SERVICES } from "../lab/topology-lan-services.ts";

const TARGET = LAN_SERVICES.routerInternetHost;
const KERNELS = [
  { kernel: "this machine's kernel", variant: "standard" as Variant, routerOs: false },
  { kernel: "a RouterOS-like kernel (nft fails, SIMULATED)", variant: "tiny" as Variant, routerOs: true },
];

describe("the router as an exit node (--advertise-exit-node)", () => {
  let topology: Topology;
  let workDir: string;
  let client: TailnetClient;
  let client2: TailnetClient;
  const containers: Container[] = [];

  beforeAll(async () => {
    topology = await createTopology(`tx${process.pid % 100000}`);
    workDir = mkdtempSync(join(tmpdir(), "ts-exit-node-"));
    [client, client2] = await Promise.all([topology.startClient(), topology.startScenarioClient("client2", { hostname: "client2", acceptRoutes: false })]);
    topology.serveEcho("internet", "the router's internet host");
  }, 300_000);

  afterAll(async () => {
    for (const container of containers) await container.remove();
    await topology?.remove();
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  }, 120_000);

  it.each(KERNELS.map((kernel) => [kernel.kernel, kernel.variant, kernel] as const))("on %s (%s image): the client reaches the router's internet host only through it, seen as the router's address; the LAN still reachable; a stop leaves no rule", async (_kernel, _variant, { variant, routerOs }) => {
    const image = await loadImage(variant, "amd64");
    const hostname = `exit-${variant}`;
    const key = await topology.headscale.createKey();
    const env = { ...routerEnv(topology, { key, hostname }), TS_EXTRA_ARGS: "--advertise-exit-node", ...(routerOs ? { TS_LAN_MASQUERADE: "true" } : {}) };
    const seccompProfile = routerOs ? writeRouterOsKernelProfile(workDir) : undefined;
    const container = await startRouter(topology, { image, stateDir: join(workDir, variant), env, name: uniqueName(`exit-${variant}`), ...(seccompProfile === undefined ? {} : { seccompProfile }) });
    containers.push(container);
    const log = await container.waitForLog(/INFO supervisor: tailscale is running /, 120_000);
    expect(log).toMatch(/tailscale is running .*exitNode=offered/);
    if (routerOs) {
      expect(log).toMatch(/firewall backend chosen backend=legacy ipv6=true reason="only legacy works"/);
      expect(log).toMatch(/masquerade="on \(IPv4, IPv6; legacy\)"/);
    }
    const node = /ips=(\d+\.\d+\.\d+\.\d+)/.exec(log)?.[1] ?? "";

    // Not offered to the client yet: the router's internet is out of the WAN side's reach.
    await neverWithin("client -> the router's internet host before it uses the exit node", () => pingCheck(topology, "client", TARGET), 5000);
    const nodeId = await approveRoutesOf(topology, hostname, [TOPOLOGY.lanSubnet, ...EXIT_ROUTES]);
    const set = await eventually("client: tailscale set --exit-node", async () => ((await client.cli(["set", `--exit-node=${node}`])).exitCode === 0 ? true : undefined), 60_000);
    expect(set).toBe(true);
    try {
      expect(await eventually("client -> the router's internet host (HTTP)", () => seenAddress(topology, "client", TARGET), 90_000)).toBe(LAN_SERVICES.routerInternetGateway);
      expect(await eventually("client -> the router's internet host (ping)", () => pingCheck(topology, "client", TARGET))).toMatch(/answered/);
      expect(await eventually("client -> LAN host while using the exit node (ping)", () => pingCheck(topology, "client", TOPOLOGY.lanHost))).toMatch(/answered/);
    } finally {
      await client.cli(["set", "--exit-node="]);
    }
    if (routerOs) {
      // TS_LAN_MASQUERADE with the legacy backend on this kernel: the LAN reaches a client that does not accept routes.
      expect(await eventually("LAN host -> client2 (HTTP)", () => seenAddress(topology, "lan", client2.ip), 90_000)).toBe(node);
      expect(await eventually("LAN host -> client2 (ping)", () => pingCheck(topology, "lan", client2.ip))).toMatch(/answered/);
    }
    expect((await container.stop(10)).exitCode).toBe(0);
    expect(await leftoversInNamespace(topology)).toEqual([RETURN_ROUTE_LEFT]);
    await container.remove();
    // The next kernel's node offers the same LAN: no failover wait for the client.
    await topology.headscale.deleteNode(nodeId);
  }, 400_000);
});

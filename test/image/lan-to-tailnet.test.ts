// What a LAN gets from its tailnet, end to end with the image as it ships (podman, the standard amd64
// archive) in the RouterOS-like topology with a real Headscale (MagicDNS on) and real tailscaled
// clients: LAN hosts reaching a peer that does not accept routes (fails without TS_LAN_MASQUERADE,
// works with it, IPv4 and IPv6, again after kill -9 of tailscaled); LAN hosts sent through a tailnet
// exit node (needs the masquerade; the LAN stays reachable through the policy rules, also after a
// restart); MagicDNS names from the LAN and the router at 100.100.100.100, with TS_ACCEPT_DNS false and
// true; a stop leaves none of the setting's rules.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, lookUp, neverWithin, pingCheck, seenAddress } from "../lab/lan-traffic.ts";
import { loadImage, uniqueName, type Container } from "../lab/podman.ts";
import { approveRoute, approveRoutesOf, EXIT_ROUTES, findTailscaled, killTailscaled, leftoversInNamespace, RETURN_ROUTE_LEFT, routerEnv, startRouter } from "../lab/router.ts";
import { createTopology, TOPOLOGY, type TailnetClient, type Topology } from "../lab/topology.ts";
import { LAN_SERVICES } from "../lab/topology-lan-services.ts";
import { checkTrafficBothWays } from "../lab/traffic.ts";

const RUNNING = /INFO supervisor: tailscale is running .*/g;
const HOSTNAME = "router-lan";
const SUFFIX = "tailnet.test";
/** How long a path that must stay closed is watched (a working one answers within ~1 s once up). */
const WATCH_MS = 10_000;

/** The last Running line of a log, and the node's addresses on it. */
function lastRunning(log: string): { line: string; ip4: string; ip6: string } {
  const line = [...log.matchAll(RUNNING)].at(-1)?.[0] ?? "";
  const ips = /ips=(\S+)/.exec(line)?.[1]?.split(",") ?? [];
  return { line, ip4: ips.find((ip) => !ip.includes(":")) ?? "", ip6: ips.find((ip) => ip.includes(":")) ?? "" };
}

describe("standard amd64 image: the LAN and its tailnet (masquerade, exit node, MagicDNS)", () => {
  let topology: Topology;
  let image: string;
  let stateDir: string;
  let client: TailnetClient;
  let client2: TailnetClient;
  let exitNode: TailnetClient;
  const containers: Container[] = [];

  beforeAll(async () => {
    [image, topology] = await Promise.all([loadImage("standard", "amd64"), createTopology(`tn${process.pid % 100000}`, { magicDns: true })]);
    stateDir = mkdtempSync(join(tmpdir(), "ts-lan-state-"));
    [client, client2, exitNode] = await Promise.all([
      topology.startClient(),
      topology.startScenarioClient("client2", { hostname: "client2", acceptRoutes: false }),
      topology.startScenarioClient("exitNode", { hostname: "exitnode", acceptRoutes: false, advertiseExitNode: true }),
    ]);
    await approveRoutesOf(topology, "exitnode", EXIT_ROUTES);
    topology.serveEcho("exitInternet", "the exit node's internet host");
  }, 300_000);

  afterAll(async () => {
    for (const container of containers) await container.remove();
    await topology?.remove();
    if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
  }, 120_000);

  async function boot(env: Record<string, string>): Promise<{ container: Container; log: string }> {
    const key = await topology.headscale.createKey();
    const container = await startRouter(topology, { image, stateDir, env: { ...routerEnv(topology, { key, hostname: HOSTNAME }), ...env }, name: uniqueName("lan") });
    containers.push(container);
    return { container, log: await container.waitForLog(/INFO supervisor: tailscale is running /, 90_000) };
  }

  async function stop(container: Container): Promise<void> {
    expect((await container.stop(10)).exitCode).toBe(0);
    // Nothing of TS_LAN_MASQUERADE (a chain in either backend or family) and no policy rule is left.
    expect(await leftoversInNamespace(topology)).toEqual([RETURN_ROUTE_LEFT]);
    await container.remove();
  }

  it("without TS_LAN_MASQUERADE, the LAN reaches the client that accepts routes but not the one that does not (IPv4, IPv6); with it, both, and the peer sees the node's address; again after kill -9 of tailscaled; MagicDNS names resolve from the LAN and the router (TS_ACCEPT_DNS=false); a stop leaves no rule of the setting", async () => {
    const off = await boot({});
    expect(lastRunning(off.log).line).toMatch(/exitNode=no masquerade=off magicDns=tailnet\.test routerOsDns="\/ip dns static add name=tailnet\.test type=FWD forward-to=100\.100\.100\.100 match-subdomain=yes"/);
    await approveRoute(topology, HOSTNAME);
    await checkTrafficBothWays(topology, client.ip, { timeoutMs: 90_000 });
    await neverWithin("LAN host -> client2 (ping) without TS_LAN_MASQUERADE", () => pingCheck(topology, "lan", client2.ip), WATCH_MS);
    await neverWithin("LAN host -> client2 (HTTP) without TS_LAN_MASQUERADE", () => seenAddress(topology, "lan", client2.ip), WATCH_MS);
    // IPv6: forwarding on by hand (the supervisor turns it on only for the setting, or IPv6 routes),
    // so that what is missing is the masquerade alone.
    await topology.exec("container", ["sysctl", "-qw", "net.ipv6.conf.all.forwarding=1"]);
    await neverWithin("LAN host -> client2 over IPv6 (ping) without TS_LAN_MASQUERADE", () => pingCheck(topology, "lan", client2.ip6), WATCH_MS / 2);
    // MagicDNS answers the LAN without the masquerade too.
    expect(await eventually("LAN host resolves client2 without TS_LAN_MASQUERADE", async () => (await lookUp(topology, "lan", `client2.${SUFFIX}`, "100.100.100.100"))[0])).toBe(client2.ip);
    await stop(off.container);

    const on = await boot({ TS_LAN_MASQUERADE: "true" });
    const node = lastRunning(on.log);
    expect(node.line).toMatch(/masquerade="on \(IPv4, IPv6; legacy\)"/);
    expect(await eventually("LAN host -> client2 (ping)", () => pingCheck(topology, "lan", client2.ip), 90_000)).toMatch(/answered/);
    expect(await eventually("LAN host -> client2 (HTTP)", () => seenAddress(topology, "lan", client2.ip))).toBe(node.ip4);
    expect(await eventually("LAN host -> client2 over IPv6 (ping)", () => pingCheck(topology, "lan", client2.ip6))).toMatch(/answered/);
    expect(await eventually("LAN host -> client2 over IPv6 (HTTP)", () => seenAddress(topology, "lan", client2.ip6))).toBe(node.ip6);
    // The client that accepts routes still sees the LAN host itself (nothing else changed for it).
    await checkTrafficBothWays(topology, client.ip, { timeoutMs: 90_000 });

    // MagicDNS from the LAN host, and from the router as its DNS forward would ask.
    expect(await eventually("LAN host resolves client2", async () => (await lookUp(topology, "lan", `client2.${SUFFIX}`, "100.100.100.100"))[0])).toBe(client2.ip);
    expect(await eventually("the router resolves exitnode", async () => (await lookUp(topology, "router", `exitnode.${SUFFIX}`, "100.100.100.100"))[0])).toBe(exitNode.ip);
    // TS_ACCEPT_DNS=false: the container's own resolver (podman's) does not know tailnet names.
    const own = await on.container.exec(["nslookup", `client2.${SUFFIX}`]);
    expect(`${own.stdout}${own.stderr}`).toMatch(/can't resolve 'client2\.tailnet\.test'/);

    const doctor = await on.container.exec(["/usr/local/bin/qjs", "/supervisor.mjs", "doctor"]);
    expect(doctor.stdout).toMatch(/^OK {3}lan-masquerade: on: chain TS-SUPERVISOR-MASQ in the legacy nat table for IPv4, IPv6$/m);
    expect(doctor.stdout).toMatch(/^OK {3}magic-dns: on: .* under tailnet\.test at 100\.100\.100\.100 .*RouterOS: \/ip dns static add name=tailnet\.test type=FWD forward-to=100\.100\.100\.100 match-subdomain=yes$/m);

    const killed = await killTailscaled(on.container);
    await on.container.waitForLog(/INFO supervisor: tailscale is running /, 90_000, 2);
    expect(await findTailscaled(await on.container.pid())).not.toBe(killed);
    expect(await eventually("LAN host -> client2 after kill -9 of tailscaled (HTTP)", () => seenAddress(topology, "lan", client2.ip), 90_000)).toBe(node.ip4);
    expect(await eventually("LAN host -> client2 after kill -9 of tailscaled (ping)", () => pingCheck(topology, "lan", client2.ip))).toMatch(/answered/);
    await stop(on.container);
  }, 600_000);

  it("an exit node for chosen LAN hosts (the router's table for 192.168.88.10): through it with TS_LAN_MASQUERADE (seen as the exit node), not without; the LAN stays reachable by the policy rules (gone: client -> LAN fails; back after kill -9 of tailscaled); the router still reaches the container; MagicDNS with TS_ACCEPT_DNS=true; a stop leaves no rule", async () => {
    // RouterOS: /routing/table/add name=via-ts fib; /ip/route/add gateway=172.17.0.2 routing-table=via-ts; /routing/rule/add src-address=192.168.88.10/32 action=lookup table=via-ts
    await topology.exec("router", ["ip", "route", "add", "default", "via", TOPOLOGY.containerAddress, "table", "100"]);
    await topology.exec("router", ["ip", "rule", "add", "from", `${TOPOLOGY.lanHost}/32`, "lookup", "100", "priority", "100"]);
    const target = LAN_SERVICES.exitNodeInternetHost;
    const used = await boot({ TS_LAN_MASQUERADE: "true", TS_ACCEPT_DNS: "true", TS_EXTRA_ARGS: `--exit-node=${exitNode.ip}` });
    expect(lastRunning(used.log).line).toMatch(new RegExp(`exitNode=used exitNodeIp=${exitNode.ip.replaceAll(".", "\\.")} masquerade="on \\(IPv4, IPv6; legacy\\)"`));
    expect(await eventually("LAN host -> the exit node's internet host (HTTP)", () => seenAddress(topology, "lan", target), 90_000)).toBe(LAN_SERVICES.exitNodeUplink);
    expect(await eventually("LAN host -> the exit node's internet host (ping)", () => pingCheck(topology, "lan", target))).toMatch(/answered/);
    // Subnet routing goes on while the exit node is used: the client reaches the LAN, the LAN the client.
    await checkTrafficBothWays(topology, client.ip, { timeoutMs: 90_000 });
    // --exit-node-allow-lan-access (added by the supervisor): the router still reaches the container.
    expect(await eventually("router -> container (ping)", () => pingCheck(topology, "router", TOPOLOGY.containerAddress))).toMatch(/answered/);
    // TS_ACCEPT_DNS=true: the container resolves tailnet names itself too; the LAN as before.
    expect(await eventually("the container resolves client2", async () => ((await used.container.exec(["nslookup", `client2.${SUFFIX}`])).stdout.includes(client2.ip) ? true : undefined))).toBe(true);
    expect(await eventually("LAN host resolves client2", async () => (await lookUp(topology, "lan", `client2.${SUFFIX}`, "100.100.100.100"))[0])).toBe(client2.ip);

    // Without the masquerade (its jump deleted by hand), new flows of the LAN host die at the exit node.
    await topology.exec("container", ["iptables-legacy", "-t", "nat", "-D", "POSTROUTING", "-o", "tailscale0", "-j", "TS-SUPERVISOR-MASQ"]);
    await neverWithin("LAN host -> the exit node's internet host without the masquerade (ping)", () => pingCheck(topology, "lan", target), WATCH_MS);
    // Without the policy rule, the replies to the LAN go into table 52's default route, to the exit node.
    await topology.exec("container", ["ip", "rule", "del", "priority", "5260"]);
    await neverWithin("client -> LAN host without the policy rule (ping)", () => pingCheck(topology, "client", TOPOLOGY.lanHost), WATCH_MS);
    // The supervisor puts both back at the next Running (here: after tailscaled was killed).
    await killTailscaled(used.container);
    await used.container.waitForLog(/INFO supervisor: tailscale is running /, 90_000, 2);
    expect(await eventually("client -> LAN host after the restart (ping)", () => pingCheck(topology, "client", TOPOLOGY.lanHost), 90_000)).toMatch(/answered/);
    expect(await eventually("LAN host -> the exit node's internet host after the restart (HTTP)", () => seenAddress(topology, "lan", target))).toBe(LAN_SERVICES.exitNodeUplink);

    const doctor = await used.container.exec(["/usr/local/bin/qjs", "/supervisor.mjs", "doctor"]);
    expect(doctor.stdout).toMatch(new RegExp(`^OK {3}exit-node: uses exit node ${exitNode.ip.replaceAll(".", "\\.")} with LAN access; policy rules \\(priority 5260\\) keep 192\\.168\\.88\\.0/24 reachable`, "m"));
    await stop(used.container);
    await topology.exec("router", ["ip", "rule", "del", "priority", "100"]);
    await topology.exec("router", ["ip", "route", "flush", "table", "100"]);
  }, 600_000);
});

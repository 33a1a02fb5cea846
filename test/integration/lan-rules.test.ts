// The committed bundle under the real qjs as PID 1, in a network namespace of the test's own, real
// iptables (both backends) and `ip rule`, the fake tailscaled: TS_LAN_MASQUERADE's chain in the backend
// preflight chose, the return routes' policy rules, both put back at each Running (after a tailscaled
// restart) and removed at the stop; the Running line naming what is in effect; the refusals.
import { execa } from "execa";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RUNNING_STATUS, startSupervisorInNamespace, type SupervisorRun } from "../support/pid1.ts";
import { readFileSync } from "node:fs";
import { findTailscaled } from "../lab/router.ts";

const ROUTES = "192.168.88.0/24,fd00:88::/64";
const FORWARDING_OFF = "echo 0 >/proc/sys/net/ipv4/ip_forward && echo 0 >/proc/sys/net/ipv6/conf/all/forwarding";
let cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A network namespace of the test's own (with lo up), removed after the test. */
async function makeNetns(): Promise<string> {
  const name = `i16lan${process.pid % 100000}${Math.floor(Math.random() * 1000)}`;
  await execa("ip", ["netns", "add", name]);
  await execa("ip", ["-n", name, "link", "set", "lo", "up"]);
  cleanups.push(async () => void (await execa("ip", ["netns", "del", name], { reject: false })));
  return name;
}

/** What the namespace holds of ours: the chain in each backend and family, the jumps, the 5260 rules. */
async function rulesIn(netns: string): Promise<string[]> {
  const found: string[] = [];
  for (const program of ["iptables-legacy", "iptables-nft", "ip6tables-legacy", "ip6tables-nft"]) {
    const listed = (await execa("ip", ["netns", "exec", netns, program, "-t", "nat", "-S"], { reject: false })).stdout;
    for (const line of listed.split("\n")) if (line.includes("TS-SUPERVISOR-MASQ")) found.push(`${program}: ${line}`);
  }
  for (const family of ["-4", "-6"]) {
    const listed = (await execa("ip", ["-n", netns, family, "rule", "show"])).stdout;
    for (const line of listed.split("\n")) if (line.startsWith("5260:")) found.push(`ip ${family} rule ${line.replace(/\s+/g, " ")}`);
  }
  return found;
}

/** A status JSON like the recorded Running one, with changes (an exit node in use, MagicDNS on, one family). */
function statusFile(change: (status: Record<string, any>) => void): string {
  const status = JSON.parse(readFileSync(RUNNING_STATUS, "utf8")) as Record<string, any>;
  change(status);
  const dir = mkdtempSync(join(tmpdir(), "lan-status-"));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "status.json"), JSON.stringify(status));
  return join(dir, "status.json");
}

function boot(netns: string, env: Record<string, string>, setup = FORWARDING_OFF): SupervisorRun {
  const run = startSupervisorInNamespace(env, { netns, setup });
  cleanups.push(async () => {
    if ((await Promise.race([run.exit().then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10))])) === false) await run.signal("SIGKILL").catch(() => undefined);
  });
  return run;
}

const LEGACY_CHAIN = [
  "iptables-legacy: -N TS-SUPERVISOR-MASQ",
  "iptables-legacy: -A POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ",
  "iptables-legacy: -A TS-SUPERVISOR-MASQ -j MASQUERADE",
  "ip6tables-legacy: -N TS-SUPERVISOR-MASQ",
  "ip6tables-legacy: -A POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ",
  "ip6tables-legacy: -A TS-SUPERVISOR-MASQ -j MASQUERADE",
];
const POLICY_RULES = ["ip -4 rule 5260: from all to 192.168.88.0/24 lookup main", "ip -6 rule 5260: from all to fd00:88::/64 lookup main"];

describe("TS_LAN_MASQUERADE and the return routes' policy rules, real kernel", () => {
  it("at Running: the chain in the chosen backend (legacy) for IPv4 and IPv6 and a rule per route; the Running line says so; kill -9 of tailscaled after the rules were deleted by hand: back at the next Running; SIGTERM: all gone, exit 0", async () => {
    const netns = await makeNetns();
    const run = boot(netns, { TS_ROUTES: ROUTES, TS_LAN_MASQUERADE: "true" });
    await run.waitFor(/tailscale is running/, 20_000);
    expect(run.output()).toMatch(/INFO supervisor: tailscale is running .*exitNode=no masquerade="on \(IPv4, IPv6; legacy\)" mode=/);
    expect(await rulesIn(netns)).toEqual([...LEGACY_CHAIN, ...POLICY_RULES]);

    await execa("ip", ["netns", "exec", netns, "iptables-legacy", "-t", "nat", "-D", "POSTROUTING", "-o", "tailscale0", "-j", "TS-SUPERVISOR-MASQ"]);
    await execa("ip", ["-n", netns, "rule", "del", "pref", "5260"]);
    expect(await rulesIn(netns)).not.toContain("iptables-legacy: -A POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ");
    process.kill(await findTailscaled(await run.supervisorPid()), "SIGKILL");
    await run.waitFor(/tailscale is running[^\n]*\n(?:.*\n)*.*tailscale is running/, 20_000);
    expect(await rulesIn(netns)).toEqual([...LEGACY_CHAIN, ...POLICY_RULES]);

    await run.signal("SIGTERM");
    expect((await run.exit()).exitCode).toBe(0);
    expect(run.output()).toMatch(/INFO lan: LAN rules removed masquerade=IPv4,IPv6 policyRules=192\.168\.88\.0\/24,fd00:88::\/64/);
    expect(await rulesIn(netns)).toEqual([]);
  }, 60_000);

  it("with nft already holding this netns's rules: the chain goes to nft; with only an IPv4 tailnet address: IPv4 only", async () => {
    const netns = await makeNetns();
    await execa("ip", ["netns", "exec", netns, "iptables-nft", "-t", "nat", "-A", "POSTROUTING", "-j", "ACCEPT"]);
    const ipv4Only = statusFile((status) => (status["Self"].TailscaleIPs = ["100.64.0.1"]));
    const run = boot(netns, { TS_LAN_MASQUERADE: "true", FAKE_STATUS_JSON: ipv4Only });
    await run.waitFor(/tailscale is running/, 20_000);
    expect(run.output()).toMatch(/masquerade="on \(IPv4; nft\)"/);
    expect(await rulesIn(netns)).toEqual(["iptables-nft: -N TS-SUPERVISOR-MASQ", "iptables-nft: -A POSTROUTING -o tailscale0 -j TS-SUPERVISOR-MASQ", "iptables-nft: -A TS-SUPERVISOR-MASQ -j MASQUERADE"]);
    await run.signal("SIGTERM");
    expect((await run.exit()).exitCode).toBe(0);
    expect(await rulesIn(netns)).toEqual([]);
  }, 60_000);

  it("off: a chain and a rule an earlier run left (a killed container on a kept netns) are removed at Running; an exit node in use and MagicDNS on are named on the Running line", async () => {
    const netns = await makeNetns();
    const earlier = boot(netns, { TS_ROUTES: "10.9.9.0/24", TS_LAN_MASQUERADE: "true" });
    await earlier.waitFor(/tailscale is running/, 20_000);
    await earlier.signal("SIGKILL");
    await earlier.exit();
    expect(await rulesIn(netns)).toContain("ip -4 rule 5260: from all to 10.9.9.0/24 lookup main");
    const status = statusFile((json) => {
      json["ExitNodeStatus"] = { ID: "4", Online: true, TailscaleIPs: ["100.64.0.4/32", "fd7a:115c:a1e0::4/128"] };
      json["CurrentTailnet"] = { Name: "hs", MagicDNSSuffix: "tailnet.test", MagicDNSEnabled: true };
    });
    const run = boot(netns, { TS_ROUTES: "192.168.88.0/24", TS_EXTRA_ARGS: "--exit-node=100.64.0.4", FAKE_STATUS_JSON: status });
    await run.waitFor(/tailscale is running/, 20_000);
    expect(run.output()).toMatch(/INFO lan: removed a LAN masquerade an earlier run left \(TS_LAN_MASQUERADE is off\) family=IPv4/);
    expect(run.output()).toMatch(
      /tailscale is running .*exitNode=used exitNodeIp=100\.64\.0\.4 masquerade=off magicDns=tailnet\.test routerOsDns="\/ip dns static add name=tailnet\.test type=FWD forward-to=100\.100\.100\.100 match-subdomain=yes" mode=/,
    );
    expect(await rulesIn(netns)).toEqual(["ip -4 rule 5260: from all to 192.168.88.0/24 lookup main"]);
    // The config file carries the exit node with LAN access, added by the supervisor.
    const config = JSON.parse((await execa("sh", ["-c", `cat /proc/${await run.supervisorPid()}/root/run/tailscale-supervisor/tailscaled.json`])).stdout) as Record<string, unknown>;
    expect(config).toMatchObject({ exitNode: "100.64.0.4", allowLANWhileUsingExitNode: true });
    await run.signal("SIGTERM");
    expect((await run.exit()).exitCode).toBe(0);
    expect(await rulesIn(netns)).toEqual([]);
  }, 60_000);

  it("TS_USERSPACE=auto falling back to userspace (no TUN can be had): exit 78 naming TS_LAN_MASQUERADE and the fix, nothing started", async () => {
    const netns = await makeNetns();
    // A read-only, empty /dev/net: no /dev/net/tun, and mknod cannot make one.
    const run = boot(netns, { TS_LAN_MASQUERADE: "true" }, `${FORWARDING_OFF} && mount -t tmpfs -o ro tmpfs /dev/net`);
    const { exitCode } = await run.exit();
    expect(exitCode).toBe(78);
    expect(run.output()).toMatch(/ERROR config: invalid setting variable=TS_LAN_MASQUERADE value=true problem="cannot be honoured: this container runs in userspace networking, and userspace networking forwards nothing from the LAN into the tailnet \(there is no tailscale0 to masquerade on\)" fix="give the container \/dev\/net\/tun and NET_ADMIN/);
    expect(run.lines("tailscaled.runs")).toEqual([]);
  }, 30_000);
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/core/config/load-config.ts";
import { checkLan } from "../../../src/core/lan/lan-checks.ts";
import type { FirewallChoice } from "../../../src/core/preflight/firewall/choose-backend.ts";
import { createFakeFiles } from "../../fakes/fake-files.ts";
import { createFakeRunner, type FakeAnswer } from "../../fakes/fake-runner.ts";
import { ROOT } from "../../support/qjs.ts";

const LEGACY: FirewallChoice = { kind: "backend", backend: "legacy", ipv6: true, reason: "only legacy works" };
const STATUS = JSON.parse(readFileSync(`${ROOT}test/fixtures/tailscale/status/status-running.json`, "utf8")) as Record<string, unknown>;
const MAGIC = JSON.stringify({ ...STATUS, CurrentTailnet: { Name: "x", MagicDNSSuffix: "tailnet.test", MagicDNSEnabled: true } });

function configOf(env: Record<string, string>) {
  const load = loadConfig(env, createFakeFiles({}));
  if (!load.ok) throw new Error(JSON.stringify(load.issues));
  return load.config;
}

async function linesOf(env: Record<string, string>, answer: (command: string) => FakeAnswer | undefined, userspace = false, choice: FirewallChoice = LEGACY): Promise<string[]> {
  const checks = await checkLan(configOf(env), { plan: { userspace, env: {}, netfilterMode: undefined }, facts: { firewallChoice: choice } as never }, createFakeRunner(answer));
  return checks.map((check) => `${check.status} ${check.id}: ${check.what}${check.fix === undefined ? "" : ` -- fix: ${check.fix}`}`);
}

const NOTHING_RUNS = (command: string): FakeAnswer => (command.startsWith("tailscale") ? { code: 1, stderr: "failed to connect to local tailscaled" } : { code: 1 });

describe("checkLan (doctor's LAN lines)", () => {
  it("all off, tailscaled not running", async () => {
    expect(await linesOf({}, NOTHING_RUNS)).toEqual([
      "ok lan-masquerade: off: LAN hosts reach only the peers that accept this router's routes (TS_LAN_MASQUERADE=true makes every peer reachable, as this node)",
      "ok exit-node: none used, none offered",
      "ok magic-dns: not known: tailscaled does not answer here (MagicDNS is read from the running node)",
    ]);
  });

  it("masquerade on and in place, an exit node used with its rules in place, MagicDNS on: the RouterOS forward", async () => {
    const answer = (command: string): FakeAnswer | undefined => (command === "ip -4 rule show" ? { code: 0, stdout: "5260:\tfrom all to 192.168.88.0/24 lookup main\n" } : command.startsWith("tailscale") ? { code: 0, stdout: MAGIC } : undefined);
    expect(await linesOf({ TS_LAN_MASQUERADE: "true", TS_ROUTES: "192.168.88.0/24", TS_EXTRA_ARGS: "--exit-node=100.64.0.4" }, answer)).toEqual([
      "ok lan-masquerade: on: chain TS-SUPERVISOR-MASQ in the legacy nat table for IPv4, IPv6",
      "ok exit-node: uses exit node 100.64.0.4 with LAN access; policy rules (priority 5260) keep 192.168.88.0/24 reachable; LAN hosts routed to this container go out through it (TS_LAN_MASQUERADE)",
      "ok magic-dns: on: LAN hosts and the router resolve names under tailnet.test at 100.100.100.100 through this container; RouterOS: /ip dns static add name=tailnet.test type=FWD forward-to=100.100.100.100 match-subdomain=yes",
    ]);
  });

  it("masquerade on but not in place yet, rules missing, no masquerade for LAN hosts through the exit node: said as such", async () => {
    const lines = await linesOf({ TS_LAN_MASQUERADE: "true", TS_ROUTES: "192.168.88.0/24", TS_EXTRA_ARGS: "--exit-node=100.64.0.4" }, (command) => (command.startsWith("ip -4") ? { code: 0, stdout: "" } : { code: 1 }));
    expect(lines[0]).toBe("ok lan-masquerade: on: chain TS-SUPERVISOR-MASQ in the legacy nat table, not in place now (the supervisor adds it each time tailscale is Running)");
    expect(lines[1]).toContain("policy rules (priority 5260) not in place now for 192.168.88.0/24");
    const without = await linesOf({ TS_ROUTES: "192.168.88.0/24", TS_EXTRA_ARGS: "--exit-node=100.64.0.4" }, NOTHING_RUNS);
    expect(without[1]).toContain("LAN hosts routed to this container are dropped by the exit node unless TS_LAN_MASQUERADE=true");
  });

  it("an exit node offered: how to approve it (Headscale or the admin console)", async () => {
    expect((await linesOf({ TS_EXTRA_ARGS: "--advertise-exit-node", TS_LOGIN_SERVER: "https://hs.example" }, NOTHING_RUNS))[1]).toContain("headscale nodes approve-routes --identifier NODE_ID --routes 0.0.0.0/0,::/0");
    expect((await linesOf({ TS_EXTRA_ARGS: "--advertise-exit-node" }, NOTHING_RUNS))[1]).toContain("admin console");
  });

  it("masquerade asked for in userspace networking: FAIL with the fix; MagicDNS then says the LAN cannot reach it", async () => {
    const lines = await linesOf({ TS_LAN_MASQUERADE: "true" }, (command) => (command.startsWith("tailscale") ? { code: 0, stdout: MAGIC } : undefined), true);
    expect(lines[0]).toMatch(/^fail lan-masquerade: TS_LAN_MASQUERADE=true cannot be honoured: this container runs in userspace networking.* -- fix: give the container \/dev\/net\/tun and NET_ADMIN/);
    expect(lines[2]).toBe("ok magic-dns: on (tailnet.test); in userspace networking the LAN cannot reach 100.100.100.100 through this container");
  });
});

import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/core/config/load-config.ts";
import { planLan } from "../../../src/core/lan/lan-plan.ts";
import type { FirewallChoice } from "../../../src/core/preflight/firewall/choose-backend.ts";
import { createFakeFiles } from "../../fakes/fake-files.ts";

function configOf(env: Record<string, string>) {
  const load = loadConfig(env, createFakeFiles({}));
  if (!load.ok) throw new Error(JSON.stringify(load.issues));
  return load.config;
}

const LEGACY: FirewallChoice = { kind: "backend", backend: "legacy", ipv6: true, reason: "only legacy works" };
const NFT_V4_ONLY: FirewallChoice = { kind: "backend", backend: "nft", ipv6: false, reason: "both work" };
const NONE: FirewallChoice = { kind: "none" };
const ROUTES = { TS_ROUTES: "192.168.88.0/24,fd00:88::/64" };

describe("planLan", () => {
  it.each([
    ["on, legacy", { ...ROUTES, TS_LAN_MASQUERADE: "true" }, false, LEGACY, { masquerade: { backend: "legacy", ipv6: true }, leftoverBackend: undefined, ruleSubnets: { 4: ["192.168.88.0/24"], 6: ["fd00:88::/64"] }, kernel: true }],
    ["on, nft without ip6tables", { TS_LAN_MASQUERADE: "true" }, false, NFT_V4_ONLY, { masquerade: { backend: "nft", ipv6: false }, leftoverBackend: undefined, ruleSubnets: { 4: [], 6: [] }, kernel: true }],
    ["off: leftovers looked for in the chosen backend", ROUTES, false, LEGACY, { masquerade: undefined, leftoverBackend: "legacy", ruleSubnets: { 4: ["192.168.88.0/24"], 6: ["fd00:88::/64"] }, kernel: true }],
    ["off, no backend", {}, false, NONE, { masquerade: undefined, leftoverBackend: undefined, ruleSubnets: { 4: [], 6: [] }, kernel: true }],
    ["off, userspace: nothing at all", ROUTES, true, LEGACY, { masquerade: undefined, leftoverBackend: undefined, ruleSubnets: { 4: [], 6: [] }, kernel: false }],
  ])("%s", (_name, env, userspace, choice, plan) => {
    expect(planLan(configOf(env), userspace, choice)).toEqual({ kind: "plan", plan });
  });

  it("on, but userspace networking (TS_USERSPACE=auto fell back): refused with the reason and the fix", () => {
    expect(planLan(configOf({ TS_LAN_MASQUERADE: "true" }), true, LEGACY)).toEqual({
      kind: "refused",
      variable: "TS_LAN_MASQUERADE",
      value: "true",
      problem: "cannot be honoured: this container runs in userspace networking, and userspace networking forwards nothing from the LAN into the tailnet (there is no tailscale0 to masquerade on)",
      fix: "give the container /dev/net/tun and NET_ADMIN (RouterOS 7.21+ has both), or remove TS_LAN_MASQUERADE",
    });
  });

  it("on, but no iptables backend works: refused", () => {
    expect(planLan(configOf({ TS_LAN_MASQUERADE: "true" }), false, NONE)).toMatchObject({ kind: "refused", problem: expect.stringContaining("no iptables backend works"), fix: expect.stringContaining("legacy works on RouterOS") });
  });
});

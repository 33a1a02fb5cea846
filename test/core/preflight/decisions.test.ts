// Pure decisions: kernel vs userspace, firewall backend and plan, sysctl writes, route output parsing.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/core/config/load-config.ts";
import type { Config } from "../../../src/core/config/config.ts";
import { findRequestedNetfilterMode, planFirewall } from "../../../src/core/preflight/firewall/choose-backend.ts";
import { findForwardingNeeds } from "../../../src/core/preflight/forwarding.ts";
import { chooseFirewall } from "../../../src/core/preflight/firewall/choose-backend.ts";
import { decideNetworking, type NetworkingInputs } from "../../../src/core/preflight/networking/networking-mode.ts";
import type { BackendProbe, FirewallFacts } from "../../../src/core/preflight/firewall/probe-backends.ts";
import { planSysctlWrites } from "../../../src/core/preflight/forwarding.ts";
import { isRouteVia, parseGatewayReach } from "../../../src/core/preflight/return-routes.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

function loaded(env: Record<string, string>): Config {
  const load = loadConfig(env, createFakeHost().files);
  if (!load.ok) throw new Error(JSON.stringify(load.issues));
  return load.config;
}

const ALL_CAPS = { kind: "known", effective: ["NET_ADMIN", "NET_RAW", "MKNOD"] } as const;
const BASE: NetworkingInputs = { userspace: "auto", tun: { kind: "usable" }, capabilities: ALL_CAPS, devReadOnly: false, tunError: undefined };
const modeOf = (inputs: Partial<NetworkingInputs>) => {
  const decision = decideNetworking({ ...BASE, ...inputs });
  const mode = decision.checks.find((check) => check.id === "mode");
  return [decision.userspace, mode?.status];
};

describe("decideNetworking", () => {
  it.each<[string, Partial<NetworkingInputs>, boolean, string]>([
    ["TUN usable", {}, false, "ok"],
    ["TUN missing but creatable", { tun: { kind: "missing" } }, false, "ok"],
    ["TUN missing, no MKNOD, auto", { tun: { kind: "missing" }, capabilities: { kind: "known", effective: ["NET_ADMIN", "NET_RAW"] } }, true, "warn"],
    ["TUN missing, /dev read-only", { tun: { kind: "missing" }, devReadOnly: true }, true, "warn"],
    ["TUN missing, mknod failed", { tun: { kind: "missing" }, tunError: "EPERM" }, true, "warn"],
    ["TUN denied by the device cgroup", { tun: { kind: "unopenable", error: "EPERM" } }, true, "warn"],
    ["no NET_ADMIN, auto", { capabilities: { kind: "known", effective: ["NET_RAW"] } }, true, "warn"],
    ["no NET_ADMIN, TS_USERSPACE=false", { userspace: "false", capabilities: { kind: "known", effective: [] } }, false, "fail"],
    ["TS_USERSPACE=true, no TUN", { userspace: "true", tun: { kind: "missing" } }, true, "ok"],
  ])("%s → userspace %s, mode %s", (_, inputs, userspace, status) => {
    expect(modeOf(inputs)).toEqual([userspace, status]);
  });
});

const probe = (backend: BackendProbe["backend"], family: 4 | 6, result: BackendProbe["result"]): BackendProbe => ({ backend, family, result });
const facts = (legacy: BackendProbe["result"], nft: BackendProbe["result"], v6 = true): FirewallFacts => ({
  probes: [probe("legacy", 4, legacy), probe("legacy", 6, v6 ? legacy : { kind: "missing" }), probe("nft", 4, nft), probe("nft", 6, v6 ? nft : { kind: "missing" })],
});
const WORKS = { kind: "works", rules: 0 } as const;
const FAILS = { kind: "fails", error: "Could not fetch rule set generation id: Invalid argument" } as const;

const settingSource = loaded({ TS_NETFILTER_MODE: "on" }).sources;
const flagSource = loaded({ TS_EXTRA_ARGS: "--netfilter-mode on" }).sources;

describe("chooseFirewall and planFirewall", () => {
  it("names where a netfilter mode was asked for: the variable, or the flag in the extra arguments", () => {
    expect(findRequestedNetfilterMode(loaded({ TS_NETFILTER_MODE: "on" }))).toEqual({ mode: "on", from: "TS_NETFILTER_MODE" });
    expect(findRequestedNetfilterMode(loaded({ TAILSCALE_ARGS: "--netfilter-mode=nodivert" }))).toEqual({ mode: "nodivert", from: "--netfilter-mode in TAILSCALE_ARGS" });
    expect(findRequestedNetfilterMode(loaded({}))).toBeUndefined();
  });

  it.each([
    ["nft fails", facts(WORKS, FAILS), { kind: "backend", backend: "legacy", ipv6: true }],
    ["legacy missing", facts({ kind: "missing" }, WORKS), { kind: "backend", backend: "nft" }],
    ["both work, legacy has rules", facts({ kind: "works", rules: 3 }, WORKS), { kind: "backend", backend: "legacy" }],
    ["both work, nft has rules", facts(WORKS, { kind: "works", rules: 2 }), { kind: "backend", backend: "nft" }],
    ["both work, no rules", facts(WORKS, WORKS), { kind: "backend", backend: "legacy", reason: "both work; legacy is the default" }],
    ["no ip6tables", facts(WORKS, FAILS, false), { kind: "backend", backend: "legacy", ipv6: false }],
    ["none", facts(FAILS, FAILS), { kind: "none" }],
  ])("%s", (_, input, expected) => {
    expect(chooseFirewall(input)).toMatchObject(expected);
  });

  it.each([
    ["works", facts(WORKS, FAILS), {}, {}, "ok", undefined, "iptables"],
    ["user's TS_DEBUG_FIREWALL_MODE kept", facts(WORKS, FAILS), {}, { TS_DEBUG_FIREWALL_MODE: "nftables" }, "ok", undefined, undefined],
    ["none: off", facts(FAILS, FAILS), {}, {}, "warn", "off", undefined],
    ["none, asked on", facts(FAILS, FAILS), { netfilterMode: "on" as const }, {}, "fail", "on", undefined],
    ["none, asked on in extra args", facts(FAILS, FAILS), { netfilterMode: "on" as const, sources: flagSource }, {}, "fail", "on", undefined],
    ["none, asked nodivert", facts(FAILS, FAILS), { netfilterMode: "nodivert" as const }, {}, "ok", "nodivert", undefined],
  ])("%s", (_, input, config, env, status, netfilterMode, firewallMode) => {
    const plan = planFirewall(input, chooseFirewall(input), { netfilterMode: undefined, sources: settingSource, ...config }, { PATH: "/bin", ...env }, false, "/run/tailscale-supervisor/bin");
    expect([plan.check.status, plan.netfilterMode, plan.env["TS_DEBUG_FIREWALL_MODE"]]).toEqual([status, netfilterMode, firewallMode]);
  });
});

const sysctls = (values: Record<string, string>, readOnly = false) => ({ values: new Map(Object.entries(values)), readOnly });

describe("planSysctlWrites", () => {
  it.each([
    ["nothing needed", { "net.ipv4.ip_forward": "0" }, { ipv4: false, ipv6: false }, []],
    ["IPv4 off → 1", { "net.ipv4.ip_forward": "0" }, { ipv4: true, ipv6: false }, ["net.ipv4.ip_forward=1"]],
    ["already 1: no write", { "net.ipv4.ip_forward": "1" }, { ipv4: true, ipv6: false }, []],
    ["strict rp_filter on one interface → all=2", { "net.ipv4.conf.all.rp_filter": "0", "net.ipv4.conf.eth0.rp_filter": "1" }, { ipv4: true, ipv6: false }, ["net.ipv4.conf.all.rp_filter=2"]],
    ["accept_ra on uplinks, not lo", { "net.ipv6.conf.all.forwarding": "0", "net.ipv6.conf.eth0.accept_ra": "1", "net.ipv6.conf.lo.accept_ra": "1", "net.ipv6.conf.eth0/100.accept_ra": "1" }, { ipv4: false, ipv6: true }, ["net.ipv6.conf.all.forwarding=1", "net.ipv6.conf.eth0.accept_ra=2", "net.ipv6.conf.eth0/100.accept_ra=2"]],
    ["UDP buffers below 7 MiB", { "net.core.rmem_max": "212992", "net.core.wmem_max": "8000000" }, { ipv4: false, ipv6: false }, ["net.core.rmem_max=7340032"]],
  ])("%s", (_, values, needs, expected) => {
    expect(planSysctlWrites(sysctls(values), needs).map((write) => `${write.name}=${write.value}`)).toEqual(expected);
  });

  it.each([
    [["192.168.88.0/24"], [], false, { ipv4: true, ipv6: false }],
    [["fd00::/64"], [], false, { ipv4: false, ipv6: true }],
    [[], ["--advertise-exit-node"], false, { ipv4: true, ipv6: true }],
    [[], ["--advertise-exit-node=false"], false, { ipv4: false, ipv6: false }],
    [["192.168.88.0/24"], [], true, { ipv4: false, ipv6: false }],
  ])("routes %j, args %j, userspace %s → %j", (routes, extraArgs, userspace, needs) => {
    const config = loaded({ TS_ROUTES: routes.join(","), TS_EXTRA_ARGS: extraArgs.join(" ") });
    expect(findForwardingNeeds(config, userspace)).toEqual(needs);
  });

  it.each([
    [false, { ipv4: true, ipv6: true }],
    [true, { ipv4: false, ipv6: false }],
  ])("TS_LAN_MASQUERADE=true (the LAN's traffic into the tailnet), userspace %s → %j", (userspace, needs) => {
    expect(findForwardingNeeds(loaded({ TS_ROUTES: "192.168.88.0/24", TS_LAN_MASQUERADE: "true" }), userspace)).toEqual(needs);
  });
});

describe("ip output", () => {
  const cidr = { family: 4 as const, text: "192.168.88.0/24", prefixLength: 24 };
  const gateway = { family: 4 as const, text: "172.17.0.1" };
  it.each([
    ["192.168.88.0/24 via 172.17.0.1 dev veth0 \n", true],
    ["192.168.88.0/24 via 172.17.0.9 dev veth0 \n", false],
    ["192.168.88.0/24 dev veth0 scope link\n", false],
    ["", false],
  ])("isRouteVia(%j) is %s", (output, expected) => {
    expect(isRouteVia(output, cidr, gateway)).toBe(expected);
  });

  it.each([
    ["172.17.0.1 dev veth0 src 172.17.0.2 uid 0 \n    cache \n", true, { kind: "connected", source: "172.17.0.2" }],
    ["10.99.0.1 via 172.17.0.1 dev veth0 src 172.17.0.2 uid 0\n", true, { kind: "not-connected", detail: "10.99.0.1 via 172.17.0.1 dev veth0 src 172.17.0.2 uid 0" }],
    ["RTNETLINK answers: Network is unreachable", false, { kind: "not-connected", detail: "RTNETLINK answers: Network is unreachable" }],
  ])("parseGatewayReach(%j)", (output, ok, expected) => {
    expect(parseGatewayReach(output, ok)).toEqual(expected);
  });
});

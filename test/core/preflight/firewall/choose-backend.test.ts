// Choosing the iptables backend, and the firewall's part of the plan: the check, TS_DEBUG_FIREWALL_MODE,
// PATH with the links first, and the netfilter mode; a user's explicit choice is never fought.
import { describe, expect, it } from "vitest";
import { chooseFirewall, findRequestedNetfilterMode, planFirewall, summarizeProbes, type FirewallChoice } from "../../../../src/core/preflight/firewall/choose-backend.ts";
import type { BackendProbe, FirewallFacts } from "../../../../src/core/preflight/firewall/probe-backends.ts";
import { configOf } from "../../../fakes/config-of.ts";

const probe = (backend: BackendProbe["backend"], family: 4 | 6, result: BackendProbe["result"]): BackendProbe => ({ backend, family, result });
const facts = (legacy: BackendProbe["result"], nft: BackendProbe["result"], v6 = true): FirewallFacts => ({
  probes: [probe("legacy", 4, legacy), probe("legacy", 6, v6 ? legacy : { kind: "missing" }), probe("nft", 4, nft), probe("nft", 6, v6 ? nft : { kind: "missing" })],
});
const WORKS = { kind: "works", rules: 0 } as const;
const FAILS = { kind: "fails", error: "Could not fetch rule set generation id: Invalid argument", at: "chain" } as const;
const BIN = "/run/tailscale-supervisor/bin";

const settingSource = configOf({ TS_NETFILTER_MODE: "on" }).sources;
const flagSource = configOf({ TS_EXTRA_ARGS: "--netfilter-mode on" }).sources;

describe("findRequestedNetfilterMode", () => {
  it("names where a netfilter mode was asked for: the variable, or the flag in the extra arguments", () => {
    expect(findRequestedNetfilterMode(configOf({ TS_NETFILTER_MODE: "on" }))).toEqual({ mode: "on", from: "TS_NETFILTER_MODE" });
    expect(findRequestedNetfilterMode(configOf({ TAILSCALE_ARGS: "--netfilter-mode=nodivert" }))).toEqual({ mode: "nodivert", from: "--netfilter-mode in TAILSCALE_ARGS" });
    expect(findRequestedNetfilterMode(configOf({}))).toBeUndefined();
  });
});

describe("chooseFirewall", () => {
  it.each([
    ["nft fails", facts(WORKS, FAILS), { kind: "backend", backend: "legacy", ipv6: true, reason: "only legacy works" }],
    ["legacy missing", facts({ kind: "missing" }, WORKS), { kind: "backend", backend: "nft", ipv6: true, reason: "only nft works" }],
    ["both work, legacy has rules", facts({ kind: "works", rules: 3 }, WORKS), { kind: "backend", backend: "legacy", ipv6: true, reason: "both work; legacy already holds this netns's rules" }],
    ["both work, nft has rules", facts(WORKS, { kind: "works", rules: 2 }), { kind: "backend", backend: "nft", ipv6: true, reason: "both work; nft already holds this netns's rules" }],
    ["both work, nft has more rules", facts({ kind: "works", rules: 1 }, { kind: "works", rules: 2 }), { kind: "backend", backend: "nft", ipv6: true, reason: "both work; nft already holds this netns's rules" }],
    ["both work, as many rules", facts({ kind: "works", rules: 2 }, { kind: "works", rules: 2 }), { kind: "backend", backend: "legacy", ipv6: true, reason: "both work; legacy is the default" }],
    ["both work, no rules", facts(WORKS, WORKS), { kind: "backend", backend: "legacy", ipv6: true, reason: "both work; legacy is the default" }],
    ["no ip6tables", facts(WORKS, FAILS, false), { kind: "backend", backend: "legacy", ipv6: false, reason: "only legacy works" }],
    ["none", facts(FAILS, FAILS), { kind: "none" }],
    ["none at all", { probes: [] }, { kind: "none" }],
    ["legacy works, nft not probed (the quick probe)", facts(WORKS, { kind: "not-probed", reason: "legacy works and nft holds no rules in this netns" }), { kind: "backend", backend: "legacy", ipv6: true, reason: "legacy works and nft holds no rules in this netns" }],
  ])("%s", (_, input, expected) => {
    expect(chooseFirewall(input)).toEqual(expected);
  });

  it("judges by IPv4; IPv6 only says whether the chosen backend also works there", () => {
    const v6Only: FirewallFacts = { probes: [probe("legacy", 4, FAILS), probe("legacy", 6, WORKS), probe("nft", 4, WORKS), probe("nft", 6, FAILS)] };
    expect(chooseFirewall(v6Only)).toEqual({ kind: "backend", backend: "nft", ipv6: false, reason: "only nft works" });
    const nftV6: FirewallFacts = { probes: [probe("legacy", 4, WORKS), probe("legacy", 6, FAILS), probe("nft", 6, WORKS)] };
    expect(chooseFirewall(nftV6)).toMatchObject({ backend: "legacy", ipv6: false });
    // Rules counted on IPv6 do not sway the choice.
    const rulesV6: FirewallFacts = { probes: [probe("legacy", 4, WORKS), probe("nft", 4, WORKS), probe("nft", 6, { kind: "works", rules: 9 })] };
    expect(chooseFirewall(rulesV6)).toEqual({ kind: "backend", backend: "legacy", ipv6: false, reason: "both work; legacy is the default" });
  });
});

describe("summarizeProbes", () => {
  it("one line: each backend and family and how it did", () => {
    expect(summarizeProbes({ probes: [probe("legacy", 4, { kind: "works", rules: 3 }), probe("legacy", 6, { kind: "missing" }), probe("nft", 4, FAILS)] })).toBe(
      "legacy v4 works, legacy v6 missing, nft v4 fails (Could not fetch rule set generation id: Invalid argument)",
    );
    expect(summarizeProbes({ probes: [] })).toBe("");
  });
});

describe("planFirewall", () => {
  const plan = (input: FirewallFacts, config: { netfilterMode?: "on" | "nodivert" | "off"; sources?: typeof settingSource }, env: Record<string, string> = {}, userspace = false) =>
    planFirewall(input, chooseFirewall(input), { netfilterMode: undefined, sources: settingSource, ...config }, { PATH: "/bin", ...env }, userspace, BIN);

  it.each([
    ["works", facts(WORKS, FAILS), {}, {}, "ok", undefined, "iptables"],
    ["user's TS_DEBUG_FIREWALL_MODE kept", facts(WORKS, FAILS), {}, { TS_DEBUG_FIREWALL_MODE: "nftables" }, "ok", undefined, undefined],
    ["works, netfilter asked for", facts(WORKS, FAILS), { netfilterMode: "nodivert" as const }, {}, "ok", "nodivert", "iptables"],
    ["none: off", facts(FAILS, FAILS), {}, {}, "warn", "off", undefined],
    ["none, asked on", facts(FAILS, FAILS), { netfilterMode: "on" as const }, {}, "fail", "on", undefined],
    ["none, asked on in extra args", facts(FAILS, FAILS), { netfilterMode: "on" as const, sources: flagSource }, {}, "fail", "on", undefined],
    ["none, asked nodivert", facts(FAILS, FAILS), { netfilterMode: "nodivert" as const }, {}, "ok", "nodivert", undefined],
    ["none, asked off", facts(FAILS, FAILS), { netfilterMode: "off" as const }, {}, "ok", "off", undefined],
  ])("%s", (_, input, config, env, status, netfilterMode, firewallMode) => {
    const planned = plan(input, config, env);
    expect([planned.check.status, planned.netfilterMode, planned.env["TS_DEBUG_FIREWALL_MODE"]]).toEqual([status, netfilterMode, firewallMode]);
  });

  it("a working backend: the links first on PATH, iptables mode, and the check naming backend, reason and probes", () => {
    expect(plan(facts(WORKS, FAILS), {})).toEqual({
      check: { id: "firewall", status: "ok", what: `iptables legacy (only legacy works) [legacy v4 works, legacy v6 works, nft v4 fails (${FAILS.error}), nft v6 fails (${FAILS.error})]` },
      env: { PATH: `${BIN}:/bin`, TS_DEBUG_FIREWALL_MODE: "iptables" },
      netfilterMode: undefined,
    });
  });

  it("without a PATH, the links go in front of the default one", () => {
    const choice: FirewallChoice = { kind: "backend", backend: "nft", ipv6: true, reason: "only nft works" };
    expect(planFirewall({ probes: [] }, choice, { netfilterMode: undefined, sources: settingSource }, {}, false, BIN).env).toEqual({
      PATH: `${BIN}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      TS_DEBUG_FIREWALL_MODE: "iptables",
    });
  });

  it("a backend without IPv6 is a warning", () => {
    const planned = plan(facts(WORKS, FAILS, false), {});
    expect(planned.check).toEqual({ id: "firewall", status: "warn", what: `iptables legacy (only legacy works); ip6tables does not work: IPv6 rules are skipped [legacy v4 works, legacy v6 missing, nft v4 fails (${FAILS.error}), nft v6 missing]` });
  });

  it("no backend: netfilter off, with a warning and how to silence it", () => {
    expect(plan(facts(FAILS, FAILS, false), {})).toEqual({
      check: {
        id: "firewall",
        status: "warn",
        what: `no iptables backend works: tailscaled runs with netfilter off (no firewall rules, no SNAT for subnet routes) [legacy v4 fails (${FAILS.error}), legacy v6 missing, nft v4 fails (${FAILS.error}), nft v6 missing]`,
        fix: "install iptables (legacy works on RouterOS), or set TS_NETFILTER_MODE=off to silence this",
      },
      env: {},
      netfilterMode: "off",
    });
  });

  it("no backend but netfilter on asked for: a failure naming where it was asked", () => {
    const none = { probes: [] };
    expect(plan(none, { netfilterMode: "on", sources: flagSource })).toEqual({
      check: { id: "firewall", status: "fail", what: "no iptables backend works, but --netfilter-mode in TS_EXTRA_ARGS asks for netfilter on []", fix: "install iptables with a backend this kernel supports, or set TS_NETFILTER_MODE=off" },
      env: {},
      netfilterMode: "on",
    });
    expect(plan(none, { netfilterMode: "nodivert" }).check).toEqual({ id: "firewall", status: "ok", what: "no iptables backend works; netfilter nodivert as TS_NETFILTER_MODE asks []" });
  });

  it("no backend in userspace networking: not needed, whatever was asked", () => {
    for (const netfilterMode of [undefined, "on" as const]) {
      const planned = plan({ probes: [] }, netfilterMode === undefined ? {} : { netfilterMode }, {}, true);
      expect(planned).toEqual({ check: { id: "firewall", status: "ok", what: "no iptables backend works; not needed in userspace networking []" }, env: {}, netfilterMode });
    }
  });

  const LEGACY_NO_CHAIN = { kind: "fails", error: "iptables v1.8.11 (legacy): can't initialize iptables table `filter': Table does not exist (do you need to insmod?)", at: "chain" } as const;
  const LEGACY_NO_MARK = { kind: "fails", error: "iptables: Invalid argument. Run `dmesg' for more information.", at: "rule" } as const;

  it("tiny (no iptables-nft) on a kernel without xtables: a failure that says to take standard or to turn netfilter off", () => {
    const planned = plan(facts(LEGACY_NO_CHAIN, { kind: "missing" }), {});
    expect(planned.check).toEqual({
      id: "firewall",
      status: "fail",
      what: `iptables-legacy cannot create a chain here and this image has no iptables-nft: this kernel looks like it has only nf_tables, which the tiny image leaves out (RouterOS kernels have none) [legacy v4 fails (${LEGACY_NO_CHAIN.error}), legacy v6 fails (${LEGACY_NO_CHAIN.error}), nft v4 missing, nft v6 missing]`,
      fix: "use the standard image (it has iptables-nft), or set TS_NETFILTER_MODE=off to run without firewall rules",
    });
    expect(planned.env).toEqual({});
  });

  it.each([
    ["netfilter off asked for", facts(LEGACY_NO_CHAIN, { kind: "missing" }), { netfilterMode: "off" as const }, false, "ok"],
    ["userspace networking", facts(LEGACY_NO_CHAIN, { kind: "missing" }), {}, true, "ok"],
    ["legacy makes chains but refuses MARK (some RouterOS kernels): netfilter off, as before", facts(LEGACY_NO_MARK, { kind: "missing" }), {}, false, "warn"],
    ["nft present but failing too: nothing another image would fix", facts(LEGACY_NO_CHAIN, FAILS), {}, false, "warn"],
    ["legacy's probe did not finish (a time limit says nothing of the kernel)", facts({ kind: "fails", error: "iptables-legacy did not finish within 10s and was ended", at: "unfinished" }, { kind: "missing" }), {}, false, "warn"],
  ])("no such failure when %s", (_, input, config, userspace, status) => {
    expect(plan(input, config, {}, userspace).check.status).toBe(status);
  });
});

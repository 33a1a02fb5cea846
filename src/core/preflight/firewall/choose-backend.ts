// Choosing the iptables backend for tailscaled, and the firewall's part of the plan: the check, TS_DEBUG_FIREWALL_MODE, PATH, netfilter mode.
import type { Config } from "../../config/config.ts";
import { DEFAULT_PATH } from "../../system/path-lookup.ts";
import { createCheck, type PreflightCheck } from "../preflight-check.ts";
import type { BackendProbe, FirewallBackend, FirewallFacts } from "./probe-backends.ts";

/** The backend tailscaled will use, whether it also works for IPv6, and why it was chosen. */
export type FirewallChoice =
  | { readonly kind: "backend"; readonly backend: FirewallBackend; readonly ipv6: boolean; readonly reason: string }
  | { readonly kind: "none" };

/**
 * The IPv4 backend that works; with both working, the one already holding rules in this netns
 * (mixing backends hides rules from each other), else legacy: what RouterOS kernels have (nft fails
 * there), what Tailscale's own image uses, and measured faster here: tailscaled's rules go in and
 * out through `iptables-nft` several times slower (`npm run bench`, README: a graceful stop took
 * 0.31-0.42 s with nft and 0.05-0.08 s with legacy).
 */
export function chooseFirewall(facts: FirewallFacts): FirewallChoice {
  const working = facts.probes.filter((probe) => probe.family === 4 && probe.result.kind === "works");
  const rulesOf = (backend: FirewallBackend): number => {
    const result = working.find((probe) => probe.backend === backend)?.result;
    return result?.kind === "works" ? result.rules : 0;
  };
  const ipv6Works = (backend: FirewallBackend): boolean => facts.probes.some((probe) => probe.family === 6 && probe.backend === backend && probe.result.kind === "works");
  if (working.length === 0) return { kind: "none" };
  if (working.length === 1) {
    const backend = working[0]?.backend ?? "legacy";
    const other = facts.probes.find((probe) => probe.family === 4 && probe.backend !== backend)?.result;
    const reason = other?.kind === "not-probed" ? other.reason : `only ${backend} works`;
    return { kind: "backend", backend, ipv6: ipv6Works(backend), reason };
  }
  const backend: FirewallBackend = rulesOf("nft") > rulesOf("legacy") ? "nft" : "legacy";
  const reason = rulesOf("legacy") === rulesOf("nft") ? "both work; legacy is the default" : `both work; ${backend} already holds this netns's rules`;
  return { kind: "backend", backend, ipv6: ipv6Works(backend), reason };
}

/** A netfilter mode tailscale accepts. */
export type NetfilterMode = "on" | "nodivert" | "off";

/** The firewall's share of the plan: env additions and the netfilter mode to ask `tailscale up` for. */
export interface FirewallPlan {
  readonly check: PreflightCheck;
  readonly env: Readonly<Record<string, string>>;
  readonly netfilterMode: NetfilterMode | undefined;
}

/** What the user asked for: TS_NETFILTER_MODE, or --netfilter-mode in TS_EXTRA_ARGS (resolved into it when loading). */
export function findRequestedNetfilterMode(config: Pick<Config, "netfilterMode" | "sources">): { readonly mode: string; readonly from: string } | undefined {
  if (config.netfilterMode === undefined) return undefined;
  const source = config.sources.netfilterMode;
  return { mode: config.netfilterMode, from: "flag" in source ? `${source.flag} in ${source.variable}` : source.variable };
}

/** One-line summary of the probes: `legacy v4 works, nft v4 fails (Could not fetch ...)`. */
export function summarizeProbes(facts: FirewallFacts): string {
  return facts.probes.map((probe) => `${probe.backend} v${probe.family} ${describeResult(probe.result)}`).join(", ");
}

/**
 * Decides. Never fights an explicit choice: a user's TS_DEBUG_FIREWALL_MODE is left alone, and
 * netfilter on with no working backend is a failure, not a silent "off". `binDir` holds the
 * iptables links (put first on tailscaled's PATH).
 */
export function planFirewall(facts: FirewallFacts, choice: FirewallChoice, config: Pick<Config, "netfilterMode" | "sources">, env: Readonly<Record<string, string>>, userspace: boolean, binDir: string): FirewallPlan {
  const requested = findRequestedNetfilterMode(config);
  const summary = summarizeProbes(facts);
  const fromSetting = config.netfilterMode;
  if (choice.kind === "backend") {
    const additions: Record<string, string> = { PATH: `${binDir}:${env["PATH"] ?? DEFAULT_PATH}` };
    if (env["TS_DEBUG_FIREWALL_MODE"] === undefined) additions["TS_DEBUG_FIREWALL_MODE"] = "iptables";
    const ipv6 = choice.ipv6 ? "" : "; ip6tables does not work: IPv6 rules are skipped";
    const check = createCheck("firewall", choice.ipv6 ? "ok" : "warn", `iptables ${choice.backend} (${choice.reason})${ipv6} [${summary}]`);
    return { check, env: additions, netfilterMode: fromSetting };
  }
  if (userspace) return { check: createCheck("firewall", "ok", `no iptables backend works; not needed in userspace networking [${summary}]`), env: {}, netfilterMode: fromSetting };
  if (requested?.mode === "on") {
    const what = `no iptables backend works, but ${requested.from} asks for netfilter on [${summary}]`;
    return { check: createCheck("firewall", "fail", what, "install iptables with a backend this kernel supports, or set TS_NETFILTER_MODE=off"), env: {}, netfilterMode: fromSetting };
  }
  if (requested !== undefined) return { check: createCheck("firewall", "ok", `no iptables backend works; netfilter ${requested.mode} as ${requested.from} asks [${summary}]`), env: {}, netfilterMode: fromSetting };
  if (isNftOnlyKernelWithoutNft(facts)) {
    const what = `iptables-legacy cannot create a chain here and this image has no iptables-nft: this kernel looks like it has only nf_tables, which the tiny image leaves out (RouterOS kernels have none) [${summary}]`;
    return { check: createCheck("firewall", "fail", what, "use the standard image (it has iptables-nft), or set TS_NETFILTER_MODE=off to run without firewall rules"), env: {}, netfilterMode: fromSetting };
  }
  const what = `no iptables backend works: tailscaled runs with netfilter off (no firewall rules, no SNAT for subnet routes) [${summary}]`;
  return { check: createCheck("firewall", "warn", what, "install iptables (legacy works on RouterOS), or set TS_NETFILTER_MODE=off to silence this"), env: {}, netfilterMode: "off" };
}

/**
 * Legacy fails at its first step (no chain can be made: no xtables in this kernel) and nft is not
 * in the image: the tiny image on a host whose kernel has only nf_tables. Running on with netfilter
 * off would hide a fix that is one image away.
 */
function isNftOnlyKernelWithoutNft(facts: FirewallFacts): boolean {
  const result = (backend: FirewallBackend) => facts.probes.find((probe) => probe.family === 4 && probe.backend === backend)?.result;
  const legacy = result("legacy");
  return legacy?.kind === "fails" && legacy.at === "chain" && result("nft")?.kind === "missing";
}

function describeResult(result: BackendProbe["result"]): string {
  if (result.kind === "works") return "works";
  if (result.kind === "missing") return "missing";
  if (result.kind === "not-probed") return "not probed";
  return `fails (${result.error})`;
}

// The firewall check and its part of the plan: backend, TS_DEBUG_FIREWALL_MODE, PATH, netfilter mode.
import type { Config } from "../config/config.ts";
import type { FirewallChoice } from "./firewall-choice.ts";
import { createCheck, type PreflightCheck } from "./preflight-check.ts";
import type { BackendProbe, FirewallFacts } from "./probe-firewall.ts";
import { DEFAULT_PATH } from "../system/path-lookup.ts";

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
  const what = `no iptables backend works: tailscaled runs with netfilter off (no firewall rules, no SNAT for subnet routes) [${summary}]`;
  return { check: createCheck("firewall", "warn", what, "install iptables (legacy works on RouterOS), or set TS_NETFILTER_MODE=off to silence this"), env: {}, netfilterMode: "off" };
}

function describeResult(result: BackendProbe["result"]): string {
  if (result.kind === "works") return "works";
  if (result.kind === "missing") return "missing";
  return `fails (${result.error})`;
}

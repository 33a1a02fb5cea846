// Preflight: probe, apply the fixes (unless only diagnosing), re-probe, decide, and log the outcome.
import type { Config } from "../config/config.ts";
import type { Host } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import type { CommandRunner } from "../process/command-runner.ts";
import { applyFixes } from "./apply-fixes.ts";
import { evaluatePreflight, type TailscaledPlan } from "./evaluate-preflight.ts";
import { summarizeProbes } from "./firewall/choose-backend.ts";
import type { ProbeDepth } from "./firewall/probe-backends.ts";
import type { PreflightCheck } from "./preflight-check.ts";
import { probeAll, type PreflightFacts } from "./probe-all.ts";
import type { SystemFacts } from "../startup/system-facts.ts";

// The types the supervisor needs of preflight, importable from this one file.
export type { PreflightCheck } from "./preflight-check.ts";
export type { TailscaledPlan } from "./evaluate-preflight.ts";
export type { PreflightFacts } from "./probe-all.ts";

/** Everything preflight found and decided. */
export interface PreflightResult {
  readonly checks: readonly PreflightCheck[];
  readonly plan: TailscaledPlan;
  /** No check failed: tailscaled may be started with `plan`. */
  readonly canRun: boolean;
  /** canRun, and the networking mode asked for (kernel unless TS_USERSPACE=true) without fallback. */
  readonly modeAsked: boolean;
  /** What the fixes changed (empty for `doctor`, and on a second run). */
  readonly changes: readonly string[];
  /** Fixes that were tried and failed, with why. */
  readonly fixErrors: readonly string[];
  readonly facts: PreflightFacts;
}

/** What preflight needs besides the configuration. */
export interface PreflightOptions {
  /** Apply the fixes (the supervisor, `doctor --fix`), or only look (`doctor`). */
  readonly apply: boolean;
  /** The machine, as read (and logged) at start. */
  readonly system: SystemFacts;
  /** Where the iptables links go: the runtime directory's `bin` (runtime-dir.ts). */
  readonly binDir: string;
  /** How much of the firewall to probe (default `all`; the supervisor: `enough` to choose). */
  readonly firewallProbe?: ProbeDepth;
  /** Log the plan as its own line (default); the supervisor puts it on its `tailscaled started` line instead. */
  readonly logPlan?: boolean;
}

/**
 * Runs every probe; with `apply`, fixes what it can (TUN node, sysctls, return routes, iptables
 * links, state dir) and probes again. The supervisor calls this right before starting tailscaled.
 * After a stop request nothing is fixed and nothing logged: the caller stops (`commands.stopping`).
 */
export async function runPreflight(host: Pick<Host, "files" | "env" | "processes">, config: Config, commands: CommandRunner, log: Logger, options: PreflightOptions): Promise<PreflightResult> {
  let facts = await probeAll(host, config, commands, options.system, undefined, options.firewallProbe);
  const applied = options.apply && !commands.stopping ? await applyFixes(host, config, commands, facts, options.binDir) : undefined;
  // Probed again only after a fix that changed something: the iptables links change no fact (a
  // fresh runtime directory gets them at every start), and a fix that failed changed nothing (the
  // UDP buffer sysctls are refused in a container's netns at every start).
  if (applied !== undefined && applied.some((fix) => fix.outcome.ok && fix.id !== "firewall-links") && !commands.stopping) facts = await probeAll(host, config, commands, options.system, facts);
  const evaluation = evaluatePreflight(facts, config, host.env, applied, options.binDir);
  const changes = (applied ?? []).flatMap((fix) => (fix.outcome.ok ? [fix.outcome.change] : []));
  const fixErrors = (applied ?? []).flatMap((fix) => (fix.outcome.ok ? [] : [`${fix.id}: ${fix.outcome.error}`]));
  if (!commands.stopping) logOutcome(log, facts, evaluation.checks, changes);
  if (!commands.stopping && options.logPlan !== false) log.info("tailscaled plan", describePlan(evaluation.plan));
  return { ...evaluation, changes, fixErrors, facts };
}

/** How tailscaled will run, as log fields (the supervisor puts them on its `tailscaled started` line). */
export function describePlan(plan: TailscaledPlan): Record<string, string> {
  return { mode: plan.userspace ? "userspace" : "kernel", netfilter: plan.netfilterMode ?? "default", gomemlimit: plan.env["GOMEMLIMIT"] ?? "unset", firewallMode: plan.env["TS_DEBUG_FIREWALL_MODE"] ?? "unset" };
}

function logOutcome(log: Logger, facts: PreflightFacts, checks: readonly PreflightCheck[], changes: readonly string[]): void {
  const choice = facts.firewallChoice;
  if (choice.kind === "backend") log.info("firewall backend chosen", { backend: choice.backend, ipv6: choice.ipv6, reason: choice.reason, probes: summarizeProbes(facts.firewall) });
  else log.warn("no firewall backend works", { probes: summarizeProbes(facts.firewall) });
  // One line for all of them: the RouterOS log keeps 1,000 lines for the whole router.
  if (changes.length > 0) log.info("host changed", { changes: changes.join("; ") });
  for (const check of checks) {
    const fields = { check: check.id, what: check.what, ...(check.fix === undefined ? {} : { fix: check.fix }) };
    if (check.status === "warn") log.warn("preflight check warns", fields);
    if (check.status === "fail") log.error("preflight check failed", fields);
  }
}

// From facts to checks and the tailscaled plan; pure, so every decision is table-tested.
import type { Config } from "../config/config.ts";
import { checkReturnRoutes } from "./return-routes.ts";
import { checkSysctls, findForwardingNeeds } from "./forwarding.ts";
import { planFirewall, type NetfilterMode } from "./firewall/choose-backend.ts";
import { checkMemory } from "./memory.ts";
import { checkStateDir } from "./state-dir.ts";
import { decideNetworking } from "./networking/networking-mode.ts";
import { createCheck, findFixError, hasNoFailure, type AppliedFix, type PreflightCheck } from "./preflight-check.ts";
import type { PreflightFacts } from "./probe-all.ts";

/** How tailscaled should be started. */
export interface TailscaledPlan {
  /** true: --tun=userspace-networking; false: --tun=tailscale0. */
  readonly userspace: boolean;
  /** Additions to tailscaled's environment: PATH (the iptables link dir first), TS_DEBUG_FIREWALL_MODE, GOMEMLIMIT. */
  readonly env: Readonly<Record<string, string>>;
  /** What `tailscale up` should ask for; undefined: leave it to tailscale (or to TS_EXTRA_ARGS). */
  readonly netfilterMode: NetfilterMode | undefined;
}

/** The checks, the plan, whether tailscaled can be started, and whether the mode asked for can be had. */
export interface Evaluation {
  readonly checks: readonly PreflightCheck[];
  readonly plan: TailscaledPlan;
  readonly canRun: boolean;
  /** No failure, and no fallback from kernel to userspace networking: `doctor` exits 0. */
  readonly modeAsked: boolean;
}

/** Evaluates the facts; `applied` lists the fixes tried (undefined for `doctor` without --fix); `binDir` holds the iptables links. */
export function evaluatePreflight(facts: PreflightFacts, config: Config, env: Readonly<Record<string, string>>, applied: readonly AppliedFix[] | undefined, binDir: string): Evaluation {
  const networking = decideNetworking({
    userspace: config.userspace,
    tun: facts.tun,
    capabilities: facts.capabilities,
    devReadOnly: facts.devReadOnly,
    tunError: findFixError(applied, "tun"),
  });
  const firewall = planFirewall(facts.firewall, facts.firewallChoice, config, env, networking.userspace, binDir);
  const memory = checkMemory(facts.memory, env);
  const checks = [
    ...networking.checks,
    firewall.check,
    ...checkSysctls(facts.sysctls, findForwardingNeeds(config, networking.userspace), applied),
    checkReturnRoutes(facts.returnRoutes, config, applied),
    ...checkStateDir(facts.stateDir, applied),
    memory.check,
  ];
  const linkError = findFixError(applied, "firewall-links");
  if (linkError !== undefined) checks.push(createCheck("firewall-links", "warn", `cannot link iptables to the chosen backend (${linkError}): tailscaled uses the first iptables on PATH`));
  const planEnv = { ...firewall.env, ...(memory.goMemLimit === undefined ? {} : { GOMEMLIMIT: memory.goMemLimit }) };
  const canRun = hasNoFailure(checks);
  return {
    checks,
    plan: { userspace: networking.userspace, env: planEnv, netfilterMode: firewall.netfilterMode },
    canRun,
    modeAsked: canRun && networking.userspace === !networking.kernelWanted,
  };
}

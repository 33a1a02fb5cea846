// Puts the LAN's rules in place each time tailscale reaches Running (so a restarted tailscaled finds
// them again) and removes them when the supervisor stops.
import type { Logger } from "../log/logger.ts";
import type { CommandRunner } from "../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../process/command-timeouts.ts";
import type { IpFamily } from "../preflight/firewall/probe-backends.ts";
import type { LanPlan } from "./lan-plan.ts";
import { ensureMasquerade, hasMasqueradeChain, removeMasquerade } from "./masquerade-chain.ts";
import { syncRouteRules } from "./return-route-rules.ts";
import type { CommandLimits } from "./rule-change.ts";

/** What is in effect after a Running: the masquerade in words (`off`, `on (IPv4, IPv6)`, ...). */
export interface LanState {
  readonly masquerade: string;
}

/** The LAN's rules over the supervisor's life. */
export interface LanRouting {
  /** Kernel TUN mode (in userspace networking the LAN cannot route through the container). */
  readonly kernel: boolean;
  /** At each Running: ensures the rules (`tailnetIps`: the node's addresses; undefined when unknown). */
  onRunning(tailnetIps: readonly string[] | undefined): Promise<LanState>;
  /** At the stop (or a failure exit): removes what the plan puts in place; through a runner that still runs. */
  remove(): Promise<void>;
}

const RUNNING_LIMITS = { iptables: { timeoutMs: COMMAND_TIMEOUTS.iptables.ms, lockWaitS: 5 }, ip: { timeoutMs: COMMAND_TIMEOUTS.ip.ms, lockWaitS: 0 } };
const CLEANUP_LIMITS: CommandLimits = { timeoutMs: COMMAND_TIMEOUTS.lanCleanup.ms, lockWaitS: 2 };
const FAMILIES: readonly IpFamily[] = [4, 6];
const FAMILY_NAME = { 4: "IPv4", 6: "IPv6" } as const;

/** `commands`: the supervisor's runner; `cleanup`: one a stop request does not end (for `remove`). */
export function createLanRouting(plan: LanPlan, commands: CommandRunner, cleanup: CommandRunner, log: Logger): LanRouting {
  // IPv4 always in kernel mode (a rule an earlier run left with other TS_ROUTES goes); IPv6 when it has subnets.
  const ruleFamilies = FAMILIES.filter((family) => plan.kernel && (family === 4 || plan.ruleSubnets[family].length > 0));
  return {
    kernel: plan.kernel,
    async onRunning(tailnetIps) {
      const [masquerade] = await Promise.all([ensureMasqueradeFamilies(plan, commands, tailnetIps, log), ...ruleFamilies.map((family) => syncRules(commands, family, plan.ruleSubnets[family], log))]);
      return { masquerade };
    },
    async remove() {
      const masquerade = plan.masquerade;
      const masqueradeFamilies = masquerade === undefined ? [] : FAMILIES.filter((family) => family === 4 || masquerade.ipv6);
      // Only where the plan put rules (a stale one of an earlier run is removed at the next Running).
      const rulesFamilies = FAMILIES.filter((family) => plan.kernel && plan.ruleSubnets[family].length > 0);
      const [masqueradeRemoved, rules] = await Promise.all([
        Promise.all(masqueradeFamilies.map((family) => removeMasqueradeOf(cleanup, plan, family, log))),
        Promise.all(rulesFamilies.map((family) => syncRouteRules(cleanup, family, [], CLEANUP_LIMITS))),
      ]);
      for (const error of rules.flatMap((sync) => sync.errors)) log.warn("a policy rule of a return route could not be removed", { error });
      const masqueradeGone = masqueradeRemoved.flat();
      const rulesGone = rules.flatMap((sync) => sync.removed);
      if (masqueradeGone.length > 0 || rulesGone.length > 0) log.info("LAN rules removed", { masquerade: masqueradeGone.length > 0 ? masqueradeGone : undefined, policyRules: rulesGone.length > 0 ? rulesGone : undefined });
    },
  };
}

/** Removes one family's chain at the stop; its name when something was removed. */
async function removeMasqueradeOf(cleanup: CommandRunner, plan: LanPlan, family: IpFamily, log: Logger): Promise<string[]> {
  if (plan.masquerade === undefined) return [];
  const removed = await removeMasquerade(cleanup, plan.masquerade.backend, family, CLEANUP_LIMITS);
  if (!removed.ok) log.warn("LAN masquerade could not be removed", { family: FAMILY_NAME[family], error: removed.error });
  return removed.ok && removed.changed ? [FAMILY_NAME[family]] : [];
}

/** The masquerade per family: in place where the node has a tailnet address of that family. */
async function ensureMasqueradeFamilies(plan: LanPlan, commands: CommandRunner, tailnetIps: readonly string[] | undefined, log: Logger): Promise<string> {
  const masquerade = plan.masquerade;
  if (masquerade === undefined) {
    await removeLeftovers(plan, commands, log);
    return "off";
  }
  const known = tailnetIps !== undefined && tailnetIps.length > 0;
  const hasAddress = (family: IpFamily) => !known || tailnetIps.some((ip) => ip.includes(":") === (family === 6));
  const parts = await Promise.all(
    FAMILIES.map(async (family) => {
      if (!hasAddress(family)) return undefined;
      if (family === 6 && !masquerade.ipv6) return "IPv6 skipped: ip6tables does not work";
      const ensured = await ensureMasquerade(commands, masquerade.backend, family, RUNNING_LIMITS.iptables);
      if (ensured.ok) return FAMILY_NAME[family];
      // A stop ends the commands: nothing to warn about then.
      if (!commands.stopping) log.warn("LAN masquerade could not be set", { family: FAMILY_NAME[family], error: ensured.error });
      return `${FAMILY_NAME[family]} failed`;
    }),
  );
  const shown = parts.filter((part) => part !== undefined);
  return `on (${shown.join(", ")}; ${masquerade.backend})`;
}

/** With the masquerade off: a chain an earlier run left (a killed container on a kept netns) goes. */
async function removeLeftovers(plan: LanPlan, commands: CommandRunner, log: Logger): Promise<void> {
  const backend = plan.leftoverBackend;
  if (backend === undefined) return;
  for (const family of FAMILIES) {
    if (!(await hasMasqueradeChain(commands, backend, family, RUNNING_LIMITS.iptables))) continue;
    const removed = await removeMasquerade(commands, backend, family, RUNNING_LIMITS.iptables);
    if (removed.ok) log.info("removed a LAN masquerade an earlier run left (TS_LAN_MASQUERADE is off)", { family: FAMILY_NAME[family] });
    else log.warn("a LAN masquerade an earlier run left could not be removed", { family: FAMILY_NAME[family], error: removed.error });
  }
}

async function syncRules(commands: CommandRunner, family: IpFamily, subnets: readonly string[], log: Logger): Promise<void> {
  const sync = await syncRouteRules(commands, family, subnets, RUNNING_LIMITS.ip);
  if (!commands.stopping) for (const error of sync.errors) log.warn("a policy rule of a return route could not be set", { error, fix: "run doctor; the LAN may be unreachable while an exit node is used" });
}

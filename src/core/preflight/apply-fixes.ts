// Applies what preflight can fix, in order: state dir, TUN node, sysctls, return routes, iptables links.
import type { Config } from "../config/config.ts";
import type { Host } from "../host.ts";
import type { CommandRunner } from "../process/command-runner.ts";
import { findForwardingNeeds } from "./forwarding.ts";
import { linkFirewall, planFirewallLinks } from "./firewall/link-backend.ts";
import { decideNetworking } from "./networking/networking-mode.ts";
import type { AppliedFix } from "./preflight-check.ts";
import type { PreflightFacts } from "./probe-all.ts";
import { writeSysctl } from "./forwarding.ts";
import { createStateDir } from "./state-dir.ts";
import { createTun } from "./networking/tun.ts";
import { planSysctlWrites } from "./forwarding.ts";
import { installReturnRoute } from "./return-routes.ts";

/**
 * Tries each fix the facts call for; what is already right is left untouched (a second run changes
 * nothing). After a stop request nothing more is changed.
 */
export async function applyFixes(host: Pick<Host, "files" | "env">, config: Config, commands: CommandRunner, facts: PreflightFacts, binDir: string): Promise<readonly AppliedFix[]> {
  const applied: AppliedFix[] = [];
  if (facts.stateDir.kind === "missing") applied.push({ id: "state-dir", outcome: createStateDir(host.files, facts.stateDir.path) });
  if (facts.tun.kind === "missing" && config.userspace !== "true") applied.push({ id: "tun", outcome: await createTun(host.files, commands) });
  const networking = decideNetworking({
    userspace: config.userspace,
    tun: facts.tun.kind === "missing" && applied.some((fix) => fix.id === "tun" && fix.outcome.ok) ? { kind: "usable" } : facts.tun,
    capabilities: facts.capabilities,
    devReadOnly: facts.devReadOnly,
    tunError: applied.find((fix) => fix.id === "tun" && !fix.outcome.ok) === undefined ? undefined : "failed",
  });
  if (commands.stopping) return applied;
  for (const write of planSysctlWrites(facts.sysctls, findForwardingNeeds(config, networking.userspace))) {
    applied.push({ id: write.name, outcome: writeSysctl(host.files, write) });
  }
  const routes = facts.returnRoutes;
  if (routes !== undefined && routes.reach.kind === "connected") {
    for (const route of routes.routes.filter((candidate) => !candidate.present)) {
      if (commands.stopping) return applied;
      applied.push({ id: `route ${route.cidr.text}`, outcome: await installReturnRoute(commands, route.cidr, routes.gateway) });
    }
  }
  if (facts.firewallChoice.kind === "backend" && !commands.stopping) {
    const linked = linkFirewall(host.files, planFirewallLinks(host.files, host.env["PATH"], facts.firewallChoice.backend), binDir);
    if (linked !== undefined) applied.push({ id: "firewall-links", outcome: linked });
  }
  return applied;
}

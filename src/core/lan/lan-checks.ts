// `doctor`'s lines about what the LAN gets from this node: the masquerade, the exit node (used or
// offered, with the return routes' policy rules) and MagicDNS with the RouterOS DNS forward.
import { findExitNode } from "../config/exit-node-lan-access.ts";
import type { Config } from "../config/config.ts";
import type { CommandRunner } from "../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../process/command-timeouts.ts";
import { isSuccess } from "../process/exit-status.ts";
import type { PreflightResult } from "../preflight/run-preflight.ts";
import type { IpFamily } from "../preflight/firewall/probe-backends.ts";
import { planLan, type LanPlan } from "./lan-plan.ts";
import { readLanStatus, routerOsDnsForward, MAGIC_DNS_ADDRESS } from "./lan-status.ts";
import { hasMasqueradeChain, MASQUERADE_CHAIN } from "./masquerade-chain.ts";
import { parseRuleSubnets, RULE_PRIORITY } from "./return-route-rules.ts";

/** One doctor line of the LAN section (`fail` only for a TS_LAN_MASQUERADE this container cannot honour). */
export interface LanCheck {
  readonly id: "lan-masquerade" | "exit-node" | "magic-dns";
  readonly status: "ok" | "warn" | "fail";
  readonly what: string;
  readonly fix?: string;
}

const LIMITS = { timeoutMs: COMMAND_TIMEOUTS.iptables.ms, lockWaitS: 5 };

/** Looks (changes nothing): the chain, the policy rules, and the running node's status for MagicDNS. */
export async function checkLan(config: Config, preflight: Pick<PreflightResult, "plan" | "facts">, commands: CommandRunner): Promise<LanCheck[]> {
  const decision = planLan(config, preflight.plan.userspace, preflight.facts.firewallChoice);
  if (decision.kind === "refused") {
    return [{ id: "lan-masquerade", status: "fail", what: `${decision.variable}=${decision.value} ${decision.problem}`, fix: decision.fix }, ...(await checkLanServices(config, undefined, commands))];
  }
  return [await checkMasquerade(decision.plan, commands), ...(await checkLanServices(config, decision.plan, commands))];
}

async function checkMasquerade(plan: LanPlan, commands: CommandRunner): Promise<LanCheck> {
  const masquerade = plan.masquerade;
  if (masquerade === undefined) return { id: "lan-masquerade", status: "ok", what: "off: LAN hosts reach only the peers that accept this router's routes (TS_LAN_MASQUERADE=true makes every peer reachable, as this node)" };
  const families: IpFamily[] = masquerade.ipv6 ? [4, 6] : [4];
  const present = await Promise.all(families.map(async (family) => ((await hasMasqueradeChain(commands, masquerade.backend, family, LIMITS)) ? `IPv${family}` : undefined)));
  const inPlace = present.filter((family) => family !== undefined);
  const where = `chain ${MASQUERADE_CHAIN} in the ${masquerade.backend} nat table`;
  if (inPlace.length === 0) return { id: "lan-masquerade", status: "ok", what: `on: ${where}, not in place now (the supervisor adds it each time tailscale is Running)` };
  return { id: "lan-masquerade", status: "ok", what: `on: ${where} for ${inPlace.join(", ")}${masquerade.ipv6 ? "" : " (ip6tables does not work: IPv4 only)"}` };
}

/** The exit node line and the MagicDNS line (`plan` undefined: the masquerade was refused). */
async function checkLanServices(config: Config, plan: LanPlan | undefined, commands: CommandRunner): Promise<LanCheck[]> {
  return [await checkExitNode(config, plan, commands), await checkMagicDns(config, plan?.kernel ?? false, commands)];
}

async function checkExitNode(config: Config, plan: LanPlan | undefined, commands: CommandRunner): Promise<LanCheck> {
  const exitNode = findExitNode(config.upPreferences);
  if (config.advertiseExitNode) {
    const approve = config.loginServer === undefined ? "approve it in the admin console (Machines > Edit route settings > Use as exit node)" : "approve it: headscale nodes approve-routes --identifier NODE_ID --routes 0.0.0.0/0,::/0";
    return { id: "exit-node", status: "ok", what: `offered (--advertise-exit-node): tailnet clients can send their internet traffic through this router; ${approve}` };
  }
  if (exitNode === undefined) return { id: "exit-node", status: "ok", what: "none used, none offered" };
  const subnets = plan?.ruleSubnets[4] ?? [];
  const listed = subnets.length === 0 ? undefined : await commands.run(["ip", "-4", "rule", "show"], { label: "ip -4 rule show", timeoutMs: COMMAND_TIMEOUTS.ip.ms });
  const present = listed?.ok === true && isSuccess(listed.value.status) ? parseRuleSubnets(listed.value.stdout, 4) : [];
  const missing = subnets.filter((subnet) => !present.includes(subnet));
  const rules = subnets.length === 0 ? "no advertised subnets, so no policy rules" : missing.length === 0 ? `policy rules (priority ${RULE_PRIORITY}) keep ${subnets.join(", ")} reachable` : `policy rules (priority ${RULE_PRIORITY}) not in place now for ${missing.join(", ")} (the supervisor adds them each time tailscale is Running)`;
  const masquerade = config.lanMasquerade ? "LAN hosts routed to this container go out through it (TS_LAN_MASQUERADE)" : "LAN hosts routed to this container are dropped by the exit node unless TS_LAN_MASQUERADE=true";
  return { id: "exit-node", status: "ok", what: `uses exit node ${exitNode} with LAN access; ${rules}; ${masquerade}` };
}

async function checkMagicDns(config: Config, kernel: boolean, commands: CommandRunner): Promise<LanCheck> {
  const status = await commands.run(["tailscale", `--socket=${config.socket}`, "status", "--json", "--peers=false"], { label: "tailscale status", timeoutMs: COMMAND_TIMEOUTS.status.ms, maxOutputBytes: 1024 * 1024 });
  const lan = status.ok && isSuccess(status.value.status) ? readLanStatus(status.value.stdout) : undefined;
  if (lan === undefined) return { id: "magic-dns", status: "ok", what: "not known: tailscaled does not answer here (MagicDNS is read from the running node)" };
  const suffix = lan.magicDnsSuffix;
  if (suffix === undefined) return { id: "magic-dns", status: "ok", what: "off in this tailnet" };
  if (!kernel) return { id: "magic-dns", status: "ok", what: `on (${suffix}); in userspace networking the LAN cannot reach ${MAGIC_DNS_ADDRESS} through this container` };
  return { id: "magic-dns", status: "ok", what: `on: LAN hosts and the router resolve names under ${suffix} at ${MAGIC_DNS_ADDRESS} through this container; RouterOS: ${routerOsDnsForward(suffix)}` };
}

// A policy rule per advertised subnet, `to <subnet> lookup main` at priority 5260, so the LAN stays
// reachable whatever tailscaled puts in its table 52 (with an exit node: a default route).
import type { CommandRunner } from "../process/command-runner.ts";
import { isSuccess } from "../process/exit-status.ts";
import type { IpFamily } from "../preflight/firewall/probe-backends.ts";
import type { CommandLimits } from "./rule-change.ts";

/**
 * Between tailscaled's rules for its own marked packets (5210, 5230, 5250) and its `lookup 52`
 * (5270), which comes before the main table (32766) where the return routes are. tailscaled deletes
 * only its own priorities (wgengine/router/osrouter/router_linux.go delIPRules, v1.102.3), so the
 * rule outlives its restarts (checked with the real daemon: kill -9 and TERM).
 */
export const RULE_PRIORITY = 5260;

/** What syncing the rules did: subnets added and removed, and the errors met. */
export interface RuleSync {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly errors: readonly string[];
}

/**
 * The subnets of our rules in `ip rule show` output (iproute2 and busybox print
 * `5260:<tab>from all to 192.168.88.0/24 lookup main`; a host route without its /32 or /128).
 */
export function parseRuleSubnets(output: string, family: IpFamily): string[] {
  const subnets: string[] = [];
  for (const line of output.split("\n")) {
    const match = /^\s*(\d+):\s+from all to (\S+) lookup main\s*$/.exec(line);
    if (match === null || Number(match[1]) !== RULE_PRIORITY) continue;
    const to = match[2] ?? "";
    subnets.push(to.includes("/") ? to : `${to}/${family === 4 ? 32 : 128}`);
  }
  return subnets;
}

/** Makes our rules of one family exactly `subnets` (canonical CIDR texts): adds the missing, removes the others. */
export async function syncRouteRules(commands: CommandRunner, family: IpFamily, subnets: readonly string[], limits: CommandLimits): Promise<RuleSync> {
  const listed = await runIp(commands, family, ["rule", "show"], limits);
  if (!listed.ok) return { added: [], removed: [], errors: [listed.error] };
  const present = parseRuleSubnets(listed.output, family);
  const added: string[] = [];
  const removed: string[] = [];
  const errors: string[] = [];
  for (const subnet of subnets.filter((wanted) => !present.includes(wanted))) {
    const result = await runIp(commands, family, ["rule", "add", ...ruleWords(subnet)], limits);
    if (result.ok) added.push(subnet);
    else errors.push(result.error);
  }
  for (const subnet of present.filter((found) => !subnets.includes(found))) {
    const result = await runIp(commands, family, ["rule", "del", ...ruleWords(subnet)], limits);
    if (result.ok) removed.push(subnet);
    else errors.push(result.error);
  }
  return { added, removed, errors };
}

function ruleWords(subnet: string): string[] {
  return ["to", subnet, "table", "main", "priority", String(RULE_PRIORITY)];
}

/** Runs `ip -4|-6 ARGS`; ok with stdout, or not ok with the command's words (or why it did not run). */
async function runIp(commands: CommandRunner, family: IpFamily, args: readonly string[], limits: CommandLimits): Promise<{ readonly ok: true; readonly output: string } | { readonly ok: false; readonly error: string }> {
  const argv = ["ip", `-${family}`, ...args];
  const label = argv.join(" ");
  const result = await commands.run(argv, { label, timeoutMs: limits.timeoutMs });
  if (!result.ok) return { ok: false, error: result.error };
  if (isSuccess(result.value.status)) return { ok: true, output: result.value.stdout };
  return { ok: false, error: `${label}: ${result.value.stderr.trim() || "failed"}` };
}

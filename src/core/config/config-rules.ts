// Checks across settings, run once every value parsed: each returns the problems it finds.
import { createIssue, type ConfigIssue } from "./config-issue.ts";
import type { Config } from "./config.ts";
import type { SettingKey } from "./env-schema.ts";

/** Problems (errors) and warnings from the cross-field rules. */
export interface RuleFindings {
  readonly issues: ConfigIssue[];
  readonly warnings: ConfigIssue[];
}

/** A rule, and the settings it reads: it is skipped when one of them was invalid (already reported). */
interface Rule {
  readonly reads: readonly SettingKey[];
  readonly check: (config: Config, findings: RuleFindings) => void;
}

const checkAuthKeyKind: Rule = {
  reads: ["authKey", "extraArgs"],
  check(config, { issues }) {
    const key = config.authKey;
    const variable = config.sources.authKey.variable;
    if (key?.kind === "api-token") {
      issues.push(createIssue(variable, "is an API access token (tskey-api-...), not an auth key", "generate an auth key in the admin console (Settings > Keys) and use that"));
    }
    if (key?.kind === "oauth-secret" && !config.upPreferences.some((preference) => preference.name === "advertise-tags")) {
      issues.push(createIssue(variable, "is an OAuth client secret, which needs tags", "add --advertise-tags=tag:NAME to TS_EXTRA_ARGS"));
    }
  },
};

const checkGateway: Rule = {
  reads: ["containerGateway", "routes"],
  check(config, { warnings }) {
    const gateway = config.containerGateway;
    if (gateway === undefined) return;
    const variable = config.sources.containerGateway.variable;
    if (config.routes === undefined || config.routes.length === 0) {
      warnings.push(createIssue(variable, "has no effect without advertised routes", "set TS_ROUTES, or remove " + variable));
      return;
    }
    const otherFamily = config.routes.filter((route) => route.family !== gateway.family).map((route) => route.text);
    if (otherFamily.length > 0) {
      warnings.push(createIssue(variable, `is IPv${gateway.family}, so no return route is added for ${otherFamily.join(",")}`, "add those return routes from STARTUP_SCRIPT"));
    }
  },
};

/** Why the LAN setting needs kernel mode, for the config rule and the preflight refusal alike. */
export const LAN_MASQUERADE_NEEDS_KERNEL = "userspace networking forwards nothing from the LAN into the tailnet (there is no tailscale0 to masquerade on)";

const checkLanMasquerade: Rule = {
  reads: ["lanMasquerade", "userspace"],
  check(config, { issues }) {
    if (!config.lanMasquerade || config.userspace !== "true") return;
    const fix = `remove ${config.sources.lanMasquerade.variable}, or set ${config.sources.userspace.variable}=auto (or false) and give the container /dev/net/tun and NET_ADMIN`;
    issues.push(createIssue(config.sources.lanMasquerade.variable, `cannot be honoured with ${config.sources.userspace.variable}=true: ${LAN_MASQUERADE_NEEDS_KERNEL}`, fix, "true"));
  },
};

/** The rules, in the order their findings are reported. */
const RULES: readonly Rule[] = [checkAuthKeyKind, checkGateway, checkLanMasquerade];

/** Runs every rule whose settings are valid and collects all findings. */
export function checkConfigRules(config: Config, failed: ReadonlySet<SettingKey>): RuleFindings {
  const findings: RuleFindings = { issues: [], warnings: [] };
  for (const rule of RULES) if (!rule.reads.some((key) => failed.has(key))) rule.check(config, findings);
  return findings;
}

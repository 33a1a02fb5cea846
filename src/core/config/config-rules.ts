// Checks across settings, run once every value parsed: each returns the problems it finds.
import { createIssue, type ConfigIssue } from "./config-issue.ts";
import type { Config } from "./config.ts";
import type { SettingKey } from "./env-schema.ts";
import { findUpFlag, parseUpFlags } from "../tailscale/up-flags.ts";

/** Problems (errors) and warnings from the cross-field rules. */
export interface RuleFindings {
  readonly issues: ConfigIssue[];
  readonly warnings: ConfigIssue[];
}

type Rule = (config: Config, findings: RuleFindings) => void;

const checkAuthKeyKind: Rule = (config, { issues }) => {
  const key = config.authKey;
  const variable = config.sources.authKey.variable;
  if (key?.kind === "api-token") {
    issues.push(createIssue(variable, "is an API access token (tskey-api-...), not an auth key", "generate an auth key in the admin console (Settings > Keys) and use that"));
  }
  if (key?.kind === "oauth-secret" && findUpFlag(config.extraArgs, "advertise-tags") === undefined) {
    issues.push(createIssue(variable, "is an OAuth client secret, which needs tags", "add --advertise-tags=tag:NAME to TS_EXTRA_ARGS"));
  }
};

const checkUpFlags: Rule = (config, { issues }) => {
  const parsed = parseUpFlags(config.extraArgs);
  const variable = config.sources.extraArgs.variable;
  for (const problem of parsed.problems) issues.push(createIssue(variable, problem, "use flags of `tailscale up` only (tailscale up --help), booleans as --flag or --flag=false"));
};

const checkKeyNotInArgs: Rule = (config, { issues }) => {
  for (const flag of ["authkey", "auth-key"]) {
    if (findUpFlag(config.extraArgs, flag) !== undefined) {
      issues.push(createIssue(config.sources.extraArgs.variable, `must not contain --${flag}`, "put the key in TS_AUTHKEY, where it is kept secret and used only when needed"));
    }
  }
};

// Flags of `tailscale up` that a setting already controls; stating both differently is an error.
const FLAGS_OF_SETTINGS: ReadonlyArray<{ flag: string; key: SettingKey; text: (config: Config) => string | undefined }> = [
  { flag: "login-server", key: "loginServer", text: (config) => config.loginServer },
  { flag: "hostname", key: "hostname", text: (config) => config.hostname },
  { flag: "advertise-routes", key: "routes", text: (config) => config.routes?.map((route) => route.text).join(",") },
  { flag: "netfilter-mode", key: "netfilterMode", text: (config) => config.netfilterMode },
  { flag: "accept-dns", key: "acceptDns", text: (config) => String(config.acceptDns) },
];

const checkFlagsAgreeWithSettings: Rule = (config, { issues }) => {
  for (const { flag, key, text } of FLAGS_OF_SETTINGS) {
    const found = findUpFlag(config.extraArgs, flag);
    const source = config.sources[key];
    if (found === undefined || source.state === "unset") continue;
    if (found === text(config)) continue;
    issues.push(createIssue(config.sources.extraArgs.variable, `sets --${flag}, which ${source.variable} also sets`, `keep only ${source.variable}`));
  }
};

const checkGateway: Rule = (config, { warnings }) => {
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
};

/** The rules, in the order their findings are reported. */
const RULES: readonly Rule[] = [checkAuthKeyKind, checkUpFlags, checkKeyNotInArgs, checkFlagsAgreeWithSettings, checkGateway];

/** Runs every rule and collects all findings. */
export function checkConfigRules(config: Config): RuleFindings {
  const findings: RuleFindings = { issues: [], warnings: [] };
  for (const rule of RULES) rule(config, findings);
  return findings;
}

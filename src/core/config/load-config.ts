// Env → validated configuration: read names, parse values, resolve files and flags, check rules; all problems at once.
import type { FilesPort } from "../host.ts";
import { classifyAuthKey, type AuthKeySource } from "./secrets/auth-key.ts";
import { createIssue, type ConfigIssue } from "./config-issue.ts";
import { checkConfigRules } from "./config-rules.ts";
import type { AuthKey, Config } from "./config.ts";
import { collectSecrets, createSecretsRedactor, tidyIssues } from "./secrets/config-secrets.ts";
import { readKeyFile } from "./secrets/key-file.ts";
import { parseSettings, type Settings } from "./parse-settings.ts";
import { readEnv, type RawSetting } from "./read-env.ts";
import { resolveUpFlags } from "./resolve-up-flags.ts";
import type { SettingKey } from "./env-schema.ts";
import { findUnknownVariables } from "./unknown-vars.ts";
import { checkFeatureNeeds, findFeatureNeeds } from "../tailscale/feature-needs.ts";
import { readFeatureSet } from "../tailscale/features.ts";
import { parseTailscaledFlags } from "../tailscale/tailscaled-flags.ts";
import { addExitNodeLanAccess } from "./exit-node-lan-access.ts";

/** The configuration with its warnings, or the problems found (and the warnings). */
export type ConfigLoad =
  | { readonly ok: true; readonly config: Config; readonly warnings: readonly ConfigIssue[]; readonly secrets: readonly string[] }
  | {
      readonly ok: false;
      readonly issues: readonly ConfigIssue[];
      /** How many problems there were; a long list is cut to the first of each variable's. */
      readonly problemCount: number;
      readonly warnings: readonly ConfigIssue[];
      readonly secrets: readonly string[];
    };

/**
 * Loads the configuration from the environment, in time linear in its size. `secrets` lists every
 * secret met on the way (even when loading fails) so the caller can redact them from all output;
 * the problems themselves already have them redacted and long values shortened.
 */
export function loadConfig(env: Readonly<Record<string, string>>, files: FilesPort): ConfigLoad {
  const reading = readEnv(env);
  const secrets = collectSecrets(env);
  const warnings = [...reading.warnings, ...findUnknownVariables(env)];
  const parsed = parseSettings(reading.raw);
  const issues: ConfigIssue[] = [...reading.issues, ...parsed.issues];
  const { failed } = parsed;

  const authKey = failed.has("authKey") ? undefined : resolveAuthKey(parsed.settings.authKey, reading.raw.authKey.variable, files, issues);
  if (authKey !== undefined) secrets.push(authKey.key);
  const flags = failed.has("extraArgs") ? undefined : resolveUpFlags(parsed.settings, reading.raw, failed);
  // Loops, not push(...list): qjs allows at most 65,534 arguments, and 1 MB of input can hold more problems.
  for (const issue of flags?.issues ?? []) issues.push(issue);
  const settings = flags?.settings ?? parsed.settings;
  const exitNode = addExitNodeLanAccess(flags?.preferences ?? [], reading.raw.extraArgs.variable);
  for (const issue of exitNode.issues) issues.push(issue);
  checkScripts(settings, reading.raw, files, issues);

  const { extraArgs: _flagsResolvedAbove, authKey: _source, ...rest } = settings;
  const config: Config = {
    ...rest,
    authKey,
    upPreferences: exitNode.preferences,
    advertiseExitNode: flags?.advertiseExitNode ?? false,
    sources: flags?.sources ?? reading.raw,
  };
  const findings = checkConfigRules(config, failed);
  for (const issue of findings.issues) issues.push(issue);
  for (const issue of checkTailscaledBuild(config, env, files, failed)) issues.push(issue);
  for (const warning of findings.warnings) warnings.push(warning);
  const redactor = createSecretsRedactor(secrets);
  const shownWarnings = tidyIssues(warnings, redactor);
  if (issues.length === 0) return { ok: true, config, warnings: shownWarnings, secrets };
  return { ok: false, issues: tidyIssues(issues, redactor), problemCount: issues.length, warnings: shownWarnings, secrets };
}

/**
 * tailscaled's extra flags as tailscaled reads them, and everything that needs a feature against the
 * features of the tailscaled on PATH (tailscale/feature-needs.ts).
 */
function checkTailscaledBuild(config: Config, env: Readonly<Record<string, string>>, files: FilesPort, failed: ReadonlySet<SettingKey>): ConfigIssue[] {
  const variable = config.sources.tailscaledExtraArgs.variable;
  const tailscaled = failed.has("tailscaledExtraArgs") ? { flags: [], problems: [] } : parseTailscaledFlags(config.tailscaledExtraArgs);
  const issues = tailscaled.problems.map(({ problem, fix }) => createIssue(variable, problem, fix));
  const needs = findFeatureNeeds(config, env, tailscaled.flags);
  return [...issues, ...checkFeatureNeeds(needs, readFeatureSet(files, env["PATH"]))];
}

function resolveAuthKey(source: AuthKeySource | undefined, variable: string, files: FilesPort, issues: ConfigIssue[]): AuthKey | undefined {
  if (source === undefined) return undefined;
  if (source.kind === "inline") return { key: source.key, kind: classifyAuthKey(source.key) };
  const read = readKeyFile(files, source.path);
  if (!read.ok) {
    issues.push(createIssue(variable, read.problem, read.fix, `file:${source.path}`));
    return undefined;
  }
  return { key: read.key, kind: classifyAuthKey(read.key), file: source.path };
}

function checkScripts(settings: Settings, raw: Readonly<Record<SettingKey, RawSetting>>, files: FilesPort, issues: ConfigIssue[]): void {
  for (const key of ["startupScript", "runningScript"] as const) {
    const path = settings[key];
    if (path === undefined) continue;
    const info = files.stat(path);
    if (!info.ok) issues.push(createIssue(raw[key].variable, `cannot use ${path}: ${info.error.message}`, "mount the script into the container or fix the path", path));
    else if (info.value.kind !== "file") issues.push(createIssue(raw[key].variable, `${path} is not a regular file`, "point it at an executable script", path));
  }
}

// Env → validated configuration: read names, parse values, resolve files, check rules; all problems at once.
import type { FilesPort } from "../host.ts";
import { classifyAuthKey, type AuthKeySource } from "./auth-key.ts";
import { createIssue, type ConfigIssue } from "./config-issue.ts";
import { checkConfigRules } from "./config-rules.ts";
import type { AuthKey, Config } from "./config.ts";
import { findUpFlag } from "../tailscale/up-flags.ts";
import { parseSettings, type Settings } from "./parse-settings.ts";
import { readEnv, type RawSetting } from "./read-env.ts";
import type { SettingKey } from "./env-schema.ts";
import { findUnknownVariables } from "./unknown-vars.ts";

/** The configuration with its warnings, or every problem found (and the warnings). */
export type ConfigLoad =
  | { readonly ok: true; readonly config: Config; readonly warnings: readonly ConfigIssue[]; readonly secrets: readonly string[] }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[]; readonly warnings: readonly ConfigIssue[]; readonly secrets: readonly string[] };

/**
 * Loads the configuration from the environment. `secrets` lists every secret value met on the way
 * (even when loading fails) so the caller can redact them from all output.
 */
export function loadConfig(env: Readonly<Record<string, string>>, files: FilesPort): ConfigLoad {
  const reading = readEnv(env);
  const warnings = [...reading.warnings, ...findUnknownVariables(env)];
  const secrets = collectInlineSecrets(reading.raw);
  const parsed = parseSettings(reading.raw);
  if (!parsed.ok) return { ok: false, issues: [...reading.issues, ...parsed.issues], warnings, secrets };

  const issues: ConfigIssue[] = [...reading.issues];
  const authKey = resolveAuthKey(parsed.settings.authKey, reading.raw.authKey.variable, files, issues);
  if (authKey !== undefined) secrets.push(authKey.key);
  const argKey = findUpFlag(parsed.settings.extraArgs, "authkey") ?? findUpFlag(parsed.settings.extraArgs, "auth-key");
  if (argKey !== undefined) secrets.push(argKey);
  checkScripts(parsed.settings, reading.raw, files, issues);

  const config: Config = { ...parsed.settings, authKey, sources: reading.raw };
  const findings = checkConfigRules(config);
  issues.push(...findings.issues);
  warnings.push(...findings.warnings);
  return issues.length > 0 ? { ok: false, issues, warnings, secrets } : { ok: true, config, warnings, secrets };
}

function collectInlineSecrets(raw: Readonly<Record<SettingKey, RawSetting>>): string[] {
  const setting = raw.authKey;
  return setting.state === "set" && !setting.value.trim().startsWith("file:") ? [setting.value.trim()] : [];
}

function resolveAuthKey(source: AuthKeySource | undefined, variable: string, files: FilesPort, issues: ConfigIssue[]): AuthKey | undefined {
  if (source === undefined) return undefined;
  if (source.kind === "inline") return { key: source.key, kind: classifyAuthKey(source.key) };
  const read = files.readText(source.path);
  if (!read.ok) {
    issues.push(createIssue(variable, `cannot read the key file ${source.path}: ${read.error.message}`, "mount the file into the container or fix the path", `file:${source.path}`));
    return undefined;
  }
  const key = read.value.trim();
  if (key === "") {
    issues.push(createIssue(variable, `the key file ${source.path} is empty`, "write the auth key into the file", `file:${source.path}`));
    return undefined;
  }
  return { key, kind: classifyAuthKey(key), file: source.path };
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

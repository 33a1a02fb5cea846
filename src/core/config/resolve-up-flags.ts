// TS_EXTRA_ARGS resolved once, at load: flags a setting stands for become that setting's value, the
// rest become preferences (config-file fields or `tailscale up` arguments), the others are refused.
import { parseUpFlags } from "../tailscale/parse-up-flags.ts";
import { toUpPreference, type GivenFlag, type UpPreference } from "../tailscale/up-flags.ts";
import { clipText } from "../text/clip.ts";
import { createIssue, type ConfigIssue } from "./config-issue.ts";
import type { SettingSource } from "./config.ts";
import { ENV_VARS, SETTING_KEYS, type EnvVarSpec, type SettingKey } from "./env-schema.ts";
import type { Settings } from "./parse-settings.ts";
import type { RawSetting } from "./read-env.ts";

/** The effective settings and sources once the flags are applied, the other flags, and the problems. */
export interface UpFlagsResolution {
  readonly settings: Settings;
  readonly sources: Readonly<Record<SettingKey, SettingSource>>;
  readonly preferences: readonly UpPreference[];
  readonly advertiseExitNode: boolean;
  readonly issues: readonly ConfigIssue[];
}

const MAX_VALUE_SHOWN = 80;
const SETTING_OF_VARIABLE = new Map(SETTING_KEYS.map((key) => [ENV_VARS[key].name, key]));

/**
 * Applies the flags of the extra arguments. A flag whose setting's variable is also set must agree
 * with it (an error naming both otherwise); `failed` are settings whose own value was invalid.
 */
export function resolveUpFlags(settings: Settings, raw: Readonly<Record<SettingKey, RawSetting>>, failed: ReadonlySet<SettingKey>): UpFlagsResolution {
  const variable = raw.extraArgs.variable;
  const parsed = parseUpFlags(settings.extraArgs);
  const issues: ConfigIssue[] = parsed.problems.map(({ problem, fix }) => createIssue(variable, problem, fix));
  const effective: Record<string, unknown> = { ...settings };
  const sources: Record<SettingKey, SettingSource> = { ...raw };
  // By name: given twice, the last one counts, as with tailscale up.
  const preferences = new Map<string, UpPreference>();
  for (const given of parsed.flags) {
    const { flag, value } = given;
    const target = flag.target;
    if (target.kind === "setting") {
      const key = SETTING_OF_VARIABLE.get(target.variable);
      if (key !== undefined && !failed.has(key)) applySettingFlag(key, given, { raw, effective, sources, issues, variable });
    } else if (target.kind === "fixed") {
      if ((value === "true") !== target.value) issues.push(createIssue(variable, `--${flag.name}=${value} cannot be honoured: ${target.why}`, `remove --${flag.name}=${value}`));
    } else if (target.kind === "refused") {
      issues.push(createIssue(variable, `--${flag.name} cannot be honoured: ${target.why}`, target.fix));
    } else {
      const preference = toUpPreference(given);
      if (preference !== undefined) {
        preferences.delete(flag.name);
        preferences.set(flag.name, preference);
      }
    }
  }
  const list = [...preferences.values()];
  return {
    settings: effective as Settings,
    sources,
    preferences: list,
    advertiseExitNode: list.some((preference) => preference.name === "advertise-exit-node" && preference.value === "true"),
    issues,
  };
}

interface Resolving {
  readonly raw: Readonly<Record<SettingKey, RawSetting>>;
  readonly effective: Record<string, unknown>;
  readonly sources: Record<SettingKey, SettingSource>;
  readonly issues: ConfigIssue[];
  readonly variable: string;
}

function applySettingFlag(key: SettingKey, given: GivenFlag, { raw, effective, sources, issues, variable }: Resolving): void {
  const spec: EnvVarSpec<unknown> = ENV_VARS[key];
  const flagName = `--${given.flag.name}`;
  const display = (value: string): string => clipText(spec.display === undefined ? value : spec.display(value), MAX_VALUE_SHOWN);
  const written = `${flagName}=${display(given.value)}`;
  const parsed = spec.parse(given.value, flagName);
  if (!parsed.ok) {
    for (const { problem, fix } of parsed.problems) issues.push(createIssue(variable, `${flagName}: ${problem}`, fix, written));
    return;
  }
  const source = raw[key];
  const setByVariable = source.state === "set" || (source.state === "empty" && spec.emptyIsValue === true);
  if (!setByVariable) {
    effective[key] = parsed.value;
    sources[key] = { state: "set", variable, value: given.value, flag: flagName };
    return;
  }
  if (canonicalText(effective[key]) === canonicalText(parsed.value)) return;
  const own = source.state === "set" ? display(source.value.trim()) : "";
  issues.push(
    createIssue(variable, `${written} disagrees with ${source.variable}=${own}`, `set it in one place: remove ${flagName} from ${variable}, or ${source.variable}`),
  );
}

/** A value as text for comparing: route lists in any order compare equal. */
function canonicalText(value: unknown): string {
  if (Array.isArray(value)) return value.map((item: unknown) => canonicalText(item)).sort().join(",");
  if (typeof value === "object" && value !== null && "text" in value) return String(value.text);
  return String(value);
}

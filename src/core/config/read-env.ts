// Finds each setting's variable among its names: unset, empty and set stay distinct.
import { createIssue, type ConfigIssue } from "./config-issue.ts";
import { ENV_VARS, SETTING_KEYS, type EnvVarSpec, type SettingKey } from "./env-schema.ts";

/** Where a setting's value came from. */
export type RawSetting =
  | { readonly state: "unset"; readonly variable: string }
  | { readonly state: "empty"; readonly variable: string }
  | { readonly state: "set"; readonly variable: string; readonly value: string };

/** Each setting's raw value, plus the conflicts and notes found while choosing among names. */
export interface EnvReading {
  readonly raw: Readonly<Record<SettingKey, RawSetting>>;
  readonly issues: readonly ConfigIssue[];
  readonly warnings: readonly ConfigIssue[];
}

// Two values longer than this together are not shown in a conflict: the names say enough.
const MAX_SHOWN_CONFLICT = 1024;

/** Reads every setting from its name or aliases; two names with different values are an error. */
export function readEnv(env: Readonly<Record<string, string>>): EnvReading {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const raw = {} as Record<SettingKey, RawSetting>;
  for (const key of SETTING_KEYS) {
    const spec: EnvVarSpec<unknown> = ENV_VARS[key];
    const present = [spec.name, ...spec.aliases].filter((name) => env[name] !== undefined).map((name) => ({ name, value: env[name] ?? "" }));
    const nonEmpty = present.filter((entry) => entry.value.trim() !== "");
    // An empty alias beside a set name is a leftover, unless empty means something for this setting.
    const candidates = spec.emptyIsValue === true ? present : nonEmpty.length > 0 ? nonEmpty : present;
    const [first, ...others] = candidates;
    if (first === undefined) {
      raw[key] = { state: "unset", variable: spec.name };
      continue;
    }
    for (const other of others) {
      if (other.value.trim() === first.value.trim()) continue;
      const display = (value: string): string => (spec.display === undefined ? value : spec.display(value));
      const shown = spec.secret === true || first.value.length + other.value.length > MAX_SHOWN_CONFLICT ? undefined : `${first.name}=${display(first.value)} ${other.name}=${display(other.value)}`;
      issues.push(createIssue(other.name, `disagrees with ${first.name}; both set the same thing`, `remove one of ${first.name} and ${other.name}`, shown));
    }
    for (const empty of present.filter((entry) => entry.value.trim() === "" && entry !== first && !candidates.includes(entry))) {
      warnings.push(createIssue(empty.name, `is empty; using ${first.name}`, `remove the empty ${empty.name}`));
    }
    raw[key] = first.value.trim() === "" ? { state: "empty", variable: first.name } : { state: "set", variable: first.name, value: first.value };
  }
  return { raw, issues, warnings };
}

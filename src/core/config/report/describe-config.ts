// The effective configuration as text lines: each setting, its value (secrets redacted) and its source.
import { escapeToAscii } from "../../text/ascii.ts";
import { formatUpPreference } from "../../tailscale/up-flags.ts";
import { describeAuthKey } from "../secrets/auth-key.ts";
import type { Config } from "../config.ts";
import { ENV_VARS, SETTING_KEYS, type EnvVarSpec, type SettingKey } from "../env-schema.ts";

// Values longer than this do not widen the value column (a list of 10,000 routes would pad every row).
const MAX_ALIGNED_WIDTH = 40;

/** One setting as `config` shows it: its value (undefined: none, shown in words) and where it came from. */
export interface DescribedSetting {
  readonly variable: string;
  readonly value: string | undefined;
  /** The value column: the value, or words for its absence (`(none)`, `(Tailscale's service)`). */
  readonly shown: string;
  /** The source column: `default`, `from AUTH_KEY`, `from TAILSCALE_ARGS (--hostname)`. */
  readonly source: string;
  /** The variable the value came from (undefined: the default), and the flag of it when a flag in the extra arguments. */
  readonly from: string | undefined;
  readonly flag: string | undefined;
}

/** Every setting in table order, secrets described, never shown. */
export function describeSettings(config: Config): DescribedSetting[] {
  return SETTING_KEYS.map((key) => {
    const value = showValue(config, key);
    const source = config.sources[key];
    const from = source.state === "set" || (source.state === "empty" && ENV_VARS[key].emptyIsValue === true) ? source.variable : undefined;
    const flag = source.state === "set" && "flag" in source ? source.flag : undefined;
    return { variable: ENV_VARS[key].name, value, shown: value ?? showAbsent(config, key), source: showSource(config, key), from, flag };
  });
}

/** One row per setting: `NAME  value  (from VARIABLE | default)`, columns aligned; printable ASCII only. */
export function describeConfig(config: Config): string[] {
  const rows = describeSettings(config);
  const nameWidth = Math.max(...rows.map((row) => row.variable.length));
  const valueWidth = Math.max(...rows.map((row) => Math.min(row.shown.length, MAX_ALIGNED_WIDTH)));
  return rows.map((row) => `${row.variable.padEnd(nameWidth)}  ${row.shown.padEnd(valueWidth)}  ${row.source}`.trimEnd());
}

function showValue(config: Config, key: SettingKey): string | undefined {
  if (key === "authKey") {
    const authKey = config.authKey;
    if (authKey === undefined) return undefined;
    return authKey.file === undefined ? describeAuthKey(authKey.key) : `${describeAuthKey(authKey.key)} (from file:${showItem(authKey.file)})`;
  }
  if (key === "extraArgs") {
    // What is left once the flags a setting stands for moved to those settings' rows.
    return config.upPreferences.length === 0 ? undefined : config.upPreferences.map((preference) => showItem(showFlag(preference.name, preference.value)) + (preference.addedWith === undefined ? "" : ` (added: ${preference.addedWith})`)).join(" ");
  }
  const value: unknown = config[key];
  if (value === undefined) return undefined;
  const spec: EnvVarSpec<unknown> = ENV_VARS[key];
  if (spec.show !== undefined) return spec.show(value);
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((item: unknown) => showItem(item)).join(key === "routes" ? "," : " ");
  return showItem(value);
}

/** Words for a setting without a value: an empty list, or the default's description. */
function showAbsent(config: Config, key: SettingKey): string {
  return key === "extraArgs" || Array.isArray(config[key]) ? "(none)" : `(${ENV_VARS[key].defaultText})`;
}

/** A boolean flag that is on reads as the bare flag, as users write it. */
function showFlag(name: string, value: string): string {
  return value === "true" ? `--${name}` : formatUpPreference({ name, value, configField: undefined });
}

/** Quoted and escaped unless it is plain printable ASCII without spaces. */
function showItem(item: unknown): string {
  const text = typeof item === "object" && item !== null && "text" in item ? String(item.text) : String(item);
  return /^[\x21-\x7e]+$/.test(text) && !text.includes('"') ? text : escapeToAscii(JSON.stringify(text));
}

function showSource(config: Config, key: SettingKey): string {
  const source = config.sources[key];
  if (source.state === "unset") return "default";
  if (source.state === "empty") return ENV_VARS[key].emptyIsValue === true ? `from ${source.variable} (empty)` : `default (${source.variable} is empty)`;
  return "flag" in source ? `from ${source.variable} (${source.flag})` : `from ${source.variable}`;
}

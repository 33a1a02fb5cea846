// The effective configuration as text lines: each setting, its value (secrets redacted) and its source.
import { escapeToAscii } from "../../text/ascii.ts";
import { formatUpPreference } from "../../tailscale/up-flags.ts";
import { describeAuthKey } from "../secrets/auth-key.ts";
import type { Config } from "../config.ts";
import { ENV_VARS, SETTING_KEYS, type EnvVarSpec, type SettingKey } from "../env-schema.ts";

// Values longer than this do not widen the value column (a list of 10,000 routes would pad every row).
const MAX_ALIGNED_WIDTH = 40;

/** One row per setting: `NAME  value  (from VARIABLE | default)`, columns aligned; printable ASCII only. */
export function describeConfig(config: Config): string[] {
  const rows = SETTING_KEYS.map((key) => [ENV_VARS[key].name, showValue(config, key), showSource(config, key)] as const);
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const valueWidth = Math.max(...rows.map(([, value]) => Math.min(value.length, MAX_ALIGNED_WIDTH)));
  return rows.map(([name, value, source]) => `${name.padEnd(nameWidth)}  ${value.padEnd(valueWidth)}  ${source}`.trimEnd());
}

function showValue(config: Config, key: SettingKey): string {
  if (key === "authKey") {
    const authKey = config.authKey;
    if (authKey === undefined) return `(${ENV_VARS.authKey.defaultText})`;
    return authKey.file === undefined ? describeAuthKey(authKey.key) : `${describeAuthKey(authKey.key)} (from file:${showItem(authKey.file)})`;
  }
  if (key === "extraArgs") {
    // What is left once the flags a setting stands for moved to those settings' rows.
    return config.upPreferences.length === 0 ? "(none)" : config.upPreferences.map((preference) => showItem(showFlag(preference.name, preference.value)) + (preference.addedWith === undefined ? "" : ` (added: ${preference.addedWith})`)).join(" ");
  }
  const value: unknown = config[key];
  if (value === undefined) return `(${ENV_VARS[key].defaultText})`;
  const spec: EnvVarSpec<unknown> = ENV_VARS[key];
  if (spec.show !== undefined) return spec.show(value);
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map((item: unknown) => showItem(item)).join(key === "routes" ? "," : " ");
  return showItem(value);
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

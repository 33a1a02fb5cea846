// The effective configuration as text lines: each setting, its value (secrets redacted) and its source.
import { describeAuthKey } from "./auth-key.ts";
import type { Config } from "./config.ts";
import { ENV_VARS, SETTING_KEYS, type EnvVarSpec, type SettingKey } from "./env-schema.ts";

/** One row per setting: `NAME  value  (from VARIABLE | default)`, columns aligned. */
export function describeConfig(config: Config): string[] {
  const rows = SETTING_KEYS.map((key) => [ENV_VARS[key].name, showValue(config, key), showSource(config, key)] as const);
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  return rows.map(([name, value, source]) => `${name.padEnd(nameWidth)}  ${value.padEnd(valueWidth)}  ${source}`.trimEnd());
}

function showValue(config: Config, key: SettingKey): string {
  if (key === "authKey") {
    const authKey = config.authKey;
    if (authKey === undefined) return `(${ENV_VARS.authKey.defaultText})`;
    return authKey.file === undefined ? describeAuthKey(authKey.key) : `${describeAuthKey(authKey.key)} (from file:${authKey.file})`;
  }
  const value: unknown = config[key];
  if (value === undefined) return `(${ENV_VARS[key].defaultText})`;
  const spec: EnvVarSpec<unknown> = ENV_VARS[key];
  if (spec.show !== undefined) return spec.show(value);
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map((item: unknown) => showItem(item)).join(key === "routes" ? "," : " ");
  return showItem(value);
}

function showItem(item: unknown): string {
  if (typeof item === "object" && item !== null && "text" in item) return String(item.text);
  const text = String(item);
  return text === "" || /\s/.test(text) ? JSON.stringify(text) : text;
}

function showSource(config: Config, key: SettingKey): string {
  const source = config.sources[key];
  if (source.state === "unset") return "default";
  if (source.state === "empty") return ENV_VARS[key].emptyIsValue === true ? `from ${source.variable} (empty)` : `default (${source.variable} is empty)`;
  return `from ${source.variable}`;
}

// `config --json`: the effective configuration as one JSON document, secrets described, never shown.
import type { ConfigLoad } from "../load-config.ts";
import { describeSettings } from "./describe-config.ts";

/** One setting: its value as `config` shows it (null: none), the variable it came from (null: the default). */
export interface SettingJson {
  readonly value: string | null;
  readonly from: string | null;
  readonly flag?: string;
}

/**
 * `{ok: true, settings: {TS_AUTHKEY: {value, from}, ...}, warnings}` in table order, or, for an invalid
 * configuration, `{ok: false, problems, warnings}` (each with variable, value, problem, fix), as
 * `doctor --json` gives them under `config`.
 */
export function toConfigJson(load: ConfigLoad): Record<string, unknown> {
  if (!load.ok) return { ok: false, problems: load.issues, warnings: load.warnings };
  const settings: Record<string, SettingJson> = {};
  for (const setting of describeSettings(load.config)) {
    settings[setting.variable] = { value: setting.value ?? null, from: setting.from ?? null, ...(setting.flag === undefined ? {} : { flag: setting.flag }) };
  }
  return { ok: true, settings, warnings: load.warnings };
}

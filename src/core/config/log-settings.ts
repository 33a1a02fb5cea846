// Logging settings, read before the rest so that even configuration errors are logged as asked.
import type { LogFormat, LogLevel } from "../log/format-line.ts";
import { ENV_VARS } from "./env-schema.ts";
import { readEnv } from "./read-env.ts";

/** Format and level; an invalid value falls back to the default here and is reported by loadConfig. */
export function readLogSettings(env: Readonly<Record<string, string>>): { readonly format: LogFormat; readonly level: LogLevel } {
  const { raw } = readEnv(env);
  const format = raw.logFormat.state === "set" ? ENV_VARS.logFormat.parse(raw.logFormat.value, raw.logFormat.variable) : undefined;
  const level = raw.logLevel.state === "set" ? ENV_VARS.logLevel.parse(raw.logLevel.value, raw.logLevel.variable) : undefined;
  return {
    format: format?.ok === true ? format.value : ENV_VARS.logFormat.defaultValue,
    level: level?.ok === true ? level.value : ENV_VARS.logLevel.defaultValue,
  };
}

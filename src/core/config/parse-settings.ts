// Runs every raw value through its parser (a zod schema per setting), so all problems come at once.
import * as z from "zod/mini";
import { createIssue, type ConfigIssue } from "./config-issue.ts";
import { ENV_VARS, SETTING_KEYS, type EnvVarSpec, type SettingKey, type SettingValue } from "./env-schema.ts";
import type { RawSetting } from "./read-env.ts";

/** Every setting with its value: parsed, or its default. */
export type Settings = { readonly [K in SettingKey]: SettingValue<K> };

/** The settings (a failed one holds its default), which ones failed, and every problem found. */
export interface SettingsParse {
  readonly settings: Settings;
  readonly failed: ReadonlySet<SettingKey>;
  readonly issues: readonly ConfigIssue[];
}

/**
 * The longest value a process can be given in its environment (Linux: MAX_ARG_STRLEN, 32 pages of
 * 4 KiB, name included). Anything longer did not come from a container's environment.
 */
export const MAX_VALUE_LENGTH = 128 * 1024;

/** Parses all settings; defaults fill what is unset (or empty, unless empty is a value). */
export function parseSettings(raw: Readonly<Record<SettingKey, RawSetting>>): SettingsParse {
  const settings: Record<string, unknown> = {};
  const failed = new Set<SettingKey>();
  const issues: ConfigIssue[] = [];
  for (const key of SETTING_KEYS) {
    const setting = raw[key];
    const spec: EnvVarSpec<unknown> = ENV_VARS[key];
    if (setting.state === "set" && setting.value.length > MAX_VALUE_LENGTH) {
      settings[key] = spec.defaultValue;
      failed.add(key);
      issues.push(createIssue(setting.variable, `is ${setting.value.length} characters long, more than an environment variable can hold (${MAX_VALUE_LENGTH})`, `shorten ${setting.variable}`));
      continue;
    }
    const input = setting.state === "set" ? setting.value : setting.state === "empty" && spec.emptyIsValue === true ? "" : undefined;
    const result = z._default(z.optional(toZod(spec, setting.variable)), spec.defaultValue).safeParse(input);
    if (result.success) {
      settings[key] = result.data;
      continue;
    }
    settings[key] = spec.defaultValue;
    failed.add(key);
    for (const issue of result.error.issues) issues.push(toConfigIssue(issue, spec, setting));
  }
  return { settings: settings as Settings, failed, issues };
}

function toZod(spec: EnvVarSpec<unknown>, variable: string): z.ZodMiniType {
  return z.pipe(
    z.string(),
    z.transform((value: string, context) => {
      const parsed = spec.parse(value, variable);
      if (parsed.ok) return parsed.value;
      for (const { problem, fix } of parsed.problems) {
        context.issues.push({ code: "custom", message: problem, params: { fix }, input: value });
      }
      return z.NEVER;
    }),
  );
}

function toConfigIssue(issue: z.core.$ZodIssue, spec: EnvVarSpec<unknown>, setting: RawSetting): ConfigIssue {
  const value = setting.state === "set" ? (spec.display === undefined ? setting.value : spec.display(setting.value)) : undefined;
  const fix = issue.code === "custom" && typeof issue.params?.["fix"] === "string" ? issue.params["fix"] : `see ${spec.name} in the README`;
  return createIssue(setting.variable, issue.message, fix, value);
}

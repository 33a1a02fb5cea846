// Runs every raw value through its parser in one zod object schema, so all problems come at once.
import * as z from "zod/mini";
import { describeAuthKey } from "./auth-key.ts";
import { createIssue, type ConfigIssue } from "./config-issue.ts";
import { ENV_VARS, SETTING_KEYS, type EnvVarSpec, type SettingKey, type SettingValue } from "./env-schema.ts";
import type { RawSetting } from "./read-env.ts";

/** Every setting with its value: parsed, or its default. */
export type Settings = { readonly [K in SettingKey]: SettingValue<K> };

/** The typed settings, or every problem found. */
export type SettingsParse = { readonly ok: true; readonly settings: Settings } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/** Parses all settings; defaults fill what is unset (or empty, unless empty is a value). */
export function parseSettings(raw: Readonly<Record<SettingKey, RawSetting>>): SettingsParse {
  const shape: Record<string, z.ZodMiniType> = {};
  const input: Record<string, string> = {};
  for (const key of SETTING_KEYS) {
    const setting = raw[key];
    const spec: EnvVarSpec<unknown> = ENV_VARS[key];
    shape[key] = z._default(z.optional(toZod(spec, setting.variable)), spec.defaultValue);
    if (setting.state === "set") input[key] = setting.value;
    if (setting.state === "empty" && spec.emptyIsValue === true) input[key] = "";
  }
  const result = z.object(shape).safeParse(input);
  if (result.success) return { ok: true, settings: result.data as Settings };
  return { ok: false, issues: result.error.issues.map((issue) => toConfigIssue(issue, raw)) };
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

function toConfigIssue(issue: z.core.$ZodIssue, raw: Readonly<Record<SettingKey, RawSetting>>): ConfigIssue {
  const key = String(issue.path[0]) as SettingKey;
  const setting = raw[key];
  const spec: EnvVarSpec<unknown> = ENV_VARS[key];
  const value = setting.state === "set" ? ("secret" in spec ? describeAuthKey(setting.value) : setting.value) : undefined;
  const fix = issue.code === "custom" && typeof issue.params?.["fix"] === "string" ? issue.params["fix"] : `see ${spec.name} in the README`;
  return createIssue(setting.variable, issue.message, fix, value);
}

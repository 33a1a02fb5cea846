// `config` prints each duration as the README writes it (the env table's default column).
import { describe, expect, it } from "vitest";
import { ENV_VARS } from "../../../../src/core/config/env-schema.ts";
import { loadConfig } from "../../../../src/core/config/load-config.ts";
import { describeConfig } from "../../../../src/core/config/report/describe-config.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

function rowOf(env: Record<string, string>, name: string): string {
  const load = loadConfig(env, createFakeHost({ env }).files);
  if (!load.ok) throw new Error(JSON.stringify(load.issues));
  return describeConfig(load.config).find((row) => row.startsWith(`${name} `)) ?? "";
}

describe("durations in config", () => {
  it.each(["scriptTimeout", "bootTimeout", "stopGrace"] as const)("the default of %s reads as the README's default column", (key) => {
    const spec = ENV_VARS[key];
    expect(rowOf({}, spec.name)).toMatch(new RegExp(`^${spec.name} +${spec.defaultText} +default$`));
  });

  it.each([
    ["TS_SCRIPT_TIMEOUT", "300", "5m"],
    ["TS_SCRIPT_TIMEOUT", "90", "1m30s"],
    ["TS_BOOT_TIMEOUT", "3600", "1h"],
    ["TS_BOOT_TIMEOUT", "60m", "1h"],
    ["TS_STOP_GRACE", "0.5", "0.5s"],
  ])("%s=%s is shown as %s", (name, value, shown) => {
    expect(rowOf({ [name]: value }, name)).toMatch(new RegExp(`^${name} +${shown} +from ${name}$`));
  });
});

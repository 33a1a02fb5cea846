// Logging settings read before the rest: an invalid value falls back to the default (loadConfig reports it).
import { describe, expect, it } from "vitest";
import { readLogSettings } from "../../../src/core/config/log-settings.ts";

describe("readLogSettings", () => {
  it.each([
    [{}, { format: "plain", level: "info" }],
    [{ LOG_FORMAT: "JSON", LOG_LEVEL: "debug" }, { format: "json", level: "debug" }],
    [{ LOG_FORMAT: "pretty", LOG_LEVEL: "trace" }, { format: "plain", level: "info" }],
    [{ LOG_FORMAT: "", LOG_LEVEL: " warn " }, { format: "plain", level: "warn" }],
    [{ LOG_LEVEL: "fatal" }, { format: "plain", level: "info" }],
  ])("%j → %j", (env, settings) => {
    expect(readLogSettings(env)).toEqual(settings);
  });
});

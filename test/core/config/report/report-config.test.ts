// What loading the configuration found, logged: warnings, then every problem, then one summary line.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../../src/core/config/load-config.ts";
import { reportConfigLoad } from "../../../../src/core/config/report/report-config.ts";
import { createCapturedLog } from "../../../fakes/captured-log.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const report = (env: Record<string, string>) => {
  const { log, entries } = createCapturedLog("config");
  reportConfigLoad(log, loadConfig(env, createFakeHost().files));
  return entries;
};

describe("reportConfigLoad", () => {
  it("a valid configuration: its warnings only", () => {
    expect(report({})).toEqual([]);
    expect(report({ TS_ROUTESS: "x" })).toEqual([
      { level: "warn", component: "config", msg: "configuration warning", fields: { variable: "TS_ROUTESS", value: undefined, problem: "is not a known variable and is ignored", fix: "did you mean TS_ROUTES?" } },
    ]);
  });

  it("an invalid one: warnings, each problem, and the count", () => {
    expect(report({ TS_ROUTESS: "x", TS_PORT: "x", TS_USERSPACE: "maybe" })).toEqual([
      { level: "warn", component: "config", msg: "configuration warning", fields: { variable: "TS_ROUTESS", value: undefined, problem: "is not a known variable and is ignored", fix: "did you mean TS_ROUTES?" } },
      { level: "error", component: "config", msg: "invalid setting", fields: { variable: "TS_USERSPACE", value: "maybe", problem: "is not true, false or auto", fix: "set TS_USERSPACE to true, false or auto" } },
      { level: "error", component: "config", msg: "invalid setting", fields: { variable: "TS_PORT", value: "x", problem: "is not a port number", fix: "set TS_PORT to a number from 0 to 65535 (41641 is Tailscale's usual port)" } },
      { level: "error", component: "config", msg: "configuration invalid, nothing started", fields: { problems: 2 } },
    ]);
  });
});

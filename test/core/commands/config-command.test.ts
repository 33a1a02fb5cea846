// `config`: the effective configuration on stdout; an invalid one exits 78 and prints nothing.
import { describe, expect, it } from "vitest";
import { runConfigCommand } from "../../../src/core/commands/config-command.ts";
import { loadConfig } from "../../../src/core/config/load-config.ts";
import { describeConfig } from "../../../src/core/config/report/describe-config.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

describe("runConfigCommand", () => {
  it("prints the rows, one line each, and exits 0", () => {
    const load = loadConfig({ TS_HOSTNAME: "r1" }, createFakeHost().files);
    let out = "";
    expect(runConfigCommand(load, (text) => (out += text), { json: false })).toEqual({ exitCode: 0 });
    if (!load.ok) throw new Error("valid");
    expect(out).toBe(`${describeConfig(load.config).join("\n")}\n`);
    expect(out).toContain("TS_HOSTNAME");
  });

  it("an invalid configuration (reported already) exits 78 and prints nothing", () => {
    let out = "";
    expect(runConfigCommand(loadConfig({ TS_PORT: "x" }, createFakeHost().files), (text) => (out += text), { json: false })).toEqual({ exitCode: 78 });
    expect(out).toBe("");
  });
});

// The flags of `tailscale up` and how each takes effect: config-file field, setting, CLI only, fixed or refused.
import { describe, expect, it } from "vitest";
import { findUpFlag, formatUpPreference, toUpPreference, UP_FLAGS } from "../../../src/core/tailscale/up-flags.ts";

const given = (name: string, value: string) => {
  const flag = findUpFlag(name);
  if (flag === undefined) throw new Error(`no flag ${name}`);
  return { flag, value };
};

describe("findUpFlag", () => {
  it("finds flags by their exact name only (Go's flags are case-sensitive)", () => {
    expect(findUpFlag("hostname")).toMatchObject({ name: "hostname", kind: "string", target: { kind: "setting", variable: "TS_HOSTNAME" } });
    expect(findUpFlag("Hostname")).toBeUndefined();
    expect(new Set(UP_FLAGS.map((flag) => flag.name)).size).toBe(UP_FLAGS.length);
  });

  it("marks the flags that carry secrets", () => {
    expect(UP_FLAGS.filter((flag) => flag.secret === true).map((flag) => flag.name).sort()).toEqual(["auth-key", "authkey", "client-secret", "id-token"]);
  });
});

describe("toUpPreference", () => {
  it.each([
    ["accept-routes", "true", { name: "acceptRoutes", value: true }],
    ["accept-routes", "false", { name: "acceptRoutes", value: false }],
    ["snat-subnet-routes", "false", { name: "DisableSNAT", value: true }],
    ["stateful-filtering", "true", { name: "NoStatefulFiltering", value: false }],
    ["advertise-connector", "true", { name: "AppConnector", value: { Advertise: true } }],
    ["operator", "admin", { name: "OperatorUser", value: "admin" }],
    ["exit-node", "100.64.0.9", { name: "exitNode", value: "100.64.0.9" }],
    ["exit-node", "fd7a:115c:a1e0::9", { name: "exitNode", value: "fd7a:115c:a1e0::9" }],
    ["exit-node", "", { name: "exitNode", value: "" }],
  ])("--%s=%s → config field %j", (name, value, configField) => {
    expect(toUpPreference(given(name, value))).toEqual({ name, value, configField });
  });

  it("an exit node by name, and the CLI-only flags, go to tailscale up, saying why", () => {
    expect(toUpPreference(given("exit-node", "my-exit"))).toEqual({ name: "exit-node", value: "my-exit", configField: undefined, cliOnlyReason: "--exit-node=my-exit: the config file takes an exit node only as an IP address" });
    expect(toUpPreference(given("exit-node", "x".repeat(50)))?.cliOnlyReason).toBe(`--exit-node=${"x".repeat(40)}...(50 characters): the config file takes an exit node only as an IP address`);
    expect(toUpPreference(given("advertise-tags", "tag:a"))).toEqual({ name: "advertise-tags", value: "tag:a", configField: undefined, cliOnlyReason: "--advertise-tags has no config-file equivalent" });
  });

  it.each([["hostname"], ["reset"], ["timeout"], ["authkey"]])("--%s is no preference (a setting, fixed or refused)", (name) => {
    expect(toUpPreference(given(name, "true"))).toBeUndefined();
  });

  it("formats a preference as tailscale up takes it", () => {
    expect(formatUpPreference({ name: "ssh", value: "true", configField: undefined })).toBe("--ssh=true");
  });
});

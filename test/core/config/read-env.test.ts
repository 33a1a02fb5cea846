// Each setting's variable found among its names: unset, empty and set stay distinct; two names with
// different values are an error; an empty alias beside a set name is a warning.
import { describe, expect, it } from "vitest";
import { readEnv } from "../../../src/core/config/read-env.ts";

describe("readEnv", () => {
  it("unset, empty and set stay distinct; the value is kept as written", () => {
    const { raw, issues, warnings } = readEnv({ TS_HOSTNAME: " r1 ", TS_ROUTES: "", TS_PORT: "  " });
    expect(raw.hostname).toEqual({ state: "set", variable: "TS_HOSTNAME", value: " r1 " });
    expect(raw.routes).toEqual({ state: "empty", variable: "TS_ROUTES" });
    expect(raw.port).toEqual({ state: "empty", variable: "TS_PORT" });
    expect(raw.authKey).toEqual({ state: "unset", variable: "TS_AUTHKEY" });
    expect([issues, warnings]).toEqual([[], []]);
  });

  it.each([
    [{ AUTH_KEY: "k" }, { state: "set", variable: "AUTH_KEY", value: "k" }],
    [{ TS_AUTH_KEY: "k", AUTH_KEY: "k" }, { state: "set", variable: "TS_AUTH_KEY", value: "k" }],
    [{ TS_AUTHKEY: "k", AUTH_KEY: " k " }, { state: "set", variable: "TS_AUTHKEY", value: "k" }],
    [{ AUTH_KEY: "" }, { state: "empty", variable: "AUTH_KEY" }],
  ])("%j: the name first in the schema wins → %j", (env, setting) => {
    const reading = readEnv(env);
    expect(reading.raw.authKey).toEqual(setting);
    expect(reading.issues).toEqual([]);
  });

  it("two names with different values: an error on the other name, naming both, showing both", () => {
    expect(readEnv({ TS_ROUTES: "10.0.0.0/8", ADVERTISE_ROUTES: "10.1.0.0/16" }).issues).toEqual([
      { variable: "ADVERTISE_ROUTES", value: "TS_ROUTES=10.0.0.0/8 ADVERTISE_ROUTES=10.1.0.0/16", problem: "disagrees with TS_ROUTES; both set the same thing", fix: "remove one of TS_ROUTES and ADVERTISE_ROUTES" },
    ]);
  });

  it("a conflict shows values as the setting displays them, never a secret's, never long ones", () => {
    expect(readEnv({ TS_LOGIN_SERVER: "https://a", LOGIN_SERVER: "https://u:SEKRIT@b" }).issues[0]?.value).toBe("TS_LOGIN_SERVER=https://a LOGIN_SERVER=https://[REDACTED]@b");
    expect(readEnv({ TS_AUTHKEY: "k1", TS_AUTH_KEY: "k2", AUTH_KEY: "k3" }).issues).toEqual([
      { variable: "TS_AUTH_KEY", problem: "disagrees with TS_AUTHKEY; both set the same thing", fix: "remove one of TS_AUTHKEY and TS_AUTH_KEY" },
      { variable: "AUTH_KEY", problem: "disagrees with TS_AUTHKEY; both set the same thing", fix: "remove one of TS_AUTHKEY and AUTH_KEY" },
    ]);
    expect(readEnv({ TS_HOSTNAME: "a".repeat(600), TS_EXTRA_ARGS: "" }).issues).toEqual([]);
    const long = readEnv({ TS_EXTRA_ARGS: `--x=${"a".repeat(600)}`, TAILSCALE_ARGS: `--y=${"b".repeat(600)}` }).issues[0];
    expect(long).toEqual({ variable: "TAILSCALE_ARGS", problem: "disagrees with TS_EXTRA_ARGS; both set the same thing", fix: "remove one of TS_EXTRA_ARGS and TAILSCALE_ARGS" });
    expect(readEnv({ TS_EXTRA_ARGS: `--x=${"a".repeat(500)}`, TAILSCALE_ARGS: `--y=${"b".repeat(500)}` }).issues[0]).toHaveProperty("value");
  });

  it("an empty alias beside a set name is a leftover: a warning", () => {
    const reading = readEnv({ TS_AUTHKEY: "k", AUTH_KEY: " " });
    expect(reading.raw.authKey).toEqual({ state: "set", variable: "TS_AUTHKEY", value: "k" });
    expect(reading.warnings).toEqual([{ variable: "AUTH_KEY", problem: "is empty; using TS_AUTHKEY", fix: "remove the empty AUTH_KEY" }]);
    expect(reading.issues).toEqual([]);
  });

  it("for a setting where empty means something, an empty name beside a set one disagrees with it", () => {
    const reading = readEnv({ TS_ROUTES: "", ADVERTISE_ROUTES: "10.0.0.0/8" });
    expect(reading.raw.routes).toEqual({ state: "empty", variable: "TS_ROUTES" });
    expect(reading.issues).toEqual([expect.objectContaining({ variable: "ADVERTISE_ROUTES", problem: "disagrees with TS_ROUTES; both set the same thing" })]);
    expect(reading.warnings).toEqual([]);
  });

  it("two empty names: the first counts, nothing to warn about", () => {
    expect(readEnv({ TS_AUTH_KEY: "", AUTH_KEY: "" })).toMatchObject({ raw: { authKey: { state: "empty", variable: "TS_AUTH_KEY" } }, issues: [], warnings: [] });
  });
});

// Every raw value through its parser, so all problems come at once; defaults fill what is unset.
import { describe, expect, it } from "vitest";
import { MAX_VALUE_LENGTH, parseSettings } from "../../../src/core/config/parse-settings.ts";
import { readEnv } from "../../../src/core/config/read-env.ts";

const parse = (env: Record<string, string>) => parseSettings(readEnv(env).raw);

describe("parseSettings", () => {
  it("an empty environment takes every default", () => {
    const { settings, failed, issues } = parse({});
    expect(settings).toMatchObject({ stateDir: "/var/lib/tailscale", port: 41641, userspace: "auto", acceptDns: false, authOnce: true, extraArgs: [], scriptTimeout: 300_000, bootTimeout: 60_000, stopGrace: 5000, restartLimit: 5, logFormat: "plain", logLevel: "info" });
    expect(settings.routes).toBeUndefined();
    expect([failed.size, issues]).toEqual([0, []]);
  });

  it("empty takes the default, unless empty is a value of its own", () => {
    expect(parse({ TS_PORT: "", TS_ROUTES: "" }).settings).toMatchObject({ port: 41641, routes: [] });
  });

  it("parses set values", () => {
    expect(parse({ TS_PORT: "0", TS_USERSPACE: "TRUE", TS_BOOT_TIMEOUT: "90s", LOG_LEVEL: "DEBUG" }).settings).toMatchObject({ port: 0, userspace: "true", bootTimeout: 90_000, logLevel: "debug" });
  });

  it("an invalid value: its default, marked failed, and an issue with the value shown as the setting displays it", () => {
    const { settings, failed, issues } = parse({ TS_PORT: "x", TS_LOGIN_SERVER: "ftp://u:SEKRIT@h" });
    expect(settings.port).toBe(41641);
    expect([...failed].sort()).toEqual(["loginServer", "port"]);
    expect(issues).toEqual([
      { variable: "TS_LOGIN_SERVER", value: "ftp://[REDACTED]@h", problem: "holds a user name or password (user:password@), which tailscale does not use", fix: "remove it: TS_LOGIN_SERVER=ftp://h" },
      { variable: "TS_PORT", value: "x", problem: "is not a port number", fix: "set TS_PORT to a number from 0 to 65535 (41641 is Tailscale's usual port)" },
    ]);
  });

  it("every problem of one value is reported", () => {
    expect(parse({ TS_ROUTES: "bogus,10.0.0.1/8" }).issues.map((issue) => issue.variable)).toEqual(["TS_ROUTES", "TS_ROUTES"]);
  });

  it("a value longer than an environment can hold is refused unread", () => {
    const { failed, issues } = parse({ TS_HOSTNAME: "a".repeat(MAX_VALUE_LENGTH + 1) });
    expect([...failed]).toEqual(["hostname"]);
    expect(issues).toEqual([{ variable: "TS_HOSTNAME", problem: `is ${MAX_VALUE_LENGTH + 1} characters long, more than an environment variable can hold (131072)`, fix: "shorten TS_HOSTNAME" }]);
    // At the limit, the value is parsed (and refused for what it is).
    expect(parse({ TS_HOSTNAME: "a".repeat(MAX_VALUE_LENGTH) }).issues.map((issue) => issue.problem)).toEqual(["is not a valid host name"]);
  });
});

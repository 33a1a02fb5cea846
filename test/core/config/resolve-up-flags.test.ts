// TS_EXTRA_ARGS resolved once, at load: flags a setting stands for become that setting's value (and
// must agree with its variable), the fixed and refused ones are checked, the rest become preferences.
import { describe, expect, it } from "vitest";
import { parseSettings } from "../../../src/core/config/parse-settings.ts";
import { readEnv } from "../../../src/core/config/read-env.ts";
import { resolveUpFlags } from "../../../src/core/config/resolve-up-flags.ts";
import type { SettingKey } from "../../../src/core/config/env-schema.ts";
import { configOf } from "../../fakes/config-of.ts";

function resolve(env: Record<string, string>, failed: readonly SettingKey[] = []) {
  const { raw } = readEnv(env);
  const parsed = parseSettings(raw);
  return resolveUpFlags(parsed.settings, raw, new Set([...parsed.failed, ...failed]));
}

describe("advertiseExitNode, resolved once from the extra arguments", () => {
  it.each([
    ["--advertise-exit-node", true],
    ["--advertise-exit-node=true", true],
    ["--advertise-exit-node=T", true],
    ["--advertise-exit-node=false", false],
    ["--advertise-exit-node --advertise-exit-node=false", false],
    ["--accept-routes", false],
    ["", false],
  ])("%j: exit node offered = %s", (args, on) => {
    expect(configOf({ TS_EXTRA_ARGS: args }).advertiseExitNode).toBe(on);
    expect(resolve({ TS_EXTRA_ARGS: args }).advertiseExitNode).toBe(on);
  });
});

describe("resolveUpFlags", () => {
  it("a flag whose setting is unset sets it, with the flag as its source", () => {
    const resolution = resolve({ TS_EXTRA_ARGS: "--hostname=r2 --advertise-routes=10.0.0.0/8" });
    expect(resolution.settings.hostname).toBe("r2");
    expect(resolution.settings.routes).toEqual([{ family: 4, text: "10.0.0.0/8", prefixLength: 8 }]);
    expect(resolution.sources.hostname).toEqual({ state: "set", variable: "TS_EXTRA_ARGS", value: "r2", flag: "--hostname" });
    expect(resolution.sources.loginServer).toEqual({ state: "unset", variable: "TS_LOGIN_SERVER" });
    expect([resolution.preferences, resolution.issues]).toEqual([[], []]);
  });

  it("an empty variable that means nothing by itself gives way to the flag", () => {
    expect(resolve({ TS_HOSTNAME: "", TS_EXTRA_ARGS: "--hostname=r2" })).toMatchObject({ settings: { hostname: "r2" }, issues: [] });
  });

  it.each([
    ["the same value", { TS_HOSTNAME: "r1", TS_EXTRA_ARGS: "--hostname=r1" }, "hostname", "TS_HOSTNAME"],
    ["the same routes in another order", { TS_ROUTES: "10.0.0.0/8,192.168.0.0/16", TS_EXTRA_ARGS: "--advertise-routes=192.168.0.0/16,10.0.0.0/8" }, "routes", "TS_ROUTES"],
    ["the same boolean spelled otherwise", { TS_ACCEPT_DNS: "1", TS_EXTRA_ARGS: "--accept-dns=t" }, "acceptDns", "TS_ACCEPT_DNS"],
  ] as const)("a flag that agrees with its variable: %s (the variable stays the source)", (_, env, key, variable) => {
    const resolution = resolve(env);
    expect(resolution.issues).toEqual([]);
    expect(resolution.sources[key]).toMatchObject({ state: "set", variable });
    expect(resolution.sources[key]).not.toHaveProperty("flag");
  });

  it.each([
    [{ TS_HOSTNAME: "a", TS_EXTRA_ARGS: "--hostname=b" }, "--hostname=b disagrees with TS_HOSTNAME=a", "set it in one place: remove --hostname from TS_EXTRA_ARGS, or TS_HOSTNAME", "hostname", "a"],
    [{ TS_ROUTES: "", TAILSCALE_ARGS: "--advertise-routes=10.0.0.0/8" }, "--advertise-routes=10.0.0.0/8 disagrees with TS_ROUTES=", "set it in one place: remove --advertise-routes from TAILSCALE_ARGS, or TS_ROUTES", "routes", []],
    [{ TS_LOGIN_SERVER: " https://a.example ", TS_EXTRA_ARGS: "--login-server=https://b.example" }, "--login-server=https://b.example disagrees with TS_LOGIN_SERVER=https://a.example", "set it in one place: remove --login-server from TS_EXTRA_ARGS, or TS_LOGIN_SERVER", "loginServer", "https://a.example"],
  ] as const)("a flag that disagrees with its variable is an error naming both: %j", (env, problem, fix, key, kept) => {
    const variable = "TAILSCALE_ARGS" in env ? "TAILSCALE_ARGS" : "TS_EXTRA_ARGS";
    const resolution = resolve(env);
    expect(resolution.issues).toEqual([{ variable, problem, fix }]);
    expect(resolution.settings[key]).toEqual(kept);
  });

  it("a setting whose own value was invalid is not checked against the flag again", () => {
    expect(resolve({ TS_HOSTNAME: "bad name", TS_EXTRA_ARGS: "--hostname=b" }).issues).toEqual([]);
    expect(resolve({ TS_EXTRA_ARGS: "--hostname=b" }, ["hostname"]).settings.hostname).toBeUndefined();
  });

  it("a flag's invalid value is an error quoting the flag as written (a URL's password redacted, long values clipped)", () => {
    expect(resolve({ TS_EXTRA_ARGS: "--hostname=my_router" }).issues).toEqual([
      { variable: "TS_EXTRA_ARGS", value: "--hostname=my_router", problem: "--hostname: is not a valid host name", fix: "use letters, digits and '-' (at most 63 per label), e.g. --hostname=my-router" },
    ]);
    const issue = resolve({ TS_EXTRA_ARGS: "--login-server=https://user:SEKRIT@hs.example" }).issues[0];
    expect(issue?.value).toBe("--login-server=https://[REDACTED]@hs.example");
    expect(JSON.stringify(issue)).not.toContain("SEKRIT");
    expect(resolve({ TS_EXTRA_ARGS: `--hostname=${"x".repeat(100)}_` }).issues[0]?.value).toBe(`--hostname=${"x".repeat(80)}...(101 characters)`);
  });

  it.each([
    ["--reset", []],
    ["--reset=true --host-routes", []],
    ["--reset=false", [{ variable: "TS_EXTRA_ARGS", problem: "--reset=false cannot be honoured: the environment is the whole configuration at every start", fix: "remove --reset=false" }]],
    ["--host-routes=false", [{ variable: "TS_EXTRA_ARGS", problem: "--host-routes=false cannot be honoured: host routes are always on (tailscale 1.67+)", fix: "remove --host-routes=false" }]],
    ["--timeout=5s", [{ variable: "TS_EXTRA_ARGS", problem: "--timeout cannot be honoured: the supervisor decides how long to wait for Running", fix: "remove it and set TS_BOOT_TIMEOUT" }]],
    ["--acept-routes", [{ variable: "TS_EXTRA_ARGS", problem: "--acept-routes is not a flag of tailscale up", fix: "use flags of `tailscale up` only (tailscale up --help), booleans as --flag or --flag=false" }]],
  ])("%s → %j", (args, issues) => {
    const resolution = resolve({ TS_EXTRA_ARGS: args });
    expect(resolution.issues).toEqual(issues);
    expect(resolution.preferences).toEqual([]);
  });

  it("the other flags become preferences: given twice, the last one counts, in its place", () => {
    const resolution = resolve({ TS_EXTRA_ARGS: "--ssh --accept-routes --ssh=false --advertise-tags=tag:a" });
    expect(resolution.preferences).toEqual([
      { name: "accept-routes", value: "true", configField: { name: "acceptRoutes", value: true } },
      { name: "ssh", value: "false", configField: { name: "RunSSHServer", value: false } },
      { name: "advertise-tags", value: "tag:a", configField: undefined, cliOnlyReason: "--advertise-tags has no config-file equivalent" },
    ]);
    expect(resolution.advertiseExitNode).toBe(false);
  });
});

// Checks across settings: the kind of auth key, and a gateway without routes (or of the other family);
// a rule is skipped when a setting it reads was invalid.
import { describe, expect, it } from "vitest";
import { checkConfigRules } from "../../../src/core/config/config-rules.ts";
import type { SettingKey } from "../../../src/core/config/env-schema.ts";
import { loadConfig } from "../../../src/core/config/load-config.ts";
import { configOf } from "../../fakes/config-of.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";
import { createFakeFiles } from "../../fakes/fake-files.ts";

/** The rules' findings on a valid environment's configuration, with `failed` settings marked invalid. */
function rulesOf(env: Record<string, string>, failed: readonly SettingKey[] = []) {
  return checkConfigRules(configOf(env), new Set(failed));
}

describe("checkConfigRules", () => {
  it("nothing to say about a plain configuration", () => {
    expect(rulesOf({ TS_AUTHKEY: "tskey-auth-k-x", TS_ROUTES: "10.0.0.0/8", TS_CONTAINER_GATEWAY: "172.17.0.1" })).toEqual({ issues: [], warnings: [] });
  });

  it("an OAuth secret with tags is fine", () => {
    expect(rulesOf({ AUTH_KEY: "tskey-client-k-x", TS_EXTRA_ARGS: "--advertise-tags=tag:r" })).toEqual({ issues: [], warnings: [] });
  });

  it("a gateway without routes, or with routes of the other family: warnings naming the variable used", () => {
    expect(rulesOf({ CONTAINER_GATEWAY: "172.17.0.1" }).warnings).toEqual([{ variable: "CONTAINER_GATEWAY", problem: "has no effect without advertised routes", fix: "set TS_ROUTES, or remove CONTAINER_GATEWAY" }]);
    expect(rulesOf({ TS_CONTAINER_GATEWAY: "172.17.0.1", TS_ROUTES: "" }).warnings).toEqual([{ variable: "TS_CONTAINER_GATEWAY", problem: "has no effect without advertised routes", fix: "set TS_ROUTES, or remove TS_CONTAINER_GATEWAY" }]);
    expect(rulesOf({ TS_CONTAINER_GATEWAY: "fd00::1", TS_ROUTES: "fd00:1::/64,10.0.0.0/8,192.168.0.0/16" }).warnings).toEqual([
      { variable: "TS_CONTAINER_GATEWAY", problem: "is IPv6, so no return route is added for 10.0.0.0/8,192.168.0.0/16", fix: "add those return routes from STARTUP_SCRIPT" },
    ]);
  });

  it("a rule is skipped when a setting it reads was invalid", () => {
    expect(rulesOf({ TS_CONTAINER_GATEWAY: "172.17.0.1" }, ["routes"])).toEqual({ issues: [], warnings: [] });
    expect(rulesOf({ TS_CONTAINER_GATEWAY: "172.17.0.1" }, ["authKey"]).warnings).toHaveLength(1);
  });
});

describe("checkConfigRules on the auth key", () => {
  // These configurations are invalid as a whole, so they are built from loadConfig's parts by hand.
  const base = loadConfig({}, createFakeHost().files);
  if (!base.ok) throw new Error("an empty environment is valid");
  const withKey = (kind: "api-token" | "oauth-secret", variable: string, upPreferences = base.config.upPreferences) => ({
    ...base.config,
    authKey: { key: "k", kind },
    upPreferences,
    sources: { ...base.config.sources, authKey: { state: "set", variable, value: "k" } as const },
  });

  it("an API token is not an auth key", () => {
    expect(checkConfigRules(withKey("api-token", "AUTH_KEY"), new Set())).toEqual({
      issues: [{ variable: "AUTH_KEY", problem: "is an API access token (tskey-api-...), not an auth key", fix: "generate an auth key in the admin console (Settings > Keys) and use that" }],
      warnings: [],
    });
  });

  it("an OAuth secret needs tags", () => {
    expect(checkConfigRules(withKey("oauth-secret", "TS_AUTHKEY"), new Set()).issues).toEqual([{ variable: "TS_AUTHKEY", problem: "is an OAuth client secret, which needs tags", fix: "add --advertise-tags=tag:NAME to TS_EXTRA_ARGS" }]);
    const tags = [{ name: "advertise-tags", value: "tag:a", configField: undefined }];
    expect(checkConfigRules(withKey("oauth-secret", "TS_AUTHKEY", tags), new Set()).issues).toEqual([]);
  });

  it("is skipped when the key or the extra arguments were invalid", () => {
    expect(checkConfigRules(withKey("api-token", "TS_AUTHKEY"), new Set(["authKey"] as const)).issues).toEqual([]);
    expect(checkConfigRules(withKey("oauth-secret", "TS_AUTHKEY"), new Set(["extraArgs"] as const)).issues).toEqual([]);
  });
});

// The TS_LAN_MASQUERADE rule (issue 16).
describe("the TS_LAN_MASQUERADE rule", () => {
  it("with TS_USERSPACE=true: a problem naming the variable, the reason and the fix", () => {
    const load = loadConfig({ TS_LAN_MASQUERADE: "true", TS_USERSPACE: "1" }, createFakeFiles({}));
    expect(load.ok).toBe(false);
    if (load.ok) return;
    expect(load.issues).toEqual([
      {
        variable: "TS_LAN_MASQUERADE",
        value: "true",
        problem: "cannot be honoured with TS_USERSPACE=true: userspace networking forwards nothing from the LAN into the tailnet (there is no tailscale0 to masquerade on)",
        fix: "remove TS_LAN_MASQUERADE, or set TS_USERSPACE=auto (or false) and give the container /dev/net/tun and NET_ADMIN",
      },
    ]);
  });

  it.each([{ TS_USERSPACE: "auto" }, { TS_USERSPACE: "false" }, { TS_LAN_MASQUERADE: "false", TS_USERSPACE: "true" }])("%j: no problem", (env) => {
    expect(loadConfig({ TS_LAN_MASQUERADE: "true", ...env }, createFakeFiles({})).ok).toBe(true);
  });

  it("a bad boolean is refused as any boolean", () => {
    const load = loadConfig({ TS_LAN_MASQUERADE: "yes" }, createFakeFiles({}));
    expect(load.ok ? [] : load.issues.map((issue) => issue.variable)).toEqual(["TS_LAN_MASQUERADE"]);
  });
});

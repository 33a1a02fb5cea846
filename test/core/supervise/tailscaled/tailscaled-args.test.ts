// tailscaled's command line and environment from the configuration and the preflight plan, and the
// hooks' environment: never the key, never the supervisor's own variables for tailscaled.
import { describe, expect, it } from "vitest";
import { buildHookEnv, buildTailscaledArgs, buildTailscaledEnv } from "../../../../src/core/supervise/tailscaled/tailscaled-args.ts";
import { configOf } from "../../../fakes/config-of.ts";

describe("buildTailscaledArgs", () => {
  it("state dir, socket, port and the TUN mode, then the config file and the user's extra arguments", () => {
    const config = configOf({ TS_STATE_DIR: "/data", TS_SOCKET: "/tmp/ts.sock", TS_PORT: "0", TS_TAILSCALED_EXTRA_ARGS: "--verbose=1 --debug=:8080" });
    expect(buildTailscaledArgs(config, { userspace: false, env: {} }, "/run/x/tailscaled.json")).toEqual([
      "tailscaled", "--statedir=/data", "--socket=/tmp/ts.sock", "--port=0", "--tun=tailscale0", "--config=/run/x/tailscaled.json", "--verbose=1", "--debug=:8080",
    ]);
    expect(buildTailscaledArgs(configOf({}), { userspace: true, env: {} }, undefined)).toEqual([
      "tailscaled", "--statedir=/var/lib/tailscale", "--socket=/var/run/tailscale/tailscaled.sock", "--port=41641", "--tun=userspace-networking",
    ]);
  });
});

describe("buildTailscaledEnv", () => {
  it("the container's environment without any of our variables (aliases too), the logs dir, and the plan's additions last", () => {
    const env = { PATH: "/bin", HOME: "/root", TS_AUTHKEY: "k", AUTH_KEY: "k", TS_ROUTES: "10.0.0.0/8", TS_DEBUG_FIREWALL_MODE: "nftables", LOG_LEVEL: "debug" };
    expect(buildTailscaledEnv(env, { userspace: false, env: { PATH: "/run/bin:/bin", GOMEMLIMIT: "96MiB" } }, "/run/tailscale-supervisor")).toEqual({
      TS_LOGS_DIR: "/run/tailscale-supervisor",
      PATH: "/run/bin:/bin",
      HOME: "/root",
      TS_DEBUG_FIREWALL_MODE: "nftables",
      GOMEMLIMIT: "96MiB",
    });
    expect(buildTailscaledEnv({}, { userspace: true, env: {} }, "/var/lib/tailscale")).toEqual({ TS_LOGS_DIR: "/var/lib/tailscale" });
  });
});

describe("buildHookEnv", () => {
  it("the container's environment without the key under any of its names", () => {
    expect(buildHookEnv({ PATH: "/bin", TS_ROUTES: "10.0.0.0/8", TS_AUTHKEY: "k1", TS_AUTH_KEY: "k2", AUTH_KEY: "k3", TS_HOSTNAME: "r" })).toEqual({ PATH: "/bin", TS_ROUTES: "10.0.0.0/8", TS_HOSTNAME: "r" });
  });
});

// How tailscaled gets its preferences and key: the config file when it can carry everything, else the
// CLI; which CLI call each phase needs; the config document and the CLI arguments.
import { describe, expect, it } from "vitest";
import { buildConfigDocument, buildLoginCall, buildUpCall, chooseLoginCommand, planLogin, SECRET_FROM_STDIN, type LoginInputs } from "../../../../src/core/supervise/login/login-plan.ts";
import { configOf } from "../../../fakes/config-of.ts";

const inputs: LoginInputs = { authKeyRef: "file:/run/k", netfilterMode: undefined, runtimeDirOnTmpfs: true, savedLogin: true };

describe("planLogin", () => {
  it("expresses settings and mappable flags in the config file", () => {
    const plan = planLogin(configOf({ TS_ROUTES: "10.0.0.0/8", TS_LOGIN_SERVER: "https://hs.example", TS_EXTRA_ARGS: "--accept-routes --advertise-exit-node --snat-subnet-routes=false --exit-node=100.64.0.9" }), inputs);
    expect(plan).toEqual({
      kind: "config-file",
      document: {
        Version: "alpha0",
        Locked: false,
        Enabled: true,
        acceptDNS: false,
        acceptRoutes: true,
        ServerURL: "https://hs.example",
        AdvertiseRoutes: ["10.0.0.0/8"],
        AdvertiseExitNode: true,
        DisableSNAT: true,
        exitNode: "100.64.0.9",
        // Added with an exit node (config/exit-node-lan-access.ts).
        allowLANWhileUsingExitNode: true,
      },
    });
  });

  it.each([
    [{ TS_AUTHKEY: "hs-key-inline" }, false, "file:/run/k"],
    [{ TS_AUTHKEY: "hs-key-inline" }, true, undefined],
    [{ TS_AUTHKEY: "hs-key-inline", TS_AUTH_ONCE: "false" }, true, "file:/run/k"],
    [{}, false, undefined],
  ])("%j, saved login %s: AuthKey %s", (env, savedLogin, authKey) => {
    const plan = planLogin(configOf(env), { ...inputs, savedLogin });
    expect(plan.kind === "config-file" ? plan.document["AuthKey"] : "cli").toBe(authKey);
  });

  it.each([
    [{ TS_EXTRA_ARGS: "--advertise-tags=tag:x" }, inputs, "--advertise-tags has no config-file equivalent"],
    [{ TS_EXTRA_ARGS: "--exit-node=my-exit" }, inputs, "--exit-node=my-exit: the config file takes an exit node only as an IP address"],
    [{ TS_AUTHKEY: "tskey-client-k-x", TS_EXTRA_ARGS: "--advertise-tags=tag:x" }, inputs, "OAuth client secrets are resolved by the CLI"],
    [{ TS_AUTHKEY: "hs-key-inline" }, { ...inputs, authKeyRef: undefined, runtimeDirOnTmpfs: false, savedLogin: false }, "no tmpfs to hold the key file"],
  ])("%j → CLI: %s", (env, given, reason) => {
    expect(planLogin(configOf(env), given)).toEqual({ kind: "cli", reason });
  });

  it("a key of the user's own file needs no tmpfs; no key needs none either", () => {
    const files = { "/keys/k": "hs-key-from-file\n" };
    expect(planLogin(configOf({ TS_AUTHKEY: "file:/keys/k" }, files), { ...inputs, authKeyRef: "file:/keys/k", runtimeDirOnTmpfs: false, savedLogin: false })).toMatchObject({ kind: "config-file", document: { AuthKey: "file:/keys/k" } });
    expect(planLogin(configOf({}), { ...inputs, authKeyRef: undefined, runtimeDirOnTmpfs: false })).toMatchObject({ kind: "config-file" });
  });

  it("without tmpfs, a logged-in node still starts from the config file, which names no key", () => {
    const plan = planLogin(configOf({ TS_AUTHKEY: "hs-key-inline" }), { ...inputs, authKeyRef: undefined, runtimeDirOnTmpfs: false, savedLogin: true });
    expect(plan.kind).toBe("config-file");
    expect(plan.kind === "config-file" && plan.document).not.toHaveProperty("AuthKey");
  });
});

describe("buildConfigDocument", () => {
  it("carries host name, DNS, the netfilter mode preflight chose (the user's own wins), and the key file only while a login needs it", () => {
    const config = configOf({ TS_HOSTNAME: "r1", TS_ACCEPT_DNS: "true", TS_ROUTES: "", TS_AUTHKEY: "hs-inline-key" });
    expect(buildConfigDocument(config, { ...inputs, savedLogin: false, netfilterMode: "off" })).toEqual({
      Version: "alpha0",
      Locked: false,
      Enabled: true,
      acceptDNS: true,
      acceptRoutes: false,
      AuthKey: "file:/run/k",
      Hostname: "r1",
      AdvertiseRoutes: [],
      NetfilterMode: "off",
    });
    expect(buildConfigDocument(configOf({ TS_NETFILTER_MODE: "nodivert" }), { ...inputs, netfilterMode: "off" })["NetfilterMode"]).toBe("nodivert");
    expect(buildConfigDocument(config, { ...inputs, savedLogin: true })).not.toHaveProperty("AuthKey");
    expect(buildConfigDocument(configOf({ TS_HOSTNAME: "r1" }), { ...inputs, savedLogin: false })).not.toHaveProperty("AuthKey");
    expect(buildConfigDocument(configOf({}), inputs)).toEqual({ Version: "alpha0", Locked: false, Enabled: true, acceptDNS: false, acceptRoutes: false });
  });
});

describe("CLI calls", () => {
  it("builds up arguments with --reset, and the key only when asked: on stdin, never in the arguments", () => {
    const config = configOf({ TS_HOSTNAME: "r1", TS_ROUTES: "10.0.0.0/8", TS_EXTRA_ARGS: "--ssh", TS_AUTHKEY: "hs-inline-key-1234" });
    expect(buildUpCall(config, inputs, "/s", true)).toEqual({
      command: "up",
      args: ["--socket=/s", "up", "--reset", "--accept-dns=false", "--hostname=r1", "--advertise-routes=10.0.0.0/8", "--ssh=true", `--auth-key=${SECRET_FROM_STDIN}`],
      stdin: "hs-inline-key-1234",
    });
    expect(buildUpCall(config, inputs, "/s", false)).toEqual({ command: "up", args: ["--socket=/s", "up", "--reset", "--accept-dns=false", "--hostname=r1", "--advertise-routes=10.0.0.0/8", "--ssh=true"] });
  });

  it("builds login arguments without --reset; the login server and the netfilter mode ride along", () => {
    const config = configOf({ TS_LOGIN_SERVER: "https://hs.example", TS_ROUTES: "10.0.0.0/8,192.168.0.0/16", TS_AUTHKEY: "hs-inline-key-1234" });
    expect(buildLoginCall(config, { ...inputs, netfilterMode: "nodivert" }, "/s", true)).toEqual({
      command: "login",
      args: ["--socket=/s", "login", "--accept-dns=false", "--login-server=https://hs.example", "--advertise-routes=10.0.0.0/8,192.168.0.0/16", "--netfilter-mode=nodivert", `--auth-key=${SECRET_FROM_STDIN}`],
      stdin: "hs-inline-key-1234",
    });
    expect(buildLoginCall(configOf({}), inputs, "/s", true).args).not.toContainEqual(expect.stringMatching(/^--auth-key/));
  });

  it("an ID token goes on stdin when no key goes with the call, and not at all when one does", () => {
    const config = configOf({ TS_EXTRA_ARGS: "--advertise-tags=tag:x --id-token=eyJhbGciOiJSUzI1NiJ9.token", TS_AUTHKEY: "hs-inline-key-1234" });
    expect(buildUpCall(config, inputs, "/s", false)).toEqual({ command: "up", args: ["--socket=/s", "up", "--reset", "--accept-dns=false", "--advertise-tags=tag:x", `--id-token=${SECRET_FROM_STDIN}`], stdin: "eyJhbGciOiJSUzI1NiJ9.token" });
    expect(buildUpCall(config, inputs, "/s", true)).toEqual({ command: "up", args: ["--socket=/s", "up", "--reset", "--accept-dns=false", "--advertise-tags=tag:x", `--auth-key=${SECRET_FROM_STDIN}`], stdin: "hs-inline-key-1234" });
  });
});

describe("chooseLoginCommand", () => {
  const config = configOf({ TS_AUTHKEY: "hs-inline-key-1234" });
  const socket = config.socket;
  const file = { kind: "config-file", document: {} } as const;
  const cli = { kind: "cli", reason: "x" } as const;
  const withKey = { stdin: "hs-inline-key-1234" };
  it.each([
    ["config file with the key, logged out", file, "needs-login", true, undefined],
    ["config file, logged in", file, "logged-in", false, undefined],
    ["config file without the key, logged out: login with it", file, "needs-login", false, { command: "login", args: ["--socket=" + socket, "login", "--accept-dns=false", `--auth-key=${SECRET_FROM_STDIN}`], ...withKey }],
    ["CLI, logged out: up with the key", cli, "needs-login", false, { command: "up", args: ["--socket=" + socket, "up", "--reset", "--accept-dns=false", `--auth-key=${SECRET_FROM_STDIN}`], ...withKey }],
    ["CLI, logged in: up without the key", cli, "logged-in", false, { command: "up", args: ["--socket=" + socket, "up", "--reset", "--accept-dns=false"] }],
  ] as const)("%s", (_, plan, phase, keyInConfig, call) => {
    expect(chooseLoginCommand(plan, config, inputs, phase, keyInConfig)).toEqual(call);
  });

  it("TS_AUTH_ONCE=false: the CLI path sends the key at every start", () => {
    expect(chooseLoginCommand(cli, configOf({ TS_AUTHKEY: "hs-inline-key-1234", TS_AUTH_ONCE: "false" }), inputs, "logged-in", false)?.stdin).toBe("hs-inline-key-1234");
  });
});

// Issue 9 item 1: flags of TS_EXTRA_ARGS/TAILSCALE_ARGS take effect. They are resolved once, when the
// configuration is loaded; the config command, the config file and the CLI arguments show the result.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { loadConfig, type ConfigLoad } from "../../../src/core/config/load-config.ts";
import type { Config } from "../../../src/core/config/config.ts";
import { runCli } from "../../../src/core/run.ts";
import { buildUpCall, planLogin } from "../../../src/core/supervise/login/login-plan.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";
import { ROOT } from "../../support/qjs.ts";
import { LINES_TO_RUNNING, LOGGED_IN_STATE, runFor, startSupervisor } from "../../fakes/supervise-fixture.ts";

const load = (env: Record<string, string>): ConfigLoad => loadConfig(env, createFakeHost().files);

function configOf(env: Record<string, string>): Config {
  const result = load(env);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

function problemsOf(env: Record<string, string>): string[] {
  const result = load(env);
  return result.ok ? [] : result.issues.map((issue) => `${issue.variable}: ${issue.problem} -- ${issue.fix}`);
}

// The issue's example: what users of the older images put in TAILSCALE_ARGS.
const OLD_IMAGE_ENV = { TS_AUTHKEY: "tskey-auth-kX-1", TAILSCALE_ARGS: "--advertise-routes=10.0.0.0/24 --hostname=myrouter --accept-dns=true" };
const INPUTS = { authKeyRef: "file:/run/k", netfilterMode: undefined, runtimeDirOnTmpfs: true, savedLogin: true };

describe("flags a setting stands for become that setting's value", () => {
  it("the issue's example: routes, host name and accept-dns from TAILSCALE_ARGS", () => {
    const config = configOf(OLD_IMAGE_ENV);
    expect(config.routes?.map((route) => route.text)).toEqual(["10.0.0.0/24"]);
    expect(config.hostname).toBe("myrouter");
    expect(config.acceptDns).toBe(true);
    expect(config.sources.hostname).toEqual({ state: "set", variable: "TAILSCALE_ARGS", value: "myrouter", flag: "--hostname" });
    expect(config.upPreferences).toEqual([]);
  });

  it.each([
    ["--login-server=https://hs.example.com/", "loginServer", "https://hs.example.com"],
    ["--login-server https://hs.example.com", "loginServer", "https://hs.example.com"],
    ["--netfilter-mode=nodivert", "netfilterMode", "nodivert"],
    ["--accept-dns", "acceptDns", true],
    ["--accept-dns=false", "acceptDns", false],
    ["--hostname=r1 --hostname=r2", "hostname", "r2"],
  ])("%s sets %s", (args, key, value) => {
    expect(configOf({ TS_EXTRA_ARGS: args })).toMatchObject({ [key]: value });
  });

  it("`config` shows each with its source, and what is left in the extra arguments", async () => {
    const host = createFakeHost({ argv: ["config"], env: { ...OLD_IMAGE_ENV, TAILSCALE_ARGS: `${OLD_IMAGE_ENV.TAILSCALE_ARGS} --login-server=https://hs.example.com --netfilter-mode=off --accept-routes` } });
    expect((await host.drive(runCli(host))).exitCode).toBe(0);
    const rows = host.stdout().split("\n");
    const row = (name: string) => rows.find((line) => line.startsWith(`${name} `))?.split(/\s{2,}/);
    expect(row("TS_ROUTES")).toEqual(["TS_ROUTES", "10.0.0.0/24", "from TAILSCALE_ARGS (--advertise-routes)"]);
    expect(row("TS_HOSTNAME")).toEqual(["TS_HOSTNAME", "myrouter", "from TAILSCALE_ARGS (--hostname)"]);
    expect(row("TS_ACCEPT_DNS")).toEqual(["TS_ACCEPT_DNS", "true", "from TAILSCALE_ARGS (--accept-dns)"]);
    expect(row("TS_LOGIN_SERVER")).toEqual(["TS_LOGIN_SERVER", "https://hs.example.com", "from TAILSCALE_ARGS (--login-server)"]);
    expect(row("TS_NETFILTER_MODE")).toEqual(["TS_NETFILTER_MODE", "off", "from TAILSCALE_ARGS (--netfilter-mode)"]);
    expect(row("TS_EXTRA_ARGS")).toEqual(["TS_EXTRA_ARGS", "--accept-routes", "from TAILSCALE_ARGS"]);
  });

  it("the config file and the CLI arguments carry them, each once", () => {
    const config = configOf({ ...OLD_IMAGE_ENV, TAILSCALE_ARGS: `${OLD_IMAGE_ENV.TAILSCALE_ARGS} --netfilter-mode=nodivert --login-server=https://hs.example.com` });
    const plan = planLogin(config, INPUTS);
    expect(plan.kind === "config-file" && plan.document).toMatchObject({
      Hostname: "myrouter",
      AdvertiseRoutes: ["10.0.0.0/24"],
      acceptDNS: true,
      NetfilterMode: "nodivert",
      ServerURL: "https://hs.example.com",
    });
    const args = buildUpCall(config, INPUTS, "/s", false).args;
    expect(args).toEqual(["--socket=/s", "up", "--reset", "--accept-dns=true", "--login-server=https://hs.example.com", "--hostname=myrouter", "--advertise-routes=10.0.0.0/24", "--netfilter-mode=nodivert"]);
  });

  it("the supervisor writes them into tailscaled's config file", async () => {
    const { host, outcome } = startSupervisor(OLD_IMAGE_ENV, { tailscaled: () => ({ lines: LINES_TO_RUNNING }) }, LOGGED_IN_STATE);
    await runFor(host, 1000);
    const document = JSON.parse(host.files.entries.get("/run/tailscale-supervisor/tailscaled.json")?.text ?? "{}") as Record<string, unknown>;
    expect(document).toMatchObject({ Hostname: "myrouter", AdvertiseRoutes: ["10.0.0.0/24"], acceptDNS: true });
    expect(host.stderr()).toMatch(/tailscale is running .*routes=10\.0\.0\.0\/24/);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });
});

describe("a flag and its variable must agree", () => {
  it.each([
    [{ TS_HOSTNAME: "a", TS_EXTRA_ARGS: "--hostname=b" }, "TS_EXTRA_ARGS: --hostname=b disagrees with TS_HOSTNAME=a -- set it in one place: remove --hostname from TS_EXTRA_ARGS, or TS_HOSTNAME"],
    [{ ADVERTISE_ROUTES: "10.0.0.0/24", TAILSCALE_ARGS: "--advertise-routes=10.1.0.0/24" }, "TAILSCALE_ARGS: --advertise-routes=10.1.0.0/24 disagrees with ADVERTISE_ROUTES=10.0.0.0/24 -- set it in one place: remove --advertise-routes from TAILSCALE_ARGS, or ADVERTISE_ROUTES"],
    [{ TS_ROUTES: "", TS_EXTRA_ARGS: "--advertise-routes=10.1.0.0/24" }, "TS_EXTRA_ARGS: --advertise-routes=10.1.0.0/24 disagrees with TS_ROUTES= -- set it in one place: remove --advertise-routes from TS_EXTRA_ARGS, or TS_ROUTES"],
    [{ TS_ACCEPT_DNS: "false", TS_EXTRA_ARGS: "--accept-dns" }, "TS_EXTRA_ARGS: --accept-dns=true disagrees with TS_ACCEPT_DNS=false -- set it in one place: remove --accept-dns from TS_EXTRA_ARGS, or TS_ACCEPT_DNS"],
    [{ TS_NETFILTER_MODE: "on", TS_EXTRA_ARGS: "--netfilter-mode=off" }, "TS_EXTRA_ARGS: --netfilter-mode=off disagrees with TS_NETFILTER_MODE=on -- set it in one place: remove --netfilter-mode from TS_EXTRA_ARGS, or TS_NETFILTER_MODE"],
    [{ LOGIN_SERVER: "https://a.example", TS_EXTRA_ARGS: "--login-server=https://b.example" }, "TS_EXTRA_ARGS: --login-server=https://b.example disagrees with LOGIN_SERVER=https://a.example -- set it in one place: remove --login-server from TS_EXTRA_ARGS, or LOGIN_SERVER"],
  ])("%j", (env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });

  it.each([
    { TS_ROUTES: "10.0.0.0/24,10.1.0.0/16", TS_EXTRA_ARGS: "--advertise-routes=10.1.0.0/16,10.0.0.0/24" },
    { TS_LOGIN_SERVER: "https://a.example/", TS_EXTRA_ARGS: "--login-server=https://a.example" },
    { TS_ACCEPT_DNS: "1", TS_EXTRA_ARGS: "--accept-dns=true" },
    { TS_HOSTNAME: "", TS_EXTRA_ARGS: "--hostname=b" },
  ])("the same setting said twice is fine: %j", (env) => {
    expect(problemsOf(env)).toEqual([]);
  });

  it("a bad value is reported against the extra arguments, with the fix", () => {
    expect(problemsOf({ TS_EXTRA_ARGS: "--advertise-routes=10.0.0.1/24 --hostname=-x" })).toEqual([
      "TS_EXTRA_ARGS: --advertise-routes: 10.0.0.1/24 has host bits set -- did you mean 10.0.0.0/24?",
      "TS_EXTRA_ARGS: --hostname: is not a valid host name -- use letters, digits and '-' (at most 63 per label), e.g. --hostname=x",
    ]);
  });
});

describe("flags with a config-file field go into the file; the others to tailscale up, or are refused with the reason", () => {
  it("maps each config-file flag to its ipn.ConfigVAlpha field", () => {
    const config = configOf({ TS_EXTRA_ARGS: "--accept-routes --advertise-exit-node --exit-node=100.64.0.9 --exit-node-allow-lan-access --operator=admin --report-posture --shields-up=false --snat-subnet-routes=false --ssh --stateful-filtering --advertise-connector" });
    const plan = planLogin(config, INPUTS);
    expect(plan.kind === "config-file" && plan.document).toMatchObject({
      acceptRoutes: true,
      AdvertiseExitNode: true,
      exitNode: "100.64.0.9",
      allowLANWhileUsingExitNode: true,
      OperatorUser: "admin",
      PostureChecking: true,
      ShieldsUp: false,
      DisableSNAT: true,
      RunSSHServer: true,
      NoStatefulFiltering: false,
      AppConnector: { Advertise: true },
    });
    expect(config.advertiseExitNode).toBe(true);
  });

  it("an exit node given by name cannot be written in the file: tailscale up applies it", () => {
    expect(planLogin(configOf({ TS_EXTRA_ARGS: "--exit-node=my-exit" }), INPUTS)).toEqual({ kind: "cli", reason: "--exit-node=my-exit: the config file takes an exit node only as an IP address" });
    expect(buildUpCall(configOf({ TS_EXTRA_ARGS: "--exit-node=my-exit --ssh" }), INPUTS, "/s", false).args).toEqual(["--socket=/s", "up", "--reset", "--accept-dns=false", "--exit-node=my-exit", "--ssh=true", "--exit-node-allow-lan-access=true"]);
  });

  it.each([
    ["--timeout=30s", "TS_EXTRA_ARGS: --timeout cannot be honoured: the supervisor decides how long to wait for Running -- remove it and set TS_BOOT_TIMEOUT"],
    ["--json", "TS_EXTRA_ARGS: --json cannot be honoured: the supervisor reads tailscale's state itself -- remove it"],
    ["--qr", "TS_EXTRA_ARGS: --qr cannot be honoured: the login URL is logged as text -- remove it"],
    ["--unattended", "TS_EXTRA_ARGS: --unattended cannot be honoured: it exists on Windows only -- remove it"],
    ["--reset=false", "TS_EXTRA_ARGS: --reset=false cannot be honoured: the environment is the whole configuration at every start -- remove --reset=false"],
    ["--host-routes=false", "TS_EXTRA_ARGS: --host-routes=false cannot be honoured: host routes are always on (tailscale 1.67+) -- remove --host-routes=false"],
  ])("%s is refused", (args, problem) => {
    expect(problemsOf({ TS_EXTRA_ARGS: args })).toEqual([problem]);
  });

  it.each(["--reset", "--host-routes", "--reset=true --host-routes=1"])("%s is what always happens: accepted", (args) => {
    expect(configOf({ TS_EXTRA_ARGS: args }).upPreferences).toEqual([]);
  });
});

describe("resolved once: nothing downstream reads the extra arguments", () => {
  const sourceFiles = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sourceFiles(path) : [path];
    });

  it("only src/core/config parses tailscale up flags or splits argument strings", () => {
    const readers = sourceFiles(`${ROOT}src`)
      .filter((path) => /\b(parseUpFlags|splitShellWords|findSecretParts)\(|\.extraArgs\b/.test(readFileSync(path, "utf8")))
      .map((path) => path.slice(ROOT.length));
    expect(readers.filter((path) => !path.startsWith("src/core/config/") && !path.startsWith("src/core/tailscale/"))).toEqual([]);
  });
});

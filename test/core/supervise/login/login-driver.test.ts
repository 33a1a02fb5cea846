// What tailscaled's states ask of the login: the CLI call the first state of each run needs (the key
// always on stdin, never in argv), and the key's retirement (config file rewritten, reload) once logged in.
import { describe, expect, it } from "vitest";
import type { Config } from "../../../../src/core/config/config.ts";
import { createLoginDriver } from "../../../../src/core/supervise/login/login-driver.ts";
import { prepareLogin, type LoginFiles, type LoginSetupInputs } from "../../../../src/core/supervise/login/login-files.ts";
import { SECRET_FROM_STDIN } from "../../../../src/core/supervise/login/login-plan.ts";
import { createCapturedLog } from "../../../fakes/captured-log.ts";
import { configOf } from "../../../fakes/config-of.ts";
import { createFakeFiles, type FakeFiles } from "../../../fakes/fake-files.ts";

const DIR = "/run/tailscale-supervisor";
const KEY = "hskey-auth-0123456789abcdefSECRET";
const SOCKET = "--socket=/var/run/tailscale/tailscaled.sock";
const RELOAD = { command: "reload-config", args: [SOCKET, "debug", "reload-config"] };

/** The driver over real login files in a fake runtime directory. */
function drive(env: Record<string, string>, given: Partial<LoginSetupInputs> = {}): { driver: ReturnType<typeof createLoginDriver>; files: FakeFiles; entries: ReturnType<typeof createCapturedLog>["entries"]; config: Config } {
  const files = createFakeFiles({ [DIR]: { kind: "directory", mode: 0o700 } });
  const config = configOf(env);
  const setup = prepareLogin(files, config, { runtimeDir: DIR, onTmpfs: true, netfilterMode: undefined, savedLogin: false, ...given });
  if (!setup.ok) throw new Error(setup.problem);
  const { log, entries } = createCapturedLog();
  return { driver: createLoginDriver(config, setup.plan, setup.inputs, setup.files, log), files, entries, config };
}

describe("createLoginDriver", () => {
  it("config file with the key: no CLI call at NeedsLogin; at Running the key is retired and tailscaled told to reload, once", () => {
    const { driver, files, entries } = drive({ TS_AUTHKEY: KEY });
    expect(driver.onState("NoState")).toEqual([]);
    expect(driver.onState("NeedsLogin")).toEqual([]);
    expect(driver.onState("Starting")).toEqual([RELOAD]);
    expect(files.entries.has(`${DIR}/authkey`)).toBe(false);
    expect(files.entries.get(`${DIR}/tailscaled.json`)?.text).not.toContain("AuthKey");
    expect(entries).toEqual([{ level: "info", component: "supervisor", msg: "key retired: the node is logged in; tailscaled's config file no longer names the key, and its copy is removed", fields: { file: `${DIR}/tailscaled.json` } }]);
    expect(driver.onState("Running")).toEqual([]);
    driver.noteStart();
    expect(driver.onState("Running")).toEqual([]);
  });

  it("NeedsMachineAuth also means the key served: it is retired", () => {
    const { driver } = drive({ TS_AUTHKEY: KEY });
    expect(driver.onState("NeedsLogin")).toEqual([]);
    expect(driver.onState("NeedsMachineAuth")).toEqual([RELOAD]);
  });

  it("config file, saved login that turned out logged out: `tailscale login` with the key on stdin", () => {
    const { driver } = drive({ TS_AUTHKEY: KEY, TS_HOSTNAME: "r1" }, { savedLogin: true });
    const calls = driver.onState("NeedsLogin");
    expect(calls).toEqual([{ command: "login", args: [SOCKET, "login", "--accept-dns=false", "--hostname=r1", `--auth-key=${SECRET_FROM_STDIN}`], stdin: KEY }]);
    expect(driver.onState("NeedsLogin")).toEqual([]);
  });

  it("config file, saved login that is logged in: nothing to call, nothing to retire", () => {
    const { driver, entries } = drive({ TS_AUTHKEY: KEY }, { savedLogin: true });
    expect(driver.onState("Starting")).toEqual([]);
    expect(driver.onState("Running")).toEqual([]);
    expect(entries).toEqual([]);
  });

  it("CLI path: `tailscale up` with the key on stdin when logged out, once per run; again after a restart", () => {
    const { driver } = drive({ TS_AUTHKEY: KEY }, { onTmpfs: false });
    const up = { command: "up", args: [SOCKET, "up", "--reset", "--accept-dns=false", `--auth-key=${SECRET_FROM_STDIN}`], stdin: KEY };
    expect(driver.onState("NeedsLogin")).toEqual([up]);
    expect(driver.onState("NeedsLogin")).toEqual([]);
    expect(driver.onState("Running")).toEqual([]);
    driver.noteStart();
    expect(driver.onState("Stopped")).toEqual([]);
    expect(driver.onState("NeedsLogin")).toEqual([up]);
  });

  it("CLI path, logged in: `tailscale up` without the key (TS_AUTH_ONCE), or with it (TS_AUTH_ONCE=false)", () => {
    const once = drive({ TS_AUTHKEY: KEY }, { onTmpfs: false });
    expect(once.driver.onState("Running")).toEqual([{ command: "up", args: [SOCKET, "up", "--reset", "--accept-dns=false"] }]);
    const every = drive({ TS_AUTHKEY: KEY, TS_AUTH_ONCE: "false" }, { onTmpfs: false });
    expect(every.driver.onState("Running")).toEqual([{ command: "up", args: [SOCKET, "up", "--reset", "--accept-dns=false", `--auth-key=${SECRET_FROM_STDIN}`], stdin: KEY }]);
  });

  it("no runtime directory, logged in: `tailscale up` still applies the settings", () => {
    const { driver } = drive({ TS_HOSTNAME: "r1" }, { runtimeDir: undefined, savedLogin: true });
    expect(driver.onState("Running")).toEqual([{ command: "up", args: [SOCKET, "up", "--reset", "--accept-dns=false", "--hostname=r1"] }]);
  });

  it("the key is in no argument and no log entry", () => {
    for (const given of [{}, { savedLogin: true }, { onTmpfs: false }, { runtimeDir: undefined }] as Array<Partial<LoginSetupInputs>>) {
      const { driver, entries } = drive({ TS_AUTHKEY: KEY, TS_AUTH_ONCE: "false" }, given);
      const calls = [...driver.onState("NeedsLogin"), ...driver.onState("Running")];
      expect(JSON.stringify(calls.map((call) => call.args))).not.toContain(KEY);
      expect(JSON.stringify(entries)).not.toContain(KEY);
    }
  });

  it("a key that cannot be retired is warned about with the problem and fix, and no reload is asked", () => {
    const files: LoginFiles = { configFile: `${DIR}/tailscaled.json`, keyInConfig: () => true, retireKey: () => "cannot rewrite it", removeCopy: () => undefined };
    const config = configOf({ TS_AUTHKEY: KEY });
    const { log, entries } = createCapturedLog();
    const inputs = { authKeyRef: `file:${DIR}/authkey`, netfilterMode: undefined, runtimeDirOnTmpfs: true, savedLogin: false };
    const driver = createLoginDriver(config, { kind: "config-file", document: {} }, inputs, files, log);
    expect(driver.onState("Running")).toEqual([]);
    expect(entries).toEqual([{ level: "warn", component: "supervisor", msg: "the auth key could not be retired", fields: { problem: "cannot rewrite it", fix: "check the runtime directory" } }]);
  });
});

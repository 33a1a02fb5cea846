// The quiet log with the REAL tailscaled v1.102.3 and a REAL Headscale v0.29.2 (the committed bundle
// under the real qjs as PID 1, kernel TUN in a network namespace of the test's own): what a first
// boot, a restart, a crash, a rejected key and a control-server outage write, the failure blocks
// quoting tailscaled's lines that explain them, and `logs` printing the ring from another process.
import { execa } from "execa";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { realBinaries, type Headscale } from "../lab/headscale.ts";
import { useHeadscaleNetwork, type HeadscaleNetwork } from "../support/headscale-network.ts";
import { childrenOf, commOf } from "../lab/router.ts";
import { pollFor, startSupervisorInNamespace, type SupervisorRun } from "../support/pid1.ts";
import { BUNDLE, findQjs } from "../support/qjs.ts";

const binDir = dirname(realBinaries().tailscaled);
const RUNNING_LINE = /INFO supervisor: tailscale is running /;
// tailscaled's lines the RouterOS log may show: state changes and warnings (tailscaled/quiet-filter.ts).
const SHOWN_TAILSCALED = /^(INFO tailscaled: Switching ipn state \w+ -> (Running|NeedsLogin|NeedsMachineAuth|Stopped) |WARN tailscaled: |INFO tailscaled: health\(warnable=[^)]+\): ok$)/;
// The known false alarms: never in the log, always in the ring.
const FALSE_ALARMS = /linuxfw: clear ip6?tables|router: enumerating tailscale0 addresses for cleanup failed|TPM: error opening|config file is locked/;

let headscale: Headscale;
let network: HeadscaleNetwork["network"];
useHeadscaleNetwork("ts-quiet", (made) => ({ headscale, network } = made));

/** The RouterOS setup: kernel TUN, a route to advertise, the container gateway. */
function routerEnv(env: Record<string, string>): Record<string, string> {
  return { TS_NO_LOGS_NO_SUPPORT: "true", TS_LOGIN_SERVER: headscale.url, TS_USERSPACE: "false", TS_PORT: "0", TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "192.0.2.1", TS_BOOT_TIMEOUT: "60", ...env };
}

function boot(dir: string, env: Record<string, string>): SupervisorRun {
  return startSupervisorInNamespace(routerEnv(env), { binDir, dir, netns: network.name });
}

/** A supervisor command inside the running container (its mount and PID namespaces: its /run tmpfs), with its environment. */
async function inContainer(run: SupervisorRun, args: readonly string[], env: Record<string, string>) {
  const pid = await run.supervisorPid();
  return execa("nsenter", [`--target=${pid}`, "--mount", "--pid", "--net", findQjs(), BUNDLE, ...args], { reject: false, env: { PATH: `${binDir}:/usr/sbin:/usr/bin:/sbin:/bin`, TS_SOCKET: `${run.dir}/tailscaled.sock`, TS_STATE_DIR: `${run.dir}/state`, ...routerEnv(env) }, extendEnv: false });
}

/** The output's lines up to and including `pattern`'s first match, then what came within `settleMs`. */
async function linesUntilSettled(run: SupervisorRun, pattern: RegExp, settleMs: number): Promise<string[]> {
  await run.waitFor(pattern, 60_000);
  // A scenario parameter: what a node writes in the seconds after Running (netcheck, DERP, map updates).
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return run.output().split("\n").filter((line) => line !== "");
}

/** The diagnostics block of the output. */
function block(output: string): string {
  const start = output.indexOf("=== tailscale supervisor ");
  return start < 0 ? "" : output.slice(start, output.indexOf("=== end of diagnostics ===", start));
}

async function stop(run: SupervisorRun): Promise<void> {
  await run.signal("SIGTERM").catch(() => undefined);
  await run.exit();
}

describe("the quiet log against the real daemon", () => {
  it("a first boot writes at most 12 lines and a restart at most 8; tailscaled's chatter and false alarms go to the ring, which `logs` prints from another process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiet-"));
    const key = await headscale.createKey();
    const first = boot(dir, { TS_AUTHKEY: key, TS_HOSTNAME: "quiet-one" });
    try {
      const lines = await linesUntilSettled(first, RUNNING_LINE, 5000);
      expect(lines.length, lines.join("\n")).toBeLessThanOrEqual(12);
      for (const line of lines.filter((text) => / tailscaled: /.test(text))) expect(line).toMatch(SHOWN_TAILSCALED);
      expect(first.output()).not.toMatch(FALSE_ALARMS);
      const logs = await inContainer(first, ["logs"], { TS_AUTHKEY: key });
      expect(logs.exitCode).toBe(0);
      const ring = logs.stdout.split("\n");
      // Every line printed is in the ring, with its time, and so is what was not printed.
      for (const line of lines.slice(0, 3)) expect(ring.some((entry) => entry.endsWith(` ${line}`))).toBe(true);
      expect(ring.every((entry) => entry === "" || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|WARN|ERROR) /.test(entry))).toBe(true);
      expect(ring.filter((entry) => entry.includes(" INFO tailscaled: ")).length).toBeGreaterThan(30);
      expect(logs.stdout).toMatch(/INFO tailscaled: (Program starting|magicsock: |netcheck: )/);
      expect(logs.stdout).not.toContain(key.slice(-24));
    } finally {
      await stop(first);
    }
    const second = boot(dir, { TS_AUTHKEY: key, TS_HOSTNAME: "quiet-one" });
    try {
      const lines = await linesUntilSettled(second, RUNNING_LINE, 5000);
      expect(lines.length, lines.join("\n")).toBeLessThanOrEqual(8);
      expect(second.output()).not.toMatch(FALSE_ALARMS);
    } finally {
      await stop(second);
    }
  }, 150_000);

  it("`logs -f` follows the ring from another process until TERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiet-"));
    const key = await headscale.createKey();
    const run = boot(dir, { TS_AUTHKEY: key, TS_HOSTNAME: "quiet-follow", TS_USERSPACE: "true", TS_ROUTES: "", TS_CONTAINER_GATEWAY: "" });
    try {
      await run.waitFor(/INFO supervisor: tailscaled started /, 30_000);
      const pid = await run.supervisorPid();
      let followed = "";
      const follower = execa("nsenter", [`--target=${pid}`, "--mount", "--pid", findQjs(), BUNDLE, "logs", "-f"], { reject: false, buffer: false, env: { PATH: "/usr/bin:/bin" }, extendEnv: false });
      follower.stdout?.on("data", (chunk: Buffer) => (followed += chunk.toString()));
      // Lines printed after `logs -f` started reach it within the ring's flush and the follower's poll.
      await run.waitFor(RUNNING_LINE, 60_000);
      await pollFor(() => (/INFO supervisor: tailscale is running /.test(followed) ? true : undefined), 10_000, () => followed);
      // nsenter forked qjs into the PID namespace (its /proc): the signal goes to qjs itself.
      const qjs = await pollFor(() => childrenOf(follower.pid ?? 0).find((child) => commOf(child) === "qjs"), 5000);
      process.kill(qjs, "SIGTERM");
      expect((await follower).exitCode).toBe(0);
    } finally {
      await stop(run);
    }
  }, 90_000);

  it("a crash (SIGABRT: Go's trace) with TS_RESTART_LIMIT=1: the block quotes the crash line and the trace's end", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiet-"));
    const run = boot(dir, { TS_AUTHKEY: await headscale.createKey(), TS_RESTART_LIMIT: "1" });
    try {
      await run.waitFor(RUNNING_LINE, 60_000);
      const pid = await run.supervisorPid();
      const daemon = await pollFor(() => childrenOf(pid).find((child) => commOf(child) === "tailscaled"), 5000);
      const before = run.output().split("\n").length;
      process.kill(daemon, "SIGABRT");
      expect((await run.exit()).exitCode).toBe(2);
      const diagnostics = block(run.output());
      expect(diagnostics).toContain("=== tailscale supervisor failure: daemon-crash ===");
      expect(diagnostics).toContain("crash: SIGABRT: abort");
      expect(diagnostics).toMatch(/\n  goroutine \d+ /);
      // The trace itself went to the ring, not line by line into the log.
      expect(run.output().split("\n").slice(before).filter((line) => line.includes(" tailscaled: goroutine "))).toEqual([]);
    } finally {
      await stop(run);
    }
  }, 90_000);

  it("a rejected key: few lines, and the block quotes tailscaled's error", async () => {
    const run = boot(mkdtempSync(join(tmpdir(), "quiet-")), { TS_AUTHKEY: "hskey-auth-AAAAAAAAAAAA-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" });
    expect((await run.exit()).exitCode).toBe(1);
    const diagnostics = block(run.output());
    expect(diagnostics).toContain("=== tailscale supervisor failure: auth ===");
    expect(diagnostics).toContain("\n  Received error: invalid pre auth key");
    const logLines = run.output().split("\n").filter((line) => line !== "" && !line.startsWith(" ") && !/^(===|[a-z ]+:)/.test(line));
    expect(logLines.length, logLines.join("\n")).toBeLessThanOrEqual(10);
    expect(run.output()).not.toContain("BBBBBBBBBBBBBBBB");
  }, 60_000);

  it("the control server down at the first boot: the boot-timeout warning quotes tailscaled's error; lines stay few", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiet-"));
    const key = await headscale.createKey();
    await headscale.stop();
    const run = boot(dir, { TS_AUTHKEY: key, TS_BOOT_TIMEOUT: "8" });
    try {
      await run.waitFor(/=== end of diagnostics ===/, 30_000);
      const diagnostics = block(run.output());
      expect(diagnostics).toContain("=== tailscale supervisor warning: control-unreachable ===");
      expect(diagnostics).toMatch(/\n {2}Received error: fetch control key: .*connection refused/);
      const before = run.output().split("\n").filter((line) => line.includes(" supervisor: ") || line.includes(" tailscaled: "));
      expect(before.length, before.join("\n")).toBeLessThanOrEqual(12);
    } finally {
      await headscale.start();
      await stop(run);
    }
  }, 90_000);
});

// A router that boots (or runs) while its control server, or the name of it, is not there: the
// committed bundle under the real qjs as PID 1 with the REAL tailscaled v1.102.3 and a REAL Headscale
// v0.29.2, each scenario in a network namespace of its own, all at once. Deadlines follow what was
// measured (test/fixtures/tailscale/control-outage-timings.txt): Running 9-10 s after the server
// comes back, 21 s after the name resolves, back in the map poll 2 s after the server returns.
import { execa } from "execa";
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestNetwork, realBinaries, startHeadscale, type Headscale } from "../lab/headscale.ts";
import { pollFor, startSupervisorInNamespace, type SupervisorRun } from "../support/pid1.ts";
import { BUNDLE, findQjs } from "../support/qjs.ts";

const binDir = dirname(realBinaries().tailscaled);
/** How long the scenarios keep the server away. */
const OUTAGE_MS = 20_000;
const RUNNING = /INFO supervisor: tailscale is running ips=100\.64\.\d+\.\d+/;

/** One scenario: its own network namespace and Headscale, cleaned up whatever happens. */
async function withScenario(name: string, body: (context: { headscale: Headscale; netns: string; dir: string; runs: SupervisorRun[] }) => Promise<void>): Promise<void> {
  const network = await createTestNetwork(`ts-${name}-${process.pid}`);
  const headscale = await startHeadscale(network.name);
  const runs: SupervisorRun[] = [];
  try {
    await body({ headscale, netns: network.name, dir: mkdtempSync(join(tmpdir(), `outage-${name}-`)), runs });
  } finally {
    for (const run of runs) {
      const exited = await Promise.race([run.exit().then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 50))]);
      if (!exited) await run.signal("SIGTERM").catch(() => undefined);
      await run.exit();
    }
    await headscale.stop();
    await network.remove();
  }
}

function boot(context: { netns: string; dir: string; runs: SupervisorRun[] }, env: Record<string, string>, bindMounts?: Record<string, string>): SupervisorRun {
  const run = startSupervisorInNamespace(
    // TS_NO_LOGS_NO_SUPPORT: tailscaled would otherwise try to reach log.tailscale.com.
    { TS_NO_LOGS_NO_SUPPORT: "true", TS_USERSPACE: "true", TS_NETFILTER_MODE: "off", TS_PORT: "0", ...env },
    { binDir, dir: context.dir, netns: context.netns, ...(bindMounts === undefined ? {} : { bindMounts }) },
  );
  context.runs.push(run);
  return run;
}

/** Until `ms` have passed since `sinceMs`: the outage's length, a scenario parameter (not a wait for a condition). */
async function holdUntil(sinceMs: number, ms: number): Promise<void> {
  await pollFor(() => (Date.now() - sinceMs >= ms ? true : undefined), ms + 1000);
}

/** Transient trouble is never blamed on the key: no auth class, no key advice, no failure at all. */
function expectNoKeyBlame(output: string, key: string): void {
  expect(output).not.toContain("failure: auth");
  expect(output).not.toContain("=== tailscale supervisor failure");
  expect(output).not.toMatch(/preauthkeys|auth key|set TS_AUTHKEY|check TS_AUTHKEY/);
  expect(output).not.toContain(key.slice(-24));
}

/** The supervisor's own trouble warnings (not tailscaled's lines). */
const troubleWarnings = (output: string, troubleClass: string) => output.split("\n").filter((line) => line.startsWith("WARN supervisor: ") && line.includes(` class=${troubleClass} `));

describe.concurrent("control server or its name not there (real tailscaled and Headscale)", () => {
  it("first boot while the server is down, up after 20 s: Running, the key used once, nothing blamed on it", async () => {
    await withScenario("first", async (context) => {
      const { headscale } = context;
      const key = await headscale.createKey();
      await headscale.stop();
      const startedAt = Date.now();
      const run = boot(context, { TS_AUTHKEY: key, TS_LOGIN_SERVER: headscale.url });
      await run.waitFor(/WARN supervisor: control server refuses or drops the connection; tailscaled keeps trying class=control-unreachable .*connect: connection refused/, 30_000);
      await holdUntil(startedAt, OUTAGE_MS);
      await headscale.start();
      await run.waitFor(RUNNING, 90_000);
      expect(run.output()).toContain("INFO supervisor: control server reachable again class=control-unreachable");
      expect(await headscale.listNodes()).toHaveLength(1);
      expect((await headscale.listKeys()).map((entry) => entry.used)).toEqual([true]);
      // Logged in through the config file: no CLI login, no second registration.
      expect(run.output()).not.toContain("command=login");
      expect(troubleWarnings(run.output(), "control-unreachable").length).toBeLessThanOrEqual(2);
      expectNoKeyBlame(run.output(), key);
      await run.signal("SIGTERM");
      expect((await run.exit()).exitCode).toBe(0);
    });
  }, 180_000);

  it("logged in, restarted while the server is down, up after 20 s: Running again without sending the (now expired) key", async () => {
    await withScenario("restart", async (context) => {
      const { headscale } = context;
      const first = boot(context, { TS_AUTHKEY: await headscale.createKey(), TS_LOGIN_SERVER: headscale.url });
      await first.waitFor(RUNNING, 60_000);
      await first.signal("SIGTERM");
      expect((await first.exit()).exitCode).toBe(0);
      // The key in the environment has expired since: sent, it would be refused ("authkey expired").
      const expired = await headscale.createKey({ expiration: "1s" });
      await headscale.stop();
      const startedAt = Date.now();
      const run = boot(context, { TS_AUTHKEY: expired, TS_LOGIN_SERVER: headscale.url });
      await run.waitFor(/class=control-unreachable /, 30_000);
      await holdUntil(startedAt, OUTAGE_MS);
      await headscale.start();
      await run.waitFor(/INFO supervisor: control server reachable again class=control-unreachable/, 90_000);
      // The image's tailscaled keeps no netmap on flash: Running only once the server has answered.
      await run.waitFor(RUNNING, 90_000);
      await waitForOnline(headscale, 60_000);
      expect(await headscale.listNodes()).toHaveLength(1);
      expectNoKeyBlame(run.output(), expired);
      await run.signal("SIGTERM");
      expect((await run.exit()).exitCode).toBe(0);
    });
  }, 180_000);

  it("down for longer than TS_BOOT_TIMEOUT: still alive, the diagnostics once as a warning, Running when it comes back", async () => {
    await withScenario("timeout", async (context) => {
      const { headscale } = context;
      const key = await headscale.createKey();
      await headscale.stop();
      const startedAt = Date.now();
      const run = boot(context, { TS_AUTHKEY: key, TS_LOGIN_SERVER: headscale.url, TS_BOOT_TIMEOUT: "5s" });
      await run.waitFor(/=== end of diagnostics ===/, 30_000);
      await holdUntil(startedAt, OUTAGE_MS);
      expect(run.output().match(/=== tailscale supervisor warning: control-unreachable ===/g)).toHaveLength(1);
      expect(run.output()).toContain("the supervisor keeps waiting (TS_EXIT_ON_BOOT_TIMEOUT=true would exit)");
      await headscale.start();
      await run.waitFor(RUNNING, 90_000);
      expect(run.output().match(/=== tailscale supervisor (warning|failure)/g)).toHaveLength(1);
      expectNoKeyBlame(run.output(), key);
      await run.signal("SIGTERM");
      expect((await run.exit()).exitCode).toBe(0);
    });
  }, 180_000);

  it("the login server's name does not resolve at start, resolves later: Running", async () => {
    await withScenario("dns", async (context) => {
      const { headscale, dir } = context;
      const key = await headscale.createKey();
      // tailscaled resolves through these files in the supervisor's mount namespace only: no DNS
      // server at all, and a hosts file that learns the name later (tailscaled's fallback resolver
      // asks Tailscale's DERP servers too; in this namespace that traffic goes nowhere).
      const hosts = join(dir, "hosts");
      const resolv = join(dir, "resolv.conf");
      writeFileSync(hosts, "127.0.0.1 localhost\n");
      writeFileSync(resolv, "");
      const run = boot(context, { TS_AUTHKEY: key, TS_LOGIN_SERVER: headscale.url.replace("127.0.0.1", "headscale.test") }, { "/etc/hosts": hosts, "/etc/resolv.conf": resolv });
      await run.waitFor(/WARN supervisor: control server name does not resolve; tailscaled keeps trying class=dns .*failed to resolve \\"headscale\.test\\"/, 60_000);
      appendFileSync(hosts, "127.0.0.1 headscale.test\n");
      await run.waitFor(RUNNING, 90_000);
      expect(run.output()).toContain("INFO supervisor: control server reachable again class=dns");
      expect(await headscale.listNodes()).toHaveLength(1);
      expectNoKeyBlame(run.output(), key);
      await run.signal("SIGTERM");
      expect((await run.exit()).exitCode).toBe(0);
    });
  }, 180_000);

  it("Running, then the server is gone for 60 s: no restart, no exit, still Running; back in touch when it returns", async () => {
    await withScenario("lost", async (context) => {
      const { headscale } = context;
      const key = await headscale.createKey();
      const run = boot(context, { TS_AUTHKEY: key, TS_LOGIN_SERVER: headscale.url });
      await run.waitFor(RUNNING, 60_000);
      const pid = await run.supervisorPid();
      await headscale.stop();
      const stoppedAt = Date.now();
      await run.waitFor(/WARN supervisor: control server .* class=(control-unreachable|timeout) /, 30_000);
      await holdUntil(stoppedAt, 60_000);
      expect(await health(pid)).toBe(0);
      expect(run.output().match(/INFO supervisor: tailscaled started/g)).toHaveLength(1);
      expect(run.output()).not.toContain("tailscaled exited");
      expect(run.output()).not.toContain("tailscale left Running");
      await headscale.start();
      await waitForOnline(headscale, 60_000);
      expect(await health(pid)).toBe(0);
      expectNoKeyBlame(run.output(), key);
      await run.signal("SIGTERM");
      expect((await run.exit()).exitCode).toBe(0);
    });
  }, 180_000);
});

/** `health` inside the container (its mount namespace holds the recorded state): its exit code. */
async function health(supervisorPid: number): Promise<number | undefined> {
  return (await execa("nsenter", [`--target=${supervisorPid}`, "--mount", "--pid", findQjs(), BUNDLE, "health"], { reject: false })).exitCode;
}

/** Until Headscale shows the (one) node online: tailscaled is back in its map poll. */
async function waitForOnline(headscale: Headscale, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const nodes = await headscale.listNodes();
    if (nodes.length > 0 && nodes.every((node) => node.online)) return;
    if (Date.now() > deadline) throw new Error(`node not online after ${timeoutMs} ms: ${JSON.stringify(nodes)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

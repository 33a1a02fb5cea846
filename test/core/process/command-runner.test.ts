// The command runner on the fake host: output, time limits (TERM, then KILL), stop requests, bounds.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { createCommandRunner } from "../../../src/core/process/command-runner.ts";
import { createRedactor } from "../../../src/core/log/redact.ts";
import { KILL_AFTER_TERM_MS } from "../../../src/core/process/command-timeouts.ts";
import { startReaper } from "../../../src/core/process/reaper.ts";
import { createStopRequest } from "../../../src/core/process/stop-request.ts";
import { createFakeHost, type FakeProcessScript } from "../../fakes/fake-host.ts";

function setUp(script: (argv: readonly string[]) => FakeProcessScript, stopGraceMs = 3000) {
  const host = createFakeHost({ script });
  const reaper = startReaper(host);
  const stop = createStopRequest();
  const commands = createCommandRunner(host, reaper, { stop, stopGraceMs, sessionWrapper: ["setsid"], defaultEnv: { PATH: "/bin" }, redactor: createRedactor() });
  return { host, reaper, stop, commands };
}

describe("command runner", () => {
  it("collects stdout, stderr and the exit status", async () => {
    const { host, reaper, commands } = setUp(() => ({ stdout: "out\n", stderr: "err\n", runMs: 5, exit: { kind: "exited", code: 2 } }));
    const result = await host.drive(commands.run(["iptables", "-L"], { label: "iptables -L", timeoutMs: 1000 }));
    expect(result).toEqual({ ok: true, value: { status: { kind: "exited", code: 2 }, stdout: "out\n", stderr: "err\n" } });
    expect(host.spawned[0]?.options).toMatchObject({ stdout: "pipe", stderr: "pipe" });
    reaper.stop();
  });

  it("a command that outlives its time limit gets TERM, and KILL 2 s later when it ignores TERM; the message names it", async () => {
    const { host, reaper, commands } = setUp(() => ({ stdout: "half a line", onTerm: "ignore" }));
    const result = await host.drive(commands.run(["ip", "route"], { label: "ip route", timeoutMs: 5000 }));
    expect(result).toEqual({ ok: false, reason: "timed-out", error: "ip route did not finish within 5s and was ended", stdout: "half a line", stderr: "" });
    const child = host.spawned[0];
    expect(child?.signals).toEqual([SIGNAL.TERM, SIGNAL.KILL]);
    expect(child?.exitedAtMs).toBe((child?.startedAtMs ?? 0) + 5000 + KILL_AFTER_TERM_MS);
    reaper.stop();
  });

  it("one that obeys TERM ends at its time limit", async () => {
    const { host, reaper, commands } = setUp(() => ({}));
    const result = await host.drive(commands.run(["uname", "-m"], { label: "uname -m", timeoutMs: 5000 }));
    expect(result).toMatchObject({ ok: false, reason: "timed-out" });
    expect(host.spawned[0]?.signals).toEqual([SIGNAL.TERM]);
    expect(host.elapsed()).toBe(5000);
    reaper.stop();
  });

  it("a stop request ends every command within the stop grace, and no command starts after it", async () => {
    const { host, reaper, stop, commands } = setUp((argv) => ({ onTerm: argv[0] === "stubborn" ? "ignore" : "die" }), 3000);
    const stubborn = commands.run(["stubborn"], { label: "stubborn", timeoutMs: 60_000 });
    const obedient = commands.run(["obedient"], { label: "obedient", timeoutMs: 60_000 });
    host.advance(100);
    stop.request(SIGNAL.TERM, host.clock.now());
    const results = await host.drive(Promise.all([stubborn, obedient]));
    expect(results).toEqual([
      { ok: false, reason: "stopped", error: "stubborn was ended by the stop request", stdout: "", stderr: "" },
      { ok: false, reason: "stopped", error: "obedient was ended by the stop request", stdout: "", stderr: "" },
    ]);
    expect(host.spawned.map((child) => child.signals)).toEqual([[SIGNAL.TERM, SIGNAL.KILL], [SIGNAL.TERM]]);
    const ranFor = host.spawned.map((child) => (child.exitedAtMs ?? 0) - child.startedAtMs);
    expect(ranFor).toEqual([3100, 100]);
    await expect(commands.run(["late"], { label: "late", timeoutMs: 1000 })).resolves.toMatchObject({ ok: false, reason: "stopped", error: "late was not started: the supervisor is stopping" });
    expect(host.spawned).toHaveLength(2);
    expect(commands.stopping).toBe(true);
    reaper.stop();
  });

  it("a stop during a timeout's grace brings the KILL forward to the stop deadline", async () => {
    const { host, reaper, stop, commands } = setUp(() => ({ onTerm: "ignore" }), 500);
    const pending = commands.run(["ip", "rule"], { label: "ip rule", timeoutMs: 1000 });
    host.advance(1200);
    stop.request(SIGNAL.TERM, host.clock.now());
    expect(await host.drive(pending)).toMatchObject({ ok: false, reason: "timed-out" });
    expect((host.spawned[0]?.exitedAtMs ?? 0) - (host.spawned[0]?.startedAtMs ?? 0)).toBe(1700);
    reaper.stop();
  });

  it("endAll ends what runs without refusing later commands (the diagnostics after a failure)", async () => {
    const { host, reaper, commands } = setUp((argv) => (argv[0] === "hook" ? {} : { runMs: 1, exit: { kind: "exited", code: 0 } }));
    const hook = commands.run(["hook"], { label: "RUNNING_SCRIPT /x", timeoutMs: 60_000 });
    await host.drive(commands.endAll(1000));
    expect(await hook).toMatchObject({ ok: false, reason: "stopped" });
    expect(await host.drive(commands.run(["ip", "route"], { label: "ip route", timeoutMs: 1000 }))).toMatchObject({ ok: true });
    reaper.stop();
  });

  it("ownSession runs it through setsid", async () => {
    const { host, reaper, commands } = setUp(() => ({ runMs: 1, exit: { kind: "exited", code: 0 } }));
    await host.drive(commands.run(["/etc/start.sh"], { label: "STARTUP_SCRIPT /etc/start.sh", timeoutMs: 1000, ownSession: true }));
    expect(host.spawned[0]?.argv).toEqual(["setsid", "/etc/start.sh"]);
    reaper.stop();
  });

  it("keeps at most maxOutputBytes of each stream and says how much more there was", async () => {
    const { host, reaper, commands } = setUp(() => ({ stdout: "x".repeat(100), runMs: 1, exit: { kind: "exited", code: 0 } }));
    const result = await host.drive(commands.run(["chatty"], { label: "chatty", timeoutMs: 1000, maxOutputBytes: 10 }));
    expect(result).toMatchObject({ ok: true, value: { stdout: `${"x".repeat(10)}\n(90 more bytes not kept)` } });
    reaper.stop();
  });

  it("says when a command cannot be started", async () => {
    const host = createFakeHost();
    const reaper = startReaper(host);
    reaper.spawn = () => ({ ok: false, error: { code: "EMFILE", message: "cannot create pipes" } });
    const commands = createCommandRunner(host, reaper, { stop: createStopRequest(), stopGraceMs: 0, sessionWrapper: undefined, defaultEnv: { PATH: "/bin" }, redactor: createRedactor() });
    await expect(commands.run(["ip"], { label: "ip route", timeoutMs: 1000 })).resolves.toMatchObject({ ok: false, reason: "not-started", error: "ip route could not be started: cannot create pipes" });
    reaper.stop();
  });
});

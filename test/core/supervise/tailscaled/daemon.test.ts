// Starting tailscaled (in its own session when setsid is there) and relaying its output: lines logged
// (unless held back), events parsed, the last lines and the first crash line kept, the exit awaited
// with its output.
import { describe, expect, it } from "vitest";
import { fail } from "../../../../src/core/host.ts";
import { createRedactor } from "../../../../src/core/log/redact.ts";
import { startReaper } from "../../../../src/core/process/reaper.ts";
import { startDaemon, TAIL_LINES, type DaemonStart } from "../../../../src/core/supervise/tailscaled/daemon.ts";
import type { TailscaledEvent } from "../../../../src/core/supervise/tailscaled/tailscaled-events.ts";
import { createCapturedLog } from "../../../fakes/captured-log.ts";
import { createFakeHost, type FakeProcessScript } from "../../../fakes/fake-host.ts";

function start(script: FakeProcessScript, options: Partial<DaemonStart> = {}) {
  const host = createFakeHost({ script: () => script });
  const reaper = startReaper(host);
  const { log, entries } = createCapturedLog("tailscaled");
  const events: TailscaledEvent[] = [];
  const tail: string[] = [];
  const started = startDaemon(reaper, log, { argv: ["tailscaled", "--x"], env: { A: "1" }, useSetsid: false, verbose: false, clock: host.clock, tail, onEvent: (event) => events.push(event), redactor: createRedactor(), notable: [], ...options });
  return { host, reaper, entries, events, tail, started };
}

describe("startDaemon", () => {
  it("runs tailscaled with its environment and pipes, through setsid when asked", () => {
    const plain = start({ exit: { kind: "exited", code: 0 } });
    expect(plain.host.spawned[0]).toMatchObject({ argv: ["tailscaled", "--x"], options: { env: { A: "1" }, stdout: "pipe", stderr: "pipe" } });
    expect(plain.started).toMatchObject({ ok: true, daemon: { groupLeader: false, startedAtMs: plain.host.clock.now() } });
    const session = start({ exit: { kind: "exited", code: 0 } }, { useSetsid: true });
    expect(session.host.spawned[0]?.argv).toEqual(["setsid", "tailscaled", "--x"]);
    expect(session.started).toMatchObject({ ok: true, daemon: { groupLeader: true } });
  });

  it("a tailscaled that cannot be started: why", () => {
    const host = createFakeHost();
    host.processes.spawn = () => fail("ENOENT", "No such file or directory");
    const { log } = createCapturedLog();
    expect(startDaemon(startReaper(host), log, { argv: ["tailscaled"], env: {}, useSetsid: false, verbose: false, clock: host.clock, tail: [], onEvent: () => undefined, redactor: createRedactor(), notable: [] })).toEqual({ ok: false, error: "No such file or directory" });
  });

  it("logs each line of both streams, parses its events, keeps the tail, and settles the exit once the output is read", async () => {
    const { host, entries, events, tail, started } = start({
      stdout: "2026/11/25 17:35:19 out line\n",
      lines: [
        { atMs: 5, text: "2026/11/25 17:35:19 Program starting: v1.102.3, Go 1.26.8: []" },
        { atMs: 6, text: "Switching ipn state NoState -> Running (WantRunning=true, nm=true)" },
        { atMs: 7, text: "[v1] verbose" },
      ],
      runMs: 10,
      exit: { kind: "exited", code: 0 },
    });
    if (!started.ok) throw new Error(started.error);
    expect(await host.drive(started.daemon.exited)).toEqual({ kind: "exited", code: 0 });
    expect(entries.map((entry) => entry.msg)).toEqual(["out line", "Program starting: v1.102.3, Go 1.26.8: []", "Switching ipn state NoState -> Running (WantRunning=true, nm=true)"]);
    expect(events).toEqual([{ kind: "version", version: "v1.102.3" }, { kind: "state", from: "NoState", to: "Running" }]);
    expect(tail).toEqual(["out line", "Program starting: v1.102.3, Go 1.26.8: []", "Switching ipn state NoState -> Running (WantRunning=true, nm=true)", "[v1] verbose"]);
  });

  it("verbose: [vN] lines are logged too", async () => {
    const { host, entries, started } = start({ stderr: "[v1] verbose\n", runMs: 1, exit: { kind: "exited", code: 0 } }, { verbose: true });
    if (!started.ok) throw new Error(started.error);
    await host.drive(started.daemon.exited);
    expect(entries.map((entry) => entry.msg)).toEqual(["[v1] verbose"]);
  });

  it("a line held back is not logged, nor its repeat count; it still reaches the tail and events", async () => {
    const { host, entries, events, tail, started } = start({ stderr: "a\na\nReceived error: x\nReceived error: x\nb\nb\n", runMs: 1, exit: { kind: "exited", code: 1 } }, { shouldLog: (line) => !line.startsWith("Received") });
    if (!started.ok) throw new Error(started.error);
    await host.drive(started.daemon.exited);
    expect(entries.map((entry) => [entry.msg, entry.fields])).toEqual([
      ["a", undefined],
      ["previous line repeated", { times: 1 }],
      ["b", undefined],
      ["previous line repeated", { times: 1 }],
    ]);
    expect(events).toEqual([{ kind: "control-error", message: "x" }, { kind: "control-error", message: "x" }]);
    expect(tail).toHaveLength(6);
  });

  it("keeps the last 50 lines, and the first crash line however long the trace", async () => {
    const trace = Array.from({ length: 80 }, (_, index) => `goroutine ${index}`).join("\n");
    const { host, tail, started } = start({ stderr: `starting\npanic: runtime error: index out of range\n${trace}\nfatal error: later\n`, runMs: 1, exit: { kind: "exited", code: 2 } });
    if (!started.ok) throw new Error(started.error);
    await host.drive(started.daemon.exited);
    expect(tail).toHaveLength(TAIL_LINES);
    expect(tail[TAIL_LINES - 1]).toBe("fatal error: later");
    expect(started.daemon.crashLine()).toBe("panic: runtime error: index out of range");
  });

  it.each([
    ["fatal error: concurrent map writes", "fatal error: concurrent map writes"],
    ["SIGSEGV: segmentation violation", "SIGSEGV: segmentation violation"],
    ["a panic: not at the start", undefined],
  ])("crash line of %j: %j", async (line, crashLine) => {
    const { host, started } = start({ stderr: `${line}\n`, runMs: 1, exit: { kind: "exited", code: 2 } });
    if (!started.ok) throw new Error(started.error);
    await host.drive(started.daemon.exited);
    expect(started.daemon.crashLine()).toBe(crashLine);
  });
});

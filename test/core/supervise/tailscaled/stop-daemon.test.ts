// Stopping tailscaled on the fake host, whose kill(2) tells a pid from a process group: TERM to
// tailscaled alone (its helpers finish), KILL to its group when it leads one (setsid) and outlives
// the grace; once it is gone, TERM to whatever is left of its group, and KILL at the end of the grace.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../../src/core/host.ts";
import { createRedactor } from "../../../../src/core/log/redact.ts";
import { startReaper } from "../../../../src/core/process/reaper.ts";
import { startDaemon } from "../../../../src/core/supervise/tailscaled/daemon.ts";
import { forwardSignal, stopDaemon } from "../../../../src/core/supervise/tailscaled/stop-daemon.ts";
import { createCapturedLog } from "../../../fakes/captured-log.ts";
import { createFakeHost, type FakeProcessScript } from "../../../fakes/fake-host.ts";
import { daemonRuns, LINES_TO_RUNNING, runFor, startSupervisor } from "../../../fakes/supervise-fixture.ts";

describe("stopping tailscaled", () => {
  it("with setsid: TERM to tailscaled alone, then TERM and KILL to a child left in its group that ignored TERM", async () => {
    const { host, outcome } = startSupervisor({ TS_STOP_GRACE: "3" }, { tailscaled: () => ({ lines: LINES_TO_RUNNING, leavesChildInGroup: true }) });
    await runFor(host, 500);
    const stopAt = host.elapsed();
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
    // tailscaled obeyed at once; the leftover that ignores TERM is KILLed at the end of the grace, not before.
    expect(host.elapsed() - stopAt).toBeGreaterThanOrEqual(3000);
    expect(host.elapsed() - stopAt).toBeLessThanOrEqual(3000 + 200);
    const [daemon] = daemonRuns(host);
    expect(daemon?.argv[0]).toBe("setsid");
    expect(daemon?.deliveries).toEqual([{ signal: SIGNAL.TERM, to: "pid" }]);
    const leftBehind = host.spawned.find((process) => process.argv[0] === "[left-behind]");
    expect(leftBehind?.pgid).toBe(daemon?.pid);
    expect(leftBehind?.deliveries[0]).toEqual({ signal: SIGNAL.TERM, to: "group" });
    expect(leftBehind?.deliveries.at(-1)).toEqual({ signal: SIGNAL.KILL, to: "group" });
    expect(leftBehind?.deliveries.every((delivery) => delivery.to === "group")).toBe(true);
    host.advance(1);
    expect(leftBehind?.exitedAtMs).toBeDefined();
  });

  it("with setsid and a TERM that is ignored: KILL to the group after the grace period", async () => {
    const { host, outcome } = startSupervisor({ TS_STOP_GRACE: "2" }, { tailscaled: () => ({ lines: LINES_TO_RUNNING, onTerm: "ignore" }) });
    await runFor(host, 500);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
    const deliveries = daemonRuns(host)[0]?.deliveries ?? [];
    expect(deliveries.at(-1)).toEqual({ signal: SIGNAL.KILL, to: "group" });
    expect(deliveries.slice(0, -1).every((delivery) => delivery.signal === SIGNAL.TERM && delivery.to === "pid")).toBe(true);
  });

  it("without setsid: TERM to tailscaled's pid, nothing to a group it does not lead", async () => {
    const { host, outcome } = startSupervisor({}, { tailscaled: () => ({ lines: LINES_TO_RUNNING }) }, { "/usr/bin/setsid": null });
    await runFor(host, 500);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
    const [daemon] = daemonRuns(host);
    expect(daemon?.argv[0]).toBe("tailscaled");
    expect(daemon?.deliveries).toEqual([{ signal: SIGNAL.TERM, to: "pid" }]);
  });
});

describe("stopDaemon and forwardSignal on one daemon", () => {
  async function daemonOf(script: FakeProcessScript, useSetsid: boolean) {
    const host = createFakeHost({ script: () => script });
    const reaper = startReaper(host);
    const started = startDaemon(reaper, createCapturedLog().log, { argv: ["tailscaled"], env: {}, useSetsid, verbose: false, clock: host.clock, tail: [], onEvent: () => undefined, redactor: createRedactor(), notable: [] });
    if (!started.ok) throw new Error(started.error);
    await host.settle();
    return { host, daemon: started.daemon, process: host.spawned[0] };
  }

  it("a daemon that obeys TERM: one TERM to its pid, not killed, its status", async () => {
    const { host, daemon, process } = await daemonOf({}, false);
    expect(await host.drive(stopDaemon(host, daemon, 5000))).toEqual({ status: { kind: "killed", signal: SIGNAL.TERM }, killed: false });
    expect(process?.deliveries).toEqual([{ signal: SIGNAL.TERM, to: "pid" }]);
  });

  it("a daemon that ignores TERM: TERM again every 500 ms during the grace, then KILL to its pid (it leads no group)", async () => {
    const { host, daemon, process } = await daemonOf({ onTerm: "ignore" }, false);
    const start = host.elapsed();
    expect(await host.drive(stopDaemon(host, daemon, 2000))).toEqual({ status: { kind: "killed", signal: SIGNAL.KILL }, killed: true });
    expect(process?.deliveries).toEqual([...Array.from({ length: 4 }, () => ({ signal: SIGNAL.TERM, to: "pid" })), { signal: SIGNAL.KILL, to: "pid" }]);
    expect(host.elapsed() - start).toBe(2000);
  });

  it("a group leader that ignores TERM: KILL to its group", async () => {
    const { host, daemon, process } = await daemonOf({ onTerm: "ignore" }, true);
    await host.drive(stopDaemon(host, daemon, 1000));
    expect(process?.deliveries.at(-1)).toEqual({ signal: SIGNAL.KILL, to: "group" });
  });

  it("what is left of its group gets TERM at once and KILL at the end of the grace", async () => {
    const { host, daemon } = await daemonOf({ leavesChildInGroup: true }, true);
    const start = host.elapsed();
    await host.drive(stopDaemon(host, daemon, 3000));
    const leftBehind = host.spawned.find((candidate) => candidate.argv[0] === "[left-behind]");
    expect(leftBehind?.deliveries[0]).toEqual({ signal: SIGNAL.TERM, to: "group" });
    expect(leftBehind?.deliveries.at(-1)).toEqual({ signal: SIGNAL.KILL, to: "group" });
    expect(leftBehind?.deliveries.filter((delivery) => delivery.signal === SIGNAL.KILL || delivery.to !== "group")).toHaveLength(1);
    expect(host.elapsed() - start).toBe(3000);
  });

  it("forwardSignal: to tailscaled alone", async () => {
    const { host, daemon, process } = await daemonOf({ onTerm: "ignore" }, true);
    forwardSignal(host, daemon, SIGNAL.HUP);
    expect(process?.deliveries).toEqual([{ signal: SIGNAL.HUP, to: "pid" }]);
  });
});

// Stopping tailscaled on the fake host, whose kill(2) tells a pid from a process group: TERM to
// tailscaled alone (its helpers finish), KILL to its group when it leads one (setsid) and outlives
// the grace; once it is gone, TERM to whatever is left of its group, and KILL at the end of the grace.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../../src/core/host.ts";
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

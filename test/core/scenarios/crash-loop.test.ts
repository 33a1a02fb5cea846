// A tailscaled that keeps dying is class daemon-crash, whatever the boot timer says,
// and TS_RESTART_LIMIT is reached for any value (the backoff waits between restarts do not count).
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { daemonRuns, LINES_TO_RUNNING, runFor, startSupervisor } from "../../fakes/supervise-fixture.ts";

const crashing = () => ({ lines: [{ atMs: 5, text: "panic: boom" }], runMs: 20, exit: { kind: "exited", code: 2 } as const });

describe("a crash loop", () => {
  it("TS_RESTART_LIMIT=10: gives up at the 10th death, class daemon-crash, with tailscaled's code", async () => {
    const { host, outcome } = startSupervisor({ TS_RESTART_LIMIT: "10" }, { tailscaled: crashing });
    expect((await host.drive(outcome)).exitCode).toBe(2);
    expect(daemonRuns(host)).toHaveLength(10);
    // 1 + 2 + 4 + 8 + 16 + 32 + 60 + 60 + 60 s of backoff.
    expect(host.elapsed()).toBeGreaterThanOrEqual(243_000);
    expect(host.elapsed()).toBeLessThan(245_000);
    expect(host.stderr()).toContain("=== tailscale supervisor failure: daemon-crash ===");
    expect(host.stderr()).toContain("cause: tailscaled died 10 times within 60 s of running (last exit code 2)");
    expect(host.stderr()).not.toMatch(/supervisor (failure|warning): timeout/);
  });

  it("at the boot deadline it is a daemon-crash warning, not a timeout, and the supervisor goes on", async () => {
    const { host, outcome } = startSupervisor({ TS_RESTART_LIMIT: "10", TS_BOOT_TIMEOUT: "5" }, { tailscaled: crashing });
    await runFor(host, 6000);
    expect(host.stderr()).toContain("=== tailscale supervisor warning: daemon-crash ===");
    expect(host.stderr()).toMatch(/cause: tailscaled died 3 times and has not reached Running within 5 s \(last exit code 2\); the supervisor keeps restarting it/);
    expect(host.stderr()).toContain("crash: panic: boom");
    expect(host.stderr()).not.toContain("warning: timeout");
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });

  it("TS_EXIT_ON_BOOT_TIMEOUT=true: fails at the boot deadline as daemon-crash, with tailscaled's code", async () => {
    const { host, outcome } = startSupervisor({ TS_RESTART_LIMIT: "10", TS_BOOT_TIMEOUT: "5", TS_EXIT_ON_BOOT_TIMEOUT: "true" }, { tailscaled: crashing });
    expect((await host.drive(outcome)).exitCode).toBe(2);
    expect(host.elapsed()).toBeLessThan(6000);
    expect(host.stderr()).toContain("=== tailscale supervisor failure: daemon-crash ===");
  });

  it("one death, then a run that waits for the control server: the deadline names the trouble, not the crash", async () => {
    let run = 0;
    const { host, outcome } = startSupervisor({ TS_BOOT_TIMEOUT: "10", TS_LOGIN_SERVER: "https://hs.example" }, {
      tailscaled: () => (++run === 1 ? crashing() : { lines: [{ atMs: 50, text: 'Received error: fetch control key: Get "https://hs.example/key?v=142": dial tcp 10.0.0.9:443: connect: connection refused' }] }),
    });
    await runFor(host, 12_000);
    expect(host.stderr()).toContain("=== tailscale supervisor warning: control-unreachable ===");
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });

  it("after Running, a crash restarts the boot timer from that start", async () => {
    let run = 0;
    const { host, outcome } = startSupervisor({ TS_BOOT_TIMEOUT: "5", TS_RESTART_LIMIT: "20" }, {
      tailscaled: () => (++run === 1 ? { lines: LINES_TO_RUNNING, runMs: 30_000, exit: { kind: "exited", code: 1 } } : crashing()),
    });
    await runFor(host, 33_000);
    expect(host.stderr()).not.toContain("=== tailscale supervisor warning");
    await runFor(host, 4000);
    expect(host.stderr()).toContain("=== tailscale supervisor warning: daemon-crash ===");
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });
});

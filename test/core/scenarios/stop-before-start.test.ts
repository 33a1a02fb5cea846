// A stop request before tailscaled runs: nothing more is started (no preflight after a TERM during
// STARTUP_SCRIPT, no tailscaled after a TERM during preflight), exit 0.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { daemonRuns, LINES_TO_RUNNING, runFor, startSupervisor } from "../../fakes/supervise-fixture.ts";

const HOOK = "/etc/startup.sh";
const running = () => ({ lines: LINES_TO_RUNNING });
/** The program a child runs (hooks run under setsid, in a group of their own). */
const command = (process: { argv: readonly string[] }) => (process.argv[0] === "setsid" ? process.argv[1] : process.argv[0]);

describe("a stop request before tailscaled runs", () => {
  it("during STARTUP_SCRIPT: no preflight, no tailscaled, exit 0", async () => {
    const { host, outcome } = startSupervisor({ STARTUP_SCRIPT: HOOK }, { tailscaled: running, others: (argv) => (argv[0] === HOOK ? { runMs: 1000, exit: { kind: "exited", code: 0 } } : undefined) }, { [HOOK]: { kind: "file", mode: 0o755 } });
    await runFor(host, 500);
    expect(host.spawned.map(command)).toEqual([HOOK]);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
    expect(host.spawned.map(command)).toEqual([HOOK]);
    // The system line comes first; no probe, fix or plan follows the stop.
    expect(host.stderr()).not.toMatch(/preflight: (host changed|preflight check|tailscaled plan)/);
    expect(daemonRuns(host)).toEqual([]);
  });

  it("during preflight: no tailscaled, exit 0", async () => {
    // Every probe takes 300 ms, so that the TERM comes while preflight runs.
    const { host, outcome } = startSupervisor({}, { tailscaled: running, others: () => ({ runMs: 300, exit: { kind: "exited", code: 0 } }) }, {
      "/usr/bin/iptables-legacy": { kind: "file", mode: 0o755 },
      "/usr/bin/ip6tables-legacy": { kind: "file", mode: 0o755 },
    });
    await runFor(host, 100);
    expect(host.spawned.length).toBeGreaterThan(0);
    expect(host.stderr()).not.toContain("tailscaled plan");
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
    expect(daemonRuns(host)).toEqual([]);
  });
});

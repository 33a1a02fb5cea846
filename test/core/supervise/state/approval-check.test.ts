// Routes waiting for approval after Running: recorded for `health` and `doctor`, asked again with
// backoff (only while something waits), and one line once they are approved.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../../src/core/host.ts";
import { APPROVAL_CHECK_DELAYS_MS } from "../../../../src/core/supervise/state/approval-check.ts";
import type { RecordedStatus } from "../../../../src/core/supervise/state/status-file.ts";
import { LINES_TO_RUNNING, runFor, startSupervisor } from "../../../fakes/supervise-fixture.ts";

const statusJson = (allowed: readonly string[]) => JSON.stringify({ BackendState: "Running", Self: { HostName: "router", TailscaleIPs: ["100.64.0.1"], AllowedIPs: ["100.64.0.1/32", ...allowed] }, Health: [] });
const recorded = (host: ReturnType<typeof startSupervisor>["host"]) => JSON.parse(host.files.entries.get("/run/tailscale-supervisor/status.json")?.text ?? "{}") as RecordedStatus;

describe("approvals after Running", () => {
  it("with TS_LOGIN_SERVER the record says approvals may not be seen (Headscale 0.29 tells a node only when it reconnects)", async () => {
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: "hskey-auth-abcdefghijkl-SECRETSECRETSECRET", TS_ROUTES: "192.168.88.0/24", TS_LOGIN_SERVER: "http://hs.example.test" }, { tailscaled: () => ({ lines: LINES_TO_RUNNING }), status: () => ({ stdout: statusJson([]), runMs: 5, exit: { kind: "exited", code: 0 } }) });
    await runFor(host, 1000);
    expect(recorded(host).routes).toMatchObject({ pending: ["192.168.88.0/24"], approvalsSeen: false });
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });

  it("asks again after 30 s, 1, 2, 4, 8 ... min, records it, and says once when the routes are approved", async () => {
    let calls = 0;
    const approvedAtCall = 6;
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: "hskey-auth-abcdefghijkl-SECRETSECRETSECRET", TS_ROUTES: "192.168.88.0/24" }, {
      tailscaled: () => ({ lines: LINES_TO_RUNNING }),
      status: () => ({ stdout: statusJson(++calls >= approvedAtCall ? ["192.168.88.0/24"] : []), runMs: 5, exit: { kind: "exited", code: 0 } }),
    });
    await runFor(host, 1000);
    expect(calls).toBe(1);
    expect(recorded(host).routes).toEqual({ advertised: ["192.168.88.0/24"], approved: [], pending: ["192.168.88.0/24"], checkedAtMs: expect.any(Number), approvalsSeen: true });
    expect(host.stderr()).toContain("WARN supervisor: advertised routes are not approved yet routes=192.168.88.0/24");
    const delays = APPROVAL_CHECK_DELAYS_MS;
    await runFor(host, (delays[0] ?? 0) + 100);
    expect(calls).toBe(2);
    await runFor(host, (delays[1] ?? 0) + (delays[2] ?? 0) + (delays[3] ?? 0));
    expect(calls).toBe(5);
    expect(host.stderr()).not.toContain("advertised routes approved");
    await runFor(host, delays[4] ?? 0);
    expect(calls).toBe(6);
    expect(host.stderr()).toContain("INFO supervisor: advertised routes approved routes=192.168.88.0/24\n");
    expect(recorded(host).routes?.pending).toEqual([]);
    // Nothing waits any more: no more CLI execs.
    await runFor(host, 3_600_000);
    expect(calls).toBe(6);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });

  it("approved at Running: asks nothing more", async () => {
    let calls = 0;
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: "hskey-auth-abcdefghijkl-SECRETSECRETSECRET", TS_ROUTES: "192.168.88.0/24" }, {
      tailscaled: () => ({ lines: LINES_TO_RUNNING }),
      status: () => ({ stdout: statusJson(calls++ >= 0 ? ["192.168.88.0/24"] : []), runMs: 5, exit: { kind: "exited", code: 0 } }),
    });
    await runFor(host, 3_600_000);
    expect(calls).toBe(1);
    expect(recorded(host).routes?.approved).toEqual(["192.168.88.0/24"]);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });

  it("an exit node offered and not approved is recorded as such, and asked about again", async () => {
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: "hskey-auth-abcdefghijkl-SECRETSECRETSECRET", TS_EXTRA_ARGS: "--advertise-exit-node" }, { tailscaled: () => ({ lines: LINES_TO_RUNNING }), status: () => ({ stdout: statusJson([]), runMs: 5, exit: { kind: "exited", code: 0 } }) });
    await runFor(host, 1000);
    expect(recorded(host).exitNode).toEqual({ offered: true, approved: false });
    expect(recorded(host).routes?.approvalsSeen).toBe(true);
    await runFor(host, (APPROVAL_CHECK_DELAYS_MS[0] ?? 0) + 100);
    expect(host.spawned.filter((process) => process.argv.includes("status"))).toHaveLength(2);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });
});

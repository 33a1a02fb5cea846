// What `health` checks from the recorded status: healthy only when the supervisor is alive, the node
// Running and nothing the user must act on is pending (traffic-stopping warnings, blocked forwarding,
// routes or exit node unapproved past the grace, the control server away past its grace).
import { describe, expect, it } from "vitest";
import type { RecordedStatus } from "../../../../src/core/supervise/state/status-file.ts";
import { APPROVAL_GRACE_MS, APPROVE_IN_CONSOLE, APPROVE_IN_HEADSCALE, CONTROL_TROUBLE_GRACE_MS, judgeHealth, LOGIN_FIX, MACHINE_FIX, SELF_HOSTED_APPROVALS, type HealthCheck } from "../../../../src/core/supervise/state/health-checks.ts";

const NOW = 1_700_000_000_000;
const MINUTE = 60_000;
const RUNNING: RecordedStatus = { supervisorPid: 7, state: "Running", sinceMs: NOW - 5 * MINUTE, startedAtMs: NOW - 6 * MINUTE, runningSinceMs: NOW - 5 * MINUTE, restarts: 2 };
const APPROVE = `${APPROVE_IN_CONSOLE}, or ${APPROVE_IN_HEADSCALE}`;

const check = (status: RecordedStatus, id: HealthCheck["id"], nowMs = NOW): HealthCheck | undefined => judgeHealth(status, true, nowMs).find((one) => one.id === id);

describe("judgeHealth", () => {
  it("no recorded state, or its supervisor gone: that one failed check", () => {
    expect(judgeHealth(undefined, true, NOW)).toEqual([{ id: "supervisor", ok: false, what: "no recorded state", fix: "is the supervisor running in this container?" }]);
    expect(judgeHealth(RUNNING, false, NOW)).toEqual([{ id: "supervisor", ok: false, what: "the supervisor that recorded the state (pid 7) is gone", fix: "restart the container" }]);
  });

  it("a Running node with nothing pending: every check, in order, all ok", () => {
    expect(judgeHealth(RUNNING, true, NOW)).toEqual([
      { id: "supervisor", ok: true, what: "up 6m, tailscaled restarted 2 times" },
      { id: "state", ok: true, what: "Running for 5m" },
      { id: "tailscaled-health", ok: true, what: "no warning that stops traffic" },
      { id: "forwarding", ok: true, what: "routed traffic can pass" },
      { id: "routes", ok: true, what: "none advertised" },
      { id: "exit-node", ok: true, what: "not offered" },
      { id: "control", ok: true, what: "no trouble reaching the control server" },
    ]);
  });

  it("an older supervisor's status (only pid, state, since): ages from `since`, no restarts, never a negative age", () => {
    const minimal: RecordedStatus = { supervisorPid: 1, state: "Running", sinceMs: NOW - 90_000 };
    expect(check(minimal, "supervisor")?.what).toBe("up 1m30s, tailscaled restarted 0 times");
    expect(check(minimal, "state")?.what).toBe("Running for 1m30s");
    expect(check({ ...minimal, sinceMs: NOW + 5000 }, "state")?.what).toBe("Running for 0s");
  });

  it.each<[string, Partial<RecordedStatus>, Omit<HealthCheck, "id">]>([
    ["failed", { state: "Failed" }, { ok: false, what: "the supervisor failed and is ending", fix: "read the diagnostics block in the log" }],
    ["waiting for a login", { state: "NeedsLogin", waitingFor: "login" }, { ok: false, what: "NeedsLogin: waiting for a login for 2m", fix: LOGIN_FIX }],
    ["waiting for the machine's approval", { state: "NeedsMachineAuth", waitingFor: "approval" }, { ok: false, what: "NeedsMachineAuth: waiting for the machine's approval for 2m", fix: MACHINE_FIX }],
    ["past the boot timeout", { state: "Starting", bootTimeoutMs: 90_000, bootTimedOut: true }, { ok: false, what: "Starting for 2m, not Running past TS_BOOT_TIMEOUT 1m30s", fix: "read the diagnostics warning in the log" }],
    ["past a boot timeout not recorded", { state: "NoState", bootTimedOut: true }, { ok: false, what: "NoState for 2m, not Running past TS_BOOT_TIMEOUT", fix: "read the diagnostics warning in the log" }],
    ["starting", { state: "Starting", bootTimeoutMs: 300_000, bootTimedOut: false }, { ok: false, what: "Starting for 2m: starting (within TS_BOOT_TIMEOUT 5m)" }],
  ])("state %s", (_, patch, expected) => {
    const status: RecordedStatus = { supervisorPid: 7, state: "Running", sinceMs: NOW - 2 * MINUTE, ...patch };
    expect(check(status, "state")).toEqual({ id: "state", ...expected });
  });

  it("fails on a warning that stops traffic, naming each with its age; other warnings are only listed", () => {
    const health = [
      { warnable: "dns", message: "no DNS", sinceMs: NOW - MINUTE },
      { warnable: "router", message: "iptables failed", sinceMs: NOW - 2 * MINUTE },
      { warnable: "no-derp-home", message: "no home relay", sinceMs: NOW - 3 * MINUTE },
    ];
    expect(check({ ...RUNNING, health }, "tailscaled-health")).toEqual({ id: "tailscaled-health", ok: false, what: "router for 2m: iptables failed; no-derp-home for 3m: no home relay", fix: "tailscaled's health line in the log; `doctor`" });
    expect(check({ ...RUNNING, health: [health[0]!] }, "tailscaled-health")).toEqual({ id: "tailscaled-health", ok: true, what: "no warning that stops traffic (dns active)" });
  });

  it("fails on blocked forwarding, with what blocks it", () => {
    expect(check({ ...RUNNING, forwardingBlocked: "net.ipv4.ip_forward is 0 and /proc/sys is read-only" }, "forwarding")).toEqual({ id: "forwarding", ok: false, what: "net.ipv4.ip_forward is 0 and /proc/sys is read-only", fix: "Docker: --sysctl net.ipv4.ip_forward=1" });
  });

  const routes = (pending: string[], approvalsSeen = true) => ({ advertised: ["10.0.0.0/8", "192.168.1.0/24"], approved: ["10.0.0.0/8", "192.168.1.0/24"].filter((route) => !pending.includes(route)), pending, checkedAtMs: NOW, approvalsSeen });

  it("routes: approved ones are fine; pending ones only past the grace after Running", () => {
    expect(check({ ...RUNNING, routes: routes([]) }, "routes")).toEqual({ id: "routes", ok: true, what: "approved: 10.0.0.0/8, 192.168.1.0/24" });
    expect(check({ ...RUNNING, routes: { ...routes([]), advertised: [], approved: [] } }, "routes")).toEqual({ id: "routes", ok: true, what: "none advertised" });
    expect(check({ ...RUNNING, routes: routes(["192.168.1.0/24"]) }, "routes")).toEqual({ id: "routes", ok: true, what: "192.168.1.0/24 advertised, not approved yet", fix: APPROVE });
    const atGrace = { ...RUNNING, runningSinceMs: NOW - APPROVAL_GRACE_MS, routes: routes(["192.168.1.0/24"]) };
    expect(check(atGrace, "routes")?.ok).toBe(true);
    expect(check(atGrace, "routes", NOW + 1000)).toEqual({ id: "routes", ok: false, what: "192.168.1.0/24 advertised, not approved for 10m1s", fix: APPROVE });
  });

  it("routes not yet Running are never overdue; a self-hosted server's pending routes are not failed on", () => {
    const starting: RecordedStatus = { ...RUNNING, state: "Starting", runningSinceMs: NOW - 2 * APPROVAL_GRACE_MS, routes: routes(["10.0.0.0/8"]) };
    expect(check(starting, "routes")?.ok).toBe(true);
    const selfHosted = { ...RUNNING, runningSinceMs: NOW - 2 * APPROVAL_GRACE_MS, routes: routes(["10.0.0.0/8"], false) };
    expect(check(selfHosted, "routes")).toEqual({ id: "routes", ok: true, what: `10.0.0.0/8 not approved when the node last heard (${SELF_HOSTED_APPROVALS})` });
  });

  it.each<[string, Partial<RecordedStatus>, Omit<HealthCheck, "id">]>([
    ["not offered", { exitNode: { offered: false, approved: false } }, { ok: true, what: "not offered" }],
    ["offered, approval unknown", { exitNode: { offered: true } }, { ok: true, what: "offered" }],
    ["offered and approved", { exitNode: { offered: true, approved: true } }, { ok: true, what: "offered" }],
    ["unapproved within the grace", { exitNode: { offered: true, approved: false } }, { ok: true, what: "offered, not approved yet", fix: APPROVE }],
    ["unapproved past the grace", { runningSinceMs: NOW - 11 * MINUTE, exitNode: { offered: true, approved: false } }, { ok: false, what: "offered, not approved for 11m", fix: APPROVE }],
    ["unapproved by a self-hosted server", { runningSinceMs: NOW - 11 * MINUTE, exitNode: { offered: true, approved: false }, routes: { advertised: [], approved: [], pending: [], checkedAtMs: NOW, approvalsSeen: false } }, { ok: true, what: `offered, not approved when the node last heard (${SELF_HOSTED_APPROVALS})` }],
  ])("exit node %s", (_, patch, expected) => {
    expect(check({ ...RUNNING, ...patch }, "exit-node")).toEqual({ id: "exit-node", ...expected });
  });

  it("the control server away: ok within its grace, failed after", () => {
    const trouble = { troubleClass: "dns", message: "no such host", sinceMs: NOW - CONTROL_TROUBLE_GRACE_MS } as const;
    const fix = "the supervisor's warning in the log has the fix";
    expect(check({ ...RUNNING, controlTrouble: trouble }, "control")).toEqual({ id: "control", ok: true, what: "dns for 1h: no such host", fix });
    expect(check({ ...RUNNING, controlTrouble: trouble }, "control", NOW + 1)).toEqual({ id: "control", ok: false, what: "dns for 1h: no such host", fix });
  });

  it("healthy means every check ok: any one failing fails the whole", () => {
    const healthy = (status: RecordedStatus): boolean => judgeHealth(status, true, NOW).every((one) => one.ok);
    expect(healthy(RUNNING)).toBe(true);
    expect(healthy({ ...RUNNING, forwardingBlocked: "off" })).toBe(false);
    expect(healthy({ ...RUNNING, state: "Stopped" })).toBe(false);
  });
});

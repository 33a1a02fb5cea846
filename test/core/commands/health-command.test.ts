// `health` on the fake host, in each state it documents: exit 0 only when Running and nothing waits
// for the user; every other case exits 1 and says why (one line; `--explain`: every check). It reads
// the recorded status only and runs nothing.
import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/core/run.ts";
import type { RecordedStatus, StatusPatch } from "../../../src/core/supervise/state/status-file.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";
import type { FakeEntry } from "../../fakes/fake-files.ts";

const MOUNTINFO = "1 0 8:1 / / rw - ext4 /dev/root rw\n22 1 0:21 / /run rw,nosuid - tmpfs tmpfs rw\n";
const STATUS = "/run/tailscale-supervisor/status.json";
const SUPERVISOR_ALIVE = { "/proc/1": { kind: "directory", mode: 0o555 } as Partial<FakeEntry> };
const NOW = 1_700_000_000_000;
const MINUTE = 60_000;

async function health(files: Record<string, string | Partial<FakeEntry>>, argv = ["health"]) {
  const host = createFakeHost({ argv, startMs: NOW, files: { "/proc/self/mountinfo": MOUNTINFO, "/run": { kind: "directory", mode: 0o755 }, ...files } });
  const outcome = await host.drive(runCli(host));
  return { exitCode: outcome.exitCode, stderr: host.stderr(), stdout: host.stdout(), spawned: host.spawned.length };
}

const RUNNING: RecordedStatus = { supervisorPid: 1, state: "Running", sinceMs: NOW - 20 * MINUTE, runningSinceMs: NOW - 20 * MINUTE, startedAtMs: NOW - 21 * MINUTE, bootTimeoutMs: 60_000, restarts: 0, health: [], routes: { advertised: ["192.168.88.0/24"], approved: ["192.168.88.0/24"], pending: [], checkedAtMs: NOW - MINUTE, approvalsSeen: true }, exitNode: { offered: false } };
const recorded = (status: StatusPatch) => ({ [STATUS]: JSON.stringify({ ...RUNNING, ...status }), ...SUPERVISOR_ALIVE });

describe("health", () => {
  it("Running, nothing pending: exit 0, quietly, without running anything", async () => {
    expect(await health(recorded({}))).toEqual({ exitCode: 0, stderr: "", stdout: "", spawned: 0 });
  });

  it.each<[string, StatusPatch, string]>([
    ["starting (within the boot timeout)", { state: "Starting", sinceMs: NOW - 5000, runningSinceMs: undefined }, "state: Starting for 5s: starting (within TS_BOOT_TIMEOUT 1m)"],
    ["not Running past the boot timeout", { state: "NoState", sinceMs: NOW - 3 * MINUTE, bootTimedOut: true }, "state: NoState for 3m, not Running past TS_BOOT_TIMEOUT 1m"],
    ["waiting for a login URL", { state: "NeedsLogin", sinceMs: NOW - MINUTE, waitingFor: "login" }, "state: NeedsLogin: waiting for a login for 1m"],
    ["waiting for the machine's approval", { state: "NeedsMachineAuth", sinceMs: NOW - MINUTE, waitingFor: "approval" }, "state: NeedsMachineAuth: waiting for the machine's approval for 1m"],
    ["tailscaled restarting", { state: "Stopped", sinceMs: NOW - 1000 }, "state: Stopped for 1s: starting (within TS_BOOT_TIMEOUT 1m)"],
    ["the supervisor failing", { state: "Failed", sinceMs: NOW - 1000 }, "state: the supervisor failed and is ending"],
    ["tailscaled could not set up its firewall", { health: [{ warnable: "router", message: "setting up netfilter: exit status 1", sinceMs: NOW - MINUTE }] }, "tailscaled-health: router for 1m: setting up netfilter: exit status 1"],
    ["no network", { health: [{ warnable: "network-status", message: "Tailscale cannot connect because the network is down.", sinceMs: NOW - MINUTE }] }, "tailscaled-health: network-status for 1m"],
    ["forwarding blocked", { forwardingBlocked: "net.ipv4.ip_forward is 0 and /proc/sys is read-only" }, "forwarding: net.ipv4.ip_forward is 0 and /proc/sys is read-only"],
    ["routes unapproved past the grace", { routes: { advertised: ["192.168.88.0/24"], approved: [], pending: ["192.168.88.0/24"], checkedAtMs: NOW, approvalsSeen: true } }, "routes: 192.168.88.0/24 advertised, not approved for 20m"],
    ["the exit node unapproved past the grace", { exitNode: { offered: true, approved: false } }, "exit-node: offered, not approved for 20m"],
    ["the control server away for over an hour", { controlTrouble: { troubleClass: "control-unreachable", message: "connection refused", sinceMs: NOW - 61 * MINUTE } }, "control: control-unreachable for 1h1m: connection refused"],
  ])("%s: exit 1 with why", async (_name, status, reason) => {
    const result = await health(recorded(status));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^WARN health: unhealthy state=\w+ reasons="/);
    expect(result.stderr).toContain(reason);
    expect(result.spawned).toBe(0);
  });

  it.each<[string, StatusPatch]>([
    ["routes not approved yet, within the grace", { runningSinceMs: NOW - MINUTE, routes: { advertised: ["192.168.88.0/24"], approved: [], pending: ["192.168.88.0/24"], checkedAtMs: NOW, approvalsSeen: true } }],
    ["a warning that does not stop traffic", { health: [{ warnable: "derp-timed-out", message: "not heard from the relay in 2m5s", sinceMs: NOW - MINUTE }] }],
    ["the control server away for half an hour (tunnels still up)", { controlTrouble: { troubleClass: "dns", message: "no such host", sinceMs: NOW - 30 * MINUTE } }],
    ["an exit node offered and approved", { exitNode: { offered: true, approved: true } }],
    // Headscale 0.29 tells a node of an approval only when it reconnects: pending may be stale, so not held against it.
    ["routes pending as a self-hosted server's node last heard", { routes: { advertised: ["192.168.88.0/24"], approved: [], pending: ["192.168.88.0/24"], checkedAtMs: NOW, approvalsSeen: false } }],
  ])("%s: exit 0", async (_name, status) => {
    expect((await health(recorded(status))).exitCode).toBe(0);
  });

  it("Running recorded by a supervisor that is gone: exit 1", async () => {
    const result = await health({ [STATUS]: JSON.stringify(RUNNING) });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("supervisor: the supervisor that recorded the state (pid 1) is gone");
  });

  it.each([
    ["no recorded state", {}],
    ["an unreadable one", { [STATUS]: "{not json" }],
    ["one without a pid", { [STATUS]: JSON.stringify({ state: "Running", sinceMs: 1 }) }],
  ])("%s: exit 1", async (_name, files) => {
    const result = await health({ ...files, ...SUPERVISOR_ALIVE });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('WARN health: unhealthy reasons="supervisor: no recorded state" dir=/run/tailscale-supervisor\n');
  });

  it("an older supervisor's status (state only) still answers", async () => {
    expect((await health({ [STATUS]: JSON.stringify({ supervisorPid: 1, state: "Running", sinceMs: NOW }), ...SUPERVISOR_ALIVE })).exitCode).toBe(0);
  });

  it("--explain prints every check and the verdict on stdout, exit code as without it", async () => {
    const result = await health(recorded({ routes: { advertised: ["192.168.88.0/24"], approved: [], pending: ["192.168.88.0/24"], checkedAtMs: NOW, approvalsSeen: true } }), ["health", "--explain"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n")).toEqual([
      "OK   supervisor: up 21m, tailscaled restarted 0 times",
      "OK   state: Running for 20m",
      "OK   tailscaled-health: no warning that stops traffic",
      "OK   forwarding: routed traffic can pass",
      "FAIL routes: 192.168.88.0/24 advertised, not approved for 20m -- fix: approve in the admin console (Machines > Edit route settings), or headscale nodes approve-routes --identifier NODE_ID --routes ...",
      "OK   exit-node: not offered",
      "OK   control: no trouble reaching the control server",
      "result: unhealthy (routes)",
      "",
    ]);
    expect((await health(recorded({}), ["health", "--explain"])).stdout).toContain("result: healthy\n");
  });
});

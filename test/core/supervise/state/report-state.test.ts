// Telling where tailscaled is: the login URL, the approval step, the Running summary (with the routes
// approved or not and forwarding that blocks them), leaving Running; recorded for `health`.
import { describe, expect, it } from "vitest";
import { createStateReporter, reportState, type ReportContext } from "../../../../src/core/supervise/state/report-state.ts";
import { createStatusRecorder, readStatus, type StatusRecorder } from "../../../../src/core/supervise/state/status-file.ts";
import type { ApprovalWatch } from "../../../../src/core/supervise/state/approval-check.ts";
import type { LanRouting } from "../../../../src/core/lan/lan-routing.ts";
import type { RunningSummary } from "../../../../src/core/supervise/state/running-summary.ts";
import { createCapturedLog } from "../../../fakes/captured-log.ts";
import { configOf } from "../../../fakes/config-of.ts";
import { createFakeCommands, type FakeAnswer } from "../../../fakes/fake-commands.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const DIR = "/run/tailscale-supervisor";
const STATUS = JSON.stringify({ Self: { HostName: "r", DNSName: "r.ts.net.", TailscaleIPs: ["100.64.0.1"], AllowedIPs: ["100.64.0.1/32", "10.0.0.0/8"] }, Health: ["health one"] });

describe("createStateReporter", () => {
  it("records each new state and its time in the status; the same state again changes nothing; Running also records since when", () => {
    const host = createFakeHost({ files: { [DIR]: { kind: "directory", mode: 0o700 } } });
    let now = 1000;
    const recorder = createStatusRecorder(host.files, DIR, { supervisorPid: 1, state: "NoState", sinceMs: 0 });
    const reporter = createStateReporter(recorder, () => now);
    expect(reporter.current()).toBe("NoState");
    reporter.record("Starting");
    now = 2000;
    reporter.record("Starting");
    expect(readStatus(host.files, DIR)).toEqual({ supervisorPid: 1, state: "Starting", sinceMs: 1000 });
    recorder.update({ bootTimedOut: true });
    reporter.record("Running");
    expect([reporter.current(), readStatus(host.files, DIR)]).toEqual(["Running", { supervisorPid: 1, state: "Running", sinceMs: 2000, runningSinceMs: 2000, bootTimedOut: false }]);
    now = 3000;
    reporter.record("Stopped");
    expect(readStatus(host.files, DIR)).toEqual({ supervisorPid: 1, state: "Stopped", sinceMs: 3000, bootTimedOut: false });
  });

  it("without a runtime dir it only remembers", () => {
    const host = createFakeHost();
    const reporter = createStateReporter(createStatusRecorder(host.files, undefined, { supervisorPid: 1, state: "NoState", sinceMs: 0 }), () => 0);
    reporter.record("Running");
    expect([reporter.current(), [...host.files.entries.keys()]]).toEqual(["Running", ["/"]]);
  });

  it("records tailscaled's version once, when nothing recorded one before", () => {
    const recorder = createStatusRecorder(createFakeHost().files, undefined, { supervisorPid: 1, state: "NoState", sinceMs: 0 });
    const reporter = createStateReporter(recorder, () => 0);
    reporter.noteVersion("1.102.3-t1");
    reporter.noteVersion("1.104.0-t2");
    expect(recorder.current().tailscaledVersion).toBe("1.102.3-t1");
  });

  it("remembers whether it waits for the user, and for what", () => {
    const recorder = createStatusRecorder(createFakeHost().files, undefined, { supervisorPid: 1, state: "NoState", sinceMs: 0 });
    const reporter = createStateReporter(recorder, () => 0);
    expect(reporter.isWaitingForUser()).toBe(false);
    reporter.setWaitingForUser("approval");
    expect([reporter.isWaitingForUser(), recorder.current().waitingFor]).toEqual([true, "approval"]);
    reporter.setWaitingForUser(undefined);
    expect(reporter.isWaitingForUser()).toBe(false);
  });
});

/** An approval watch that records what it is told. */
function recordingApprovals() {
  const noted: Array<{ summary: RunningSummary | undefined; blocked: string | undefined }> = [];
  let stops = 0;
  const watch: ApprovalWatch = {
    noteSummary: (summary, blocked) => void noted.push({ summary, blocked }),
    stop: () => void (stops += 1),
  };
  return { watch, noted, stops: () => stops };
}

const recordedVersion = (value: ReportContext & { recorder: StatusRecorder }): string | undefined => value.recorder.current().tailscaledVersion;

/** LAN routing that records the addresses it is given at Running and answers with `masquerade`. */
function recordingLan(kernel: boolean, masquerade = "on (IPv4; legacy)") {
  const given: Array<readonly string[] | undefined> = [];
  const lan: LanRouting = { kernel, onRunning: async (ips) => (given.push(ips), { masquerade }), remove: async () => undefined };
  return { lan, given };
}

function context(env: Record<string, string>, answer: FakeAnswer = { stdout: STATUS }, files: Record<string, string> = { "/proc/sys/net/ipv4/ip_forward": "1\n" }, forwardingNeeds = { ipv4: false, ipv6: false }) {
  const host = createFakeHost({ files });
  const { log, entries } = createCapturedLog();
  const commands = createFakeCommands(() => answer);
  const approvals = recordingApprovals();
  const recorder = createStatusRecorder(host.files, undefined, { supervisorPid: 1, state: "NoState", sinceMs: 0 });
  const reporter = createStateReporter(recorder, () => 0);
  const value: ReportContext & { recorder: StatusRecorder } = { recorder,  log, config: configOf(env), commands: commands.runner, files: host.files, reporter, daemonEnv: { PATH: "/x" }, describeMode: "kernel TUN, firewall iptables", forwardingNeeds, approvals: approvals.watch };
  return { value, entries, commands, approvals };
}

describe("reportState", () => {
  it("a login URL: a warning with the URL, and the supervisor waits for the user", () => {
    const { value, entries } = context({});
    expect(reportState(value, { kind: "auth-url", url: "https://login.example/a/1" })).toBeUndefined();
    expect(entries).toEqual([{ level: "warn", component: "supervisor", msg: "LOGIN REQUIRED: open this URL to add the node to your tailnet", fields: { url: "https://login.example/a/1", fix: "or set TS_AUTHKEY to log in without a browser" } }]);
    expect(value.reporter.isWaitingForUser()).toBe(true);
    expect(value.recorder.current().waitingFor).toBe("login");
  });

  it("approval needed: recorded as waiting for an approval", () => {
    const { value } = context({});
    reportState(value, { kind: "state", to: "NeedsMachineAuth" });
    expect(value.recorder.current().waitingFor).toBe("approval");
  });

  it.each([
    [{}, "approve the machine in the Tailscale admin console (Machines)"],
    [{ TS_LOGIN_SERVER: "https://hs.example" }, "approve it on the Headscale server: headscale nodes list, then headscale nodes register/approve as your version requires"],
  ])("approval needed (%j): a warning with the step, waiting for the user", (env, fix) => {
    const { value, entries } = context(env);
    reportState(value, { kind: "state", to: "NeedsMachineAuth" });
    expect(entries).toEqual([{ level: "warn", component: "supervisor", msg: "the node waits for approval", fields: { fix } }]);
    expect(value.reporter.isWaitingForUser()).toBe(true);
    reportState(value, { kind: "state", to: "Starting" });
    expect(value.reporter.isWaitingForUser()).toBe(false);
  });

  it("the same state again says nothing", () => {
    const { value, entries } = context({});
    reportState(value, { kind: "state", to: "NeedsMachineAuth" });
    reportState(value, { kind: "state", to: "NeedsMachineAuth" });
    expect(entries).toHaveLength(1);
  });

  it("Running: the summary line from tailscale status, the routes pending approval; the summary to the approval watch", async () => {
    const { value, entries, commands, approvals } = context({ TS_ROUTES: "10.0.0.0/8,192.168.0.0/16" });
    await reportState(value, { kind: "state", to: "Running" });
    expect(commands.ran).toEqual([["tailscale", "--socket=/var/run/tailscale/tailscaled.sock", "status", "--json", "--peers=false"]]);
    expect(commands.options).toEqual([{ label: "tailscale status", timeoutMs: 30_000, env: { PATH: "/x" }, maxOutputBytes: 1024 * 1024 }]);
    expect(entries).toEqual([
      { level: "info", component: "supervisor", msg: "tailscale is running", fields: { ips: ["100.64.0.1"], hostname: "r.ts.net", routes: ["10.0.0.0/8", "192.168.0.0/16"], approved: ["10.0.0.0/8"], pending: ["192.168.0.0/16"], exitNode: "no", mode: "kernel TUN, firewall iptables", forwarding: undefined, fix: undefined } },
      { level: "warn", component: "supervisor", msg: "advertised routes are not approved yet", fields: { routes: ["192.168.0.0/16"], fix: "approve the routes in the admin console (Machines > Edit route settings)" } },
    ]);
    // tailscaled's health is logged as it appears (quiet-filter.ts), not again here; the watch gets the summary.
    expect(approvals.noted).toEqual([{ summary: expect.objectContaining({ approvedRoutes: ["10.0.0.0/8"], pendingRoutes: ["192.168.0.0/16"], health: ["health one"] }), blocked: undefined }]);
  });

  it("Running: the status's version recorded (a tailscaled built without logtail never prints it)", async () => {
    const { value } = context({}, { stdout: JSON.stringify({ Version: "1.102.3-t1", Self: { HostName: "r" } }) });
    await reportState(value, { kind: "state", to: "Running" });
    expect(recordedVersion(value)).toBe("1.102.3-t1");
  });

  it("Running with LAN routing: its rules get the node's addresses, the line its masquerade and, in kernel mode, the RouterOS DNS forward", async () => {
    const json = JSON.stringify({ Self: { HostName: "r", TailscaleIPs: ["100.64.0.1", "fd7a::1"] }, CurrentTailnet: { MagicDNSEnabled: true, MagicDNSSuffix: "tail.example." } });
    for (const kernel of [true, false]) {
      const { value, entries } = context({}, { stdout: json });
      const routing = recordingLan(kernel);
      await reportState({ ...value, lan: routing.lan }, { kind: "state", to: "Running" });
      expect(routing.given).toEqual([["100.64.0.1", "fd7a::1"]]);
      expect(entries[0]?.fields).toMatchObject({ masquerade: "on (IPv4; legacy)", magicDns: "tail.example", routerOsDns: kernel ? expect.stringContaining("forward-to=100.100.100.100") : undefined });
    }
  });

  it("Running without LAN routing (no kernel LAN path known): MagicDNS named, no RouterOS DNS forward", async () => {
    const json = JSON.stringify({ Self: { HostName: "r", TailscaleIPs: ["100.64.0.1"] }, CurrentTailnet: { MagicDNSEnabled: true, MagicDNSSuffix: "tail.example." } });
    const { value, entries } = context({}, { stdout: json });
    await reportState(value, { kind: "state", to: "Running" });
    expect(entries[0]?.fields).toMatchObject({ magicDns: "tail.example", routerOsDns: undefined });
  });

  it("Running with LAN routing but no status: the rules are ensured without addresses", async () => {
    const { value } = context({}, { failure: "timed-out", error: "ended" });
    const routing = recordingLan(true);
    await reportState({ ...value, lan: routing.lan }, { kind: "state", to: "Running" });
    expect(routing.given).toEqual([undefined]);
  });

  it("a stop while the LAN rules are put in place: no Running line", async () => {
    const { value, entries, commands } = context({});
    const routing = recordingLan(true);
    const lan: LanRouting = { ...routing.lan, onRunning: async (ips) => (commands.stop(0), routing.lan.onRunning(ips)) };
    await reportState({ ...value, lan }, { kind: "state", to: "Running" });
    expect(entries).toEqual([]);
  });

  it("Running without routes, an exit node offered, on Headscale", async () => {
    const json = JSON.stringify({ Self: { HostName: "r", TailscaleIPs: ["100.64.0.1"] } });
    const { value, entries } = context({ TS_EXTRA_ARGS: "--advertise-exit-node", TS_LOGIN_SERVER: "https://hs.example" }, { stdout: json });
    await reportState(value, { kind: "state", to: "Running" });
    expect(entries).toEqual([{ level: "info", component: "supervisor", msg: "tailscale is running", fields: { ips: ["100.64.0.1"], hostname: "r", routes: "none", approved: undefined, pending: undefined, exitNode: "offered", mode: "kernel TUN, firewall iptables", forwarding: undefined, fix: undefined } }]);
  });

  it("routes pending on Headscale: the headscale command", async () => {
    const json = JSON.stringify({ Self: { HostName: "r", TailscaleIPs: [] } });
    const { value, entries } = context({ TS_ROUTES: "10.0.0.0/8", TS_LOGIN_SERVER: "https://hs.example" }, { stdout: json });
    await reportState(value, { kind: "state", to: "Running" });
    expect(entries[0]?.fields).toMatchObject({ approved: "none", pending: ["10.0.0.0/8"] });
    expect(entries[1]).toEqual({ level: "warn", component: "supervisor", msg: "advertised routes are not approved yet", fields: { routes: ["10.0.0.0/8"], fix: "headscale nodes approve-routes --identifier NODE_ID --routes ROUTES" } });
  });

  it("forwarding still off: the Running line is a warning saying no subnet traffic can pass, and why", async () => {
    const { value, entries } = context({ TS_ROUTES: "10.0.0.0/8" }, { stdout: STATUS }, { "/proc/sys/net/ipv4/ip_forward": "0\n" }, { ipv4: true, ipv6: false });
    await reportState(value, { kind: "state", to: "Running" });
    expect(entries[0]).toMatchObject({ level: "warn", msg: "tailscale is running, but no subnet traffic can pass", fields: { forwarding: "net.ipv4.ip_forward is 0 and it could not be set", fix: expect.stringContaining("--sysctl net.ipv4.ip_forward=1") } });
  });

  it("forwarding off for an exit node: no exit-node traffic can pass", async () => {
    const { value, entries } = context({ TS_EXTRA_ARGS: "--advertise-exit-node" }, { stdout: STATUS }, { "/proc/sys/net/ipv4/ip_forward": "0\n" }, { ipv4: true, ipv6: false });
    await reportState(value, { kind: "state", to: "Running" });
    expect(entries[0]).toMatchObject({ level: "warn", msg: "tailscale is running, but no exit-node traffic can pass" });
  });

  it("no status: the Running line still, with why it says less", async () => {
    const { value, entries } = context({ TS_ROUTES: "10.0.0.0/8" }, { failure: "timed-out", error: "tailscale status did not finish within 30s and was ended" });
    await reportState(value, { kind: "state", to: "Running" });
    expect(entries).toEqual([
      { level: "warn", component: "supervisor", msg: "no status for the Running line", fields: { error: "tailscale status did not finish within 30s and was ended" } },
      { level: "info", component: "supervisor", msg: "tailscale is running", fields: { ips: undefined, hostname: undefined, routes: ["10.0.0.0/8"], approved: undefined, pending: undefined, exitNode: "no", mode: "kernel TUN, firewall iptables", forwarding: undefined, fix: undefined } },
    ]);
  });

  it("a status not to be read: the line without its facts", async () => {
    const { value, entries } = context({}, { stdout: "not json" });
    await reportState(value, { kind: "state", to: "Running" });
    expect(entries).toEqual([{ level: "info", component: "supervisor", msg: "tailscale is running", fields: expect.objectContaining({ ips: undefined, routes: "none" }) }]);
  });

  it("a stop while status runs: nothing logged", async () => {
    const { value, entries } = context({}, { failure: "stopped", error: "stopped" });
    await reportState(value, { kind: "state", to: "Running" });
    expect(entries).toEqual([]);
  });

  it("leaving Running is a warning and ends the approval checks; other changes say nothing", () => {
    const { value, entries, approvals } = context({});
    reportState(value, { kind: "state", to: "Starting" });
    expect(entries).toEqual([]);
    value.reporter.record("Running");
    expect(reportState(value, { kind: "state", to: "NeedsLogin" })).toBeUndefined();
    expect(entries).toEqual([{ level: "warn", component: "supervisor", msg: "tailscale left Running", fields: { state: "NeedsLogin" } }]);
    expect(approvals.stops()).toBe(1);
  });
});

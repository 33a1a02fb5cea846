// Telling where tailscaled is: the login URL, the approval step, the Running summary (with the routes
// approved or not and forwarding that blocks them), leaving Running; recorded for `health`.
import { describe, expect, it } from "vitest";
import { createStateReporter, reportState, type ReportContext } from "../../../../src/core/supervise/state/report-state.ts";
import { readStatus } from "../../../../src/core/supervise/state/status-file.ts";
import { createCapturedLog } from "../../../fakes/captured-log.ts";
import { configOf } from "../../../fakes/config-of.ts";
import { createFakeCommands, type FakeAnswer } from "../../../fakes/fake-commands.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const DIR = "/run/tailscale-supervisor";
const STATUS = JSON.stringify({ Self: { HostName: "r", DNSName: "r.ts.net.", TailscaleIPs: ["100.64.0.1"], AllowedIPs: ["100.64.0.1/32", "10.0.0.0/8"] }, Health: ["health one"] });

describe("createStateReporter", () => {
  it("records each new state with the supervisor's pid and the time; the same state again writes nothing", () => {
    const host = createFakeHost({ files: { [DIR]: { kind: "directory", mode: 0o700 } } });
    let now = 1000;
    const reporter = createStateReporter(host.files, DIR, 1, () => now);
    expect(reporter.current()).toBe("NoState");
    reporter.record("Starting");
    now = 2000;
    reporter.record("Starting");
    expect(readStatus(host.files, DIR)).toEqual({ supervisorPid: 1, state: "Starting", sinceMs: 1000 });
    reporter.record("Running");
    expect([reporter.current(), readStatus(host.files, DIR)]).toEqual(["Running", { supervisorPid: 1, state: "Running", sinceMs: 2000 }]);
  });

  it("without a runtime dir it only remembers", () => {
    const host = createFakeHost();
    const reporter = createStateReporter(host.files, undefined, 1, () => 0);
    reporter.record("Running");
    expect([reporter.current(), [...host.files.entries.keys()]]).toEqual(["Running", ["/"]]);
  });

  it("remembers whether it waits for the user", () => {
    const reporter = createStateReporter(createFakeHost().files, undefined, 1, () => 0);
    expect(reporter.isWaitingForUser()).toBe(false);
    reporter.setWaitingForUser(true);
    expect(reporter.isWaitingForUser()).toBe(true);
  });
});

function context(env: Record<string, string>, answer: FakeAnswer = { stdout: STATUS }, files: Record<string, string> = { "/proc/sys/net/ipv4/ip_forward": "1\n" }, forwardingNeeds = { ipv4: false, ipv6: false }) {
  const host = createFakeHost({ files });
  const { log, entries } = createCapturedLog();
  const commands = createFakeCommands(() => answer);
  const value: ReportContext = { log, config: configOf(env), commands: commands.runner, files: host.files, reporter: createStateReporter(host.files, undefined, 1, () => 0), daemonEnv: { PATH: "/x" }, describeMode: "kernel TUN, firewall iptables", forwardingNeeds };
  return { value, entries, commands };
}

describe("reportState", () => {
  it("a login URL: a warning with the URL, and the supervisor waits for the user", () => {
    const { value, entries } = context({});
    expect(reportState(value, { kind: "auth-url", url: "https://login.example/a/1" })).toBeUndefined();
    expect(entries).toEqual([{ level: "warn", component: "supervisor", msg: "LOGIN REQUIRED: open this URL to add the node to your tailnet", fields: { url: "https://login.example/a/1", fix: "or set TS_AUTHKEY to log in without a browser" } }]);
    expect(value.reporter.isWaitingForUser()).toBe(true);
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

  it("Running: the summary line from tailscale status, the routes pending approval, and tailscale's health", async () => {
    const { value, entries, commands } = context({ TS_ROUTES: "10.0.0.0/8,192.168.0.0/16" });
    await reportState(value, { kind: "state", to: "Running" });
    expect(commands.ran).toEqual([["tailscale", "--socket=/var/run/tailscale/tailscaled.sock", "status", "--json", "--peers=false"]]);
    expect(commands.options).toEqual([{ label: "tailscale status", timeoutMs: 30_000, env: { PATH: "/x" }, maxOutputBytes: 1024 * 1024 }]);
    expect(entries).toEqual([
      { level: "info", component: "supervisor", msg: "tailscale is running", fields: { ips: ["100.64.0.1"], hostname: "r.ts.net", routes: ["10.0.0.0/8", "192.168.0.0/16"], approved: ["10.0.0.0/8"], pending: ["192.168.0.0/16"], exitNode: "no", mode: "kernel TUN, firewall iptables", forwarding: undefined, fix: undefined } },
      { level: "warn", component: "supervisor", msg: "advertised routes are not approved yet", fields: { routes: ["192.168.0.0/16"], fix: "approve the routes in the admin console (Machines > Edit route settings)" } },
      { level: "warn", component: "supervisor", msg: "tailscale health", fields: { message: "health one" } },
    ]);
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

  it("leaving Running is a warning; other changes say nothing", () => {
    const { value, entries } = context({});
    reportState(value, { kind: "state", to: "Starting" });
    expect(entries).toEqual([]);
    value.reporter.record("Running");
    expect(reportState(value, { kind: "state", to: "NeedsLogin" })).toBeUndefined();
    expect(entries).toEqual([{ level: "warn", component: "supervisor", msg: "tailscale left Running", fields: { state: "NeedsLogin" } }]);
  });
});

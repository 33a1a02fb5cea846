// Phase tables for control-server trouble on the fake host: the supervisor warns at a slowing rate,
// prints the boot-timeout diagnostics once as a warning, reports Running the moment it comes, and
// never stops or restarts anything for it. Lines are the recorded ones (test/fixtures/tailscale/logs/control-*.txt).
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { daemonRuns, LINES_TO_RUNNING, LOGGED_IN_STATE, runFor, startSupervisor } from "../../fakes/supervise-fixture.ts";
import type { FakeHost } from "../../fakes/fake-host.ts";

const KEY = "hskey-auth-abcdefghijkl-SECRETSECRETSECRET";
const SERVER = "http://127.0.0.1:18090";
const REFUSED = `Received error: fetch control key: Get "${SERVER}/key?v=142": dial tcp 127.0.0.1:18090: connect: connection refused`;
const EOF_LINE = "Received error: PollNetMap: unexpected EOF";
const MAP_TIMEOUT = `Received error: PollNetMap: Post "https://127.0.0.1:18090/machine/map": connection attempts aborted by context: context deadline exceeded`;
const DNS = 'Received error: fetch control key: Get "http://headscale.test:18090/key?v=142": failed to resolve "headscale.test": no DNS fallback candidates remain for "headscale.test"';

/** `text` every `everyMs` from `fromMs` to `toMs`. */
function every(text: string, fromMs: number, toMs: number, everyMs: number) {
  const lines = [];
  for (let at = fromMs; at <= toMs; at += everyMs) lines.push({ atMs: at, text });
  return lines;
}

const comesBack = (atMs: number) => [
  { atMs, text: "control: RegisterReq: got response; nodeKeyExpired=false, machineAuthorized=true; authURL=false" },
  { atMs: atMs + 1, text: "health(warnable=login-state): ok" },
  { atMs: atMs + 200, text: "Switching ipn state NoState -> Starting (WantRunning=true, nm=true)" },
  { atMs: atMs + 3000, text: "Switching ipn state Starting -> Running (WantRunning=true, nm=true)" },
];

const warningsOf = (host: FakeHost, message: string) => host.stderr().split("\n").filter((line) => line.startsWith(`WARN supervisor: ${message}`));
const recordedState = (host: FakeHost) => (JSON.parse(host.files.entries.get("/run/tailscale-supervisor/status.json")?.text ?? "{}") as { state?: string }).state;

/** No auth class and no advice about the key anywhere. */
function expectNoKeyBlame(host: FakeHost): void {
  const output = host.stdout() + host.stderr();
  expect(output).not.toContain("failure: auth");
  expect(output).not.toMatch(/TS_AUTHKEY|preauthkeys|auth key|admin console \(Settings > Keys\)/);
  expect(output).not.toContain("SECRETSECRET");
}

describe("control server down at the first boot", () => {
  // As recorded: each retry is "control: doLogin(...)" then the error.
  const script = () => ({ lines: [LINES_TO_RUNNING[0] ?? { atMs: 0, text: "" }, ...every(REFUSED, 1000, 150_000, 10_000).flatMap((line) => [{ atMs: line.atMs - 1, text: "control: doLogin(regen=false, hasUrl=false)" }, line]), ...comesBack(155_000)] });

  it("warns at once, reminds after 1 min, prints the boot-timeout diagnostics once as a warning, and is Running when the server answers", async () => {
    // Every line of tailscaled's logged (TS_TAILSCALED_LOG=all): what is held back during the trouble.
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_LOGIN_SERVER: SERVER, TS_TAILSCALED_LOG: "all" }, { tailscaled: script });
    let settled = false;
    void outcome.then(() => (settled = true));
    await runFor(host, 1500);
    expect(warningsOf(host, "control server refuses or drops the connection; tailscaled keeps trying")).toEqual([
      `WARN supervisor: control server refuses or drops the connection; tailscaled keeps trying class=control-unreachable error="${REFUSED.slice("Received error: ".length).replaceAll('"', '\\"')}" fix="start the control server, or fix the host and port in TS_LOGIN_SERVER; tailscaled connects by itself once it answers" nextReminder=1m`,
    ]);
    await runFor(host, 150_000);
    expect(settled).toBe(false);
    // At 61 s: the reminder (6 errors since), then the diagnostics block once (deadline 60 s).
    const warnings = warningsOf(host, "control server refuses");
    expect(warnings).toHaveLength(2);
    // Held back: what, and how often (the summary says what was not logged).
    expect(warnings[1]).toMatch(/ for=1m errors=6 repeatsNotLogged=11 notLogged="6 like 'Received error: fetch control key: Get \\"http:\/\/127\.0\.0\.1:180\.\.\.', 5 like 'control: doLogin\(regen=false, hasUrl=false\)'" nextReminder=2m$/);
    // tailscaled's retries are logged once per trouble, not every 10 s.
    expect(host.stderr().match(/INFO tailscaled: Received error: /g)).toHaveLength(1);
    // The first doLogin line came before the trouble was known, the second is its first during it.
    expect(host.stderr().match(/INFO tailscaled: control: doLogin/g)).toHaveLength(2);
    expect(host.stderr().match(/=== tailscale supervisor warning: control-unreachable ===/g)).toHaveLength(1);
    expect(host.stderr()).toContain("cause: tailscaled has not reached Running within 60 s (state NoState); the supervisor keeps waiting (TS_EXIT_ON_BOOT_TIMEOUT=true would exit).");
    expect(host.stderr()).toContain("WARN supervisor: diagnostics warning=control-unreachable");
    expect(recordedState(host)).not.toBe("Running");
    await runFor(host, 10_000);
    expect(host.stderr()).toMatch(/INFO supervisor: control server reachable again class=control-unreachable after=2m34s repeatsNotLogged=16 notLogged="8 like 'Received error: [^']*', 8 like 'control: doLogin\(regen=false, hasUrl=false\)'"\n/);
    // Every line reached the tail (diagnostics) and the event parser, logged or not.
    expect(host.stderr()).toContain("INFO tailscaled: Switching ipn state Starting -> Running");
    expect(host.stderr()).toMatch(/INFO supervisor: tailscale is running ips=100\.64\.0\.1/);
    expect(recordedState(host)).toBe("Running");
    // After 3 boot timeouts: still the one block; the key went to tailscaled once, in its config file.
    expect(host.stderr().match(/=== tailscale supervisor (warning|failure)/g)).toHaveLength(1);
    expect(daemonRuns(host)).toHaveLength(1);
    expectNoKeyBlame(host);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });

  it("the diagnostics warning comes once per supervisor, also when tailscaled is restarted meanwhile", async () => {
    let run = 0;
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_LOGIN_SERVER: SERVER, TS_BOOT_TIMEOUT: "20" }, {
      tailscaled: () => (++run === 1 ? { lines: every(REFUSED, 100, 30_000, 5000), runMs: 30_000, exit: { kind: "exited", code: 1 } } : { lines: every(REFUSED, 100, 100_000, 5000) }),
    });
    await runFor(host, 90_000);
    expect(daemonRuns(host)).toHaveLength(2);
    expect(host.stderr().match(/=== tailscale supervisor warning: control-unreachable ===/g)).toHaveLength(1);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });

  it("TS_EXIT_ON_BOOT_TIMEOUT=true exits 1 at the deadline, with the trouble's class and fix", async () => {
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_LOGIN_SERVER: SERVER, TS_EXIT_ON_BOOT_TIMEOUT: "true" }, { tailscaled: script });
    expect((await host.drive(outcome)).exitCode).toBe(1);
    expect(host.elapsed()).toBeGreaterThanOrEqual(60_000);
    expect(host.elapsed()).toBeLessThan(70_000);
    expect(host.stderr()).toContain("=== tailscale supervisor failure: control-unreachable ===");
    expectNoKeyBlame(host);
  });
});

describe("a logged-in node", () => {
  it("restarted while the server is down: warnings while Running on its saved state, then reachable again", async () => {
    // A build with cachenetmap (the stock one) is Running at once from its netmap cache, then reports the errors.
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_LOGIN_SERVER: SERVER }, {
      tailscaled: () => ({ lines: [...LINES_TO_RUNNING, ...every(REFUSED, 400, 20_000, 5000), { atMs: 22_000, text: "health(warnable=login-state): ok" }] }),
    }, LOGGED_IN_STATE);
    await runFor(host, 30_000);
    expect(recordedState(host)).toBe("Running");
    expect(warningsOf(host, "control server refuses")).toHaveLength(1);
    expect(host.stderr()).toContain("INFO supervisor: control server reachable again class=control-unreachable after=21s");
    expect(host.stderr()).not.toContain("=== tailscale supervisor");
    expectNoKeyBlame(host);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });

  it("Running, loses its control server: no restart, no exit, still Running; quiet for 2 min ends the trouble", async () => {
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_LOGIN_SERVER: SERVER, TS_BOOT_TIMEOUT: "5" }, {
      tailscaled: () => ({ lines: [...LINES_TO_RUNNING, { atMs: 10_000, text: EOF_LINE }, ...every(MAP_TIMEOUT, 20_000, 70_000, 10_000)] }),
    }, LOGGED_IN_STATE);
    let settled = false;
    void outcome.then(() => (settled = true));
    await runFor(host, 300_000);
    expect(settled).toBe(false);
    expect(daemonRuns(host)).toHaveLength(1);
    expect(daemonRuns(host)[0]?.signals).toEqual([]);
    expect(recordedState(host)).toBe("Running");
    expect(warningsOf(host, "control server refuses")).toHaveLength(1);
    // The reminder at 70 s carries the latest class.
    expect(warningsOf(host, "control server does not answer in time; tailscaled keeps trying class=timeout")).toHaveLength(1);
    expect(host.stderr()).toContain("INFO supervisor: no control server errors for a while class=timeout quietFor=2m lasted=3m");
    expect(host.stderr()).not.toContain("=== tailscale supervisor");
    expectNoKeyBlame(host);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });
});

describe("other trouble classes", () => {
  it.each([
    ["dns", DNS, "control server name does not resolve", "give the container a working DNS server"],
    ["no-route", 'Received error: fetch control key: Get "http://198.51.100.7:18090/key?v=142": dial tcp 198.51.100.7:18090: connect: network is unreachable', "no route to the control server", "default route"],
    ["tls", 'Received error: fetch control key: Get "https://127.0.0.1:18443/key?v=142": x509: certificate signed by unknown authority', "TLS with the control server failed", "clock"],
    ["server-error", "Received error: fetch control key: 502 Bad Gateway", "control server answers with an error", "reverse proxy"],
    ["network-down", "health(warnable=network-status): error: Tailscale cannot connect because the network is down. Check your Internet connection.", "the container's network is down", "veth"],
  ])("%s: its warning and fix, the diagnostics of that class once, no exit", async (troubleClass, line, message, fix) => {
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_LOGIN_SERVER: SERVER, TS_BOOT_TIMEOUT: "30" }, { tailscaled: () => ({ lines: every(line, 100, 200_000, 15_000) }) });
    let settled = false;
    void outcome.then(() => (settled = true));
    await runFor(host, 100_000);
    expect(settled).toBe(false);
    const warnings = warningsOf(host, message);
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings[0]).toContain(`class=${troubleClass} `);
    expect(warnings[0]).toContain(fix);
    expect(host.stderr().match(new RegExp(`=== tailscale supervisor warning: ${troubleClass} ===`, "g"))).toHaveLength(1);
    expectNoKeyBlame(host);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });

  it("the network coming back ends a network-down trouble", async () => {
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY }, {
      tailscaled: () => ({ lines: [{ atMs: 5000, text: "health(warnable=network-status): error: Tailscale cannot connect because the network is down. Check your Internet connection." }, { atMs: 9000, text: "health(warnable=network-status): ok" }, ...LINES_TO_RUNNING.map((line) => ({ ...line, atMs: line.atMs + 10_000 }))] }),
    });
    await runFor(host, 15_000);
    expect(host.stderr()).toContain("INFO supervisor: control server reachable again class=network-down after=4s");
    expect(recordedState(host)).toBe("Running");
    host.raise(SIGNAL.TERM);
    await host.drive(outcome);
  });

  it("a refusal after a while of trouble still stops at once, as auth", async () => {
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_LOGIN_SERVER: SERVER }, { tailscaled: () => ({ lines: [...every(REFUSED, 100, 30_000, 5000), { atMs: 31_000, text: "Received error: authkey already used" }] }) });
    expect((await host.drive(outcome)).exitCode).toBe(1);
    expect(host.elapsed()).toBeLessThan(35_000);
    expect(host.stderr()).toContain("=== tailscale supervisor failure: auth ===");
    expect(host.stderr()).toContain("cause: the single-use auth key was already used (authkey already used)");
  });

  it("a message nobody knows is trouble (warned about, class control-error), not a refusal", async () => {
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_LOGIN_SERVER: SERVER }, { tailscaled: () => ({ lines: [{ atMs: 100, text: "Received error: the server is having a bad day" }] }) });
    await runFor(host, 5000);
    expect(host.stderr()).toContain('WARN supervisor: control server reports an error; tailscaled keeps trying class=control-error error="the server is having a bad day"');
    expectNoKeyBlame(host);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });
});

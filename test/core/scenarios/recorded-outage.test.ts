// A supervised node's recorded outage: during control-server trouble, tailscaled's lines that repeat
// one already logged, numbers aside, are held back, and the reminders say what was held back (the
// supervisor with held-back-lines.ts, line-shape.ts and the log relay; issue 7 left the DERP
// reconnects that differ only in a pointer or a counter, ~1,500 lines an hour).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { shapeOfLine } from "../../../src/core/text/line-shape.ts";
import { LINES_TO_RUNNING, LOGGED_IN_STATE, runFor, startSupervisor } from "../../fakes/supervise-fixture.ts";

/** The recording of a Running node whose Headscale went away for 60 s, up to its return, with times. */
function recordedOutage(): { atMs: number; text: string }[] {
  const raw = readFileSync(new URL("../../fixtures/tailscale/logs/control-lost-while-running-60s.txt", import.meta.url), "latin1").split("\n");
  const end = raw.findIndex((line) => line.startsWith("=== recorder: headscale started"));
  const lines = raw.slice(0, end).filter((line) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /.test(line));
  const seconds = (line: string) => Number(line.slice(11, 13)) * 3600 + Number(line.slice(14, 16)) * 60 + Number(line.slice(17, 19));
  const start = seconds(lines[0] ?? "");
  return lines.map((text, index) => ({ atMs: 1000 + (seconds(text) - start) * 1000 + (index % 1000) / 10, text }));
}

describe("a Running node's recorded outage", () => {
  it("logs each kind of tailscaled line once during the trouble, counters and pointers aside, and says what it held back", async () => {
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: "hskey-auth-abcdefghijkl-SECRETSECRETSECRET", TS_LOGIN_SERVER: "http://127.0.0.1:18090", TS_TAILSCALED_LOG: "all" }, { tailscaled: () => ({ lines: [...LINES_TO_RUNNING, ...recordedOutage()] }) }, LOGGED_IN_STATE);
    await runFor(host, 120_000);
    const output = host.stderr().split("\n");
    const troubleStart = output.findIndex((line) => line.startsWith("WARN supervisor: control server"));
    expect(troubleStart).toBeGreaterThan(0);
    const relayed = output.slice(troubleStart).filter((line) => line.startsWith("INFO tailscaled: ") && !line.startsWith("INFO tailscaled: Switching ipn state"));
    const shapes = relayed.map((line) => shapeOfLine(line));
    expect(shapes).toEqual([...new Set(shapes)]);
    // The stub DERP's reconnects, a new pointer each time, and the rate limiter's counts: once each.
    expect(relayed.filter((line) => line.includes("derp.Recv(derp-900)"))).toHaveLength(1);
    expect(relayed.filter((line) => line.includes('[RATELIMIT] format("%s: connecting to derp-%d (%v)") ('))).toHaveLength(1);
    const reminder = output.find((line) => line.startsWith("WARN supervisor: control server") && line.includes(" for=1m "));
    expect(reminder).toMatch(/ repeatsNotLogged=\d+ notLogged="\d+ like '[^']+'( \(numbers differ\))?, \d+ like '[^']+'( \(numbers differ\))?, \d+ like '[^']+'( \(numbers differ\))?, \d+ more kinds \(\d+ lines\)" /);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });

  it("logs a line again when an address in it changed", async () => {
    const error = "Received error: PollNetMap: unexpected EOF";
    const lines = [error, 'Rebind; defIf="eth0", ips=[192.0.2.2/24]', error, 'Rebind; defIf="eth0", ips=[192.0.2.2/24]', error, 'Rebind; defIf="eth0", ips=[192.0.2.77/24]'];
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: "hskey-auth-abcdefghijkl-SECRETSECRETSECRET", TS_TAILSCALED_LOG: "all" }, { tailscaled: () => ({ lines: [...LINES_TO_RUNNING, ...lines.map((text, index) => ({ atMs: 1000 + index * 1000, text }))] }) }, LOGGED_IN_STATE);
    await runFor(host, 10_000);
    expect(host.stderr().match(/INFO tailscaled: Rebind; .*/g)).toEqual(['INFO tailscaled: Rebind; defIf="eth0", ips=[192.0.2.2/24]', 'INFO tailscaled: Rebind; defIf="eth0", ips=[192.0.2.77/24]']);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });
});

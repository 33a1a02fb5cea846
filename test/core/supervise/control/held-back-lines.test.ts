// During control-server trouble, tailscaled's lines that repeat one already logged, numbers aside,
// are held back, and the reminders say what was held back (issue 9 item 11; issue 7 left the DERP
// reconnects that differ only in a pointer or a counter, ~1,500 lines an hour).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../../src/core/host.ts";
import { createHeldBackLines } from "../../../../src/core/supervise/control/held-back-lines.ts";
import { shapeOfLine } from "../../../../src/core/text/line-shape.ts";
import { LINES_TO_RUNNING, LOGGED_IN_STATE, runFor, startSupervisor } from "../../../fakes/supervise-fixture.ts";

describe("shapeOfLine", () => {
  it.each([
    ["magicsock: [0x1decf9bfc9a0] derp.Recv(derp-900): dial tcp4 127.0.0.1:1: connect: connection refused", "magicsock: [#] derp.Recv(derp-#): dial tcp# 127.0.0.1:1: connect: connection refused"],
    ['[RATELIMIT] format("%s: connecting to derp-%d (%v)") (32 dropped)', '[RATELIMIT] format("%s: connecting to derp-%d (%v)") (# dropped)'],
    ["derp-900: [v1] backoff: 357 msec", "derp-#: [v#] backoff: # msec"],
    ["magicsock: closing connection to derp-900 (rebind-no-localaddr), age 3s", "magicsock: closing connection to derp-# (rebind-no-localaddr), age #s"],
    // Addresses are what they are: a changed one is news.
    ['Rebind; defIf="veth0", ips=[192.0.2.2/24 fe80::4c3d:9ff:fe1f:a0a2/64]', 'Rebind; defIf="veth#", ips=[192.0.2.2/# fe80::4c3d:9ff:fe1f:a0a2/#]'],
    ["peer fd7a:115c:a1e0::1 at 192.0.2.2:50855", "peer fd7a:115c:a1e0::1 at 192.0.2.2:#"],
    ["no digits at all", "no digits at all"],
  ])("%s", (line, shape) => {
    expect(shapeOfLine(line)).toBe(shape);
  });

  it("takes time linear in the line: a long run of hexadecimal letters, then digits", () => {
    const line = `${"abcdef".repeat(50_000)} 1 ${"1234567890".repeat(30_000)}:x`;
    expect(shapeOfLine(line)).toBe(`${"abcdef".repeat(50_000)} # #:x`);
  });

  it("tells apart lines whose addresses differ", () => {
    expect(shapeOfLine("Rebind; ips=[192.0.2.2/24]")).not.toBe(shapeOfLine("Rebind; ips=[192.0.2.3/24]"));
    expect(shapeOfLine("route fd7a:115c:a1e0::1")).not.toBe(shapeOfLine("route fd7a:115c:a1e0::2"));
  });
});

describe("createHeldBackLines", () => {
  it("logs a shape once, counts its repeats, and names the most frequent ones", () => {
    const held = createHeldBackLines();
    const seen = (line: string) => held.shouldLog(line);
    expect(seen("magicsock: [0x1] derp.Recv(derp-900): refused")).toBe(true);
    expect(seen("control: doLogin(regen=false, hasUrl=false)")).toBe(true);
    for (let pointer = 2; pointer < 8; pointer += 1) expect(seen(`magicsock: [0x${pointer}] derp.Recv(derp-900): refused`)).toBe(false);
    expect(seen("control: doLogin(regen=false, hasUrl=false)")).toBe(false);
    for (const line of ["a 1", "b 1", "c 1", "d 1"]) seen(line);
    for (const line of ["a 2", "b 2", "c 2", "d 2", "d 3"]) seen(line);
    expect(held.count()).toBe(12);
    expect(held.describe()).toBe("6 like 'magicsock: [0x1] derp.Recv(derp-900): refused' (numbers differ), 2 like 'd 1' (numbers differ), 1 like 'control: doLogin(regen=false, hasUrl=false)', 3 more kinds (3 lines)");
    held.resetCounts();
    expect(held.count()).toBe(0);
    expect(held.describe()).toBe("");
    // Still known after a reminder; forgotten when the trouble is over.
    expect(seen("a 3")).toBe(false);
    held.forget();
    expect(seen("a 3")).toBe(true);
  });

  it("clips long examples and remembers at most 64 shapes (later ones are always logged)", () => {
    const held = createHeldBackLines();
    const long = `x${"y".repeat(100)}`;
    held.shouldLog(long);
    held.shouldLog(long);
    expect(held.describe()).toBe(`1 like '${long.slice(0, 60)}...'`);
    for (let index = 0; index < 100; index += 1) held.shouldLog(`line ${"z".repeat(index)}`);
    expect(held.shouldLog(`line ${"z".repeat(99)}`)).toBe(true);
    expect(held.shouldLog(`line ${"z".repeat(10)}`)).toBe(false);
  });
});

/** The recording of a Running node whose Headscale went away for 60 s, up to its return, with times. */
function recordedOutage(): { atMs: number; text: string }[] {
  const raw = readFileSync(new URL("../../../fixtures/tailscale/logs/control-lost-while-running-60s.txt", import.meta.url), "latin1").split("\n");
  const end = raw.findIndex((line) => line.startsWith("=== recorder: headscale started"));
  const lines = raw.slice(0, end).filter((line) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /.test(line));
  const seconds = (line: string) => Number(line.slice(11, 13)) * 3600 + Number(line.slice(14, 16)) * 60 + Number(line.slice(17, 19));
  const start = seconds(lines[0] ?? "");
  return lines.map((text, index) => ({ atMs: 1000 + (seconds(text) - start) * 1000 + (index % 1000) / 10, text }));
}

// With every line of tailscaled's logged (TS_TAILSCALED_LOG=all): what is held back during a trouble.
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

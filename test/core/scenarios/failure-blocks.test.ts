// Every failure class that comes from tailscaled prints its block with tailscaled's lines that explain
// it, however quiet the log: the recorded logs of the real daemon (test/fixtures/tailscale/logs)
// replayed at their pace through the supervisor on the fake host.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { runFor, startSupervisor } from "../../fakes/supervise-fixture.ts";
import { replayRecording } from "../../support/recorded-replay.ts";

const SERVER = "http://127.0.0.1:18090";
const KEY = "hskey-auth-abcdefghijkl-SECRETSECRETSECRET";
// Where a recording's trouble ended (the server answered): replayed up to there only.
const BEFORE_UP = /Switching ipn state \w+ -> (Starting|Running)|health\(warnable=login-state\): ok/;

/** The block the output holds: its lines. */
function blockOf(output: string): string[] {
  const start = output.indexOf("=== tailscale supervisor ");
  return start < 0 ? [] : output.slice(start, output.indexOf("=== end of diagnostics ===", start)).split("\n").filter((line) => line !== "");
}

describe("each failure block quotes the tailscaled lines that explain it", () => {
  it.each([
    ["auth", "rejected-key-invalid.txt", /^ {2}Received error: invalid pre auth key$/],
    ["auth", "rejected-key-expired.txt", /^ {2}Received error: authkey expired$/],
    ["auth", "rejected-key-used.txt", /^ {2}Received error: authkey already used$/],
    ["auth", "control-refused-key-invalid-config-file.txt", /^ {2}Received error: invalid pre auth key$/],
    ["control-unreachable", "control-down-first-boot-then-up.txt", /^ {2}Received error: fetch control key: .*connect: connection refused$/],
    ["dns", "control-name-unresolvable-then-resolvable.txt", /^ {2}Received error: fetch control key: .*failed to resolve "headscale\.test"/],
    ["no-route", "control-no-default-route.txt", /^ {2}Received error: fetch control key: .*network is unreachable$/],
    ["tls", "control-tls-self-signed.txt", /^ {2}Received error: fetch control key: .*x509: certificate signed by unknown authority$/],
    ["tls", "control-tls-https-to-http-port.txt", /^ {2}Received error: fetch control key: .*server gave HTTP response to HTTPS client$/],
    ["server-error", "control-http-502-bad-gateway.txt", /^ {2}Received error: fetch control key: 502 Bad Gateway$/],
    ["network-down", "kernel-tun-netns-no-default-route-network-down.txt", /^ {2}health\(warnable=network-status\): error: Tailscale cannot connect because the network is down/],
  ])("%s (%s)", async (failureClass, recording, explaining) => {
    const lines = replayRecording(recording, { until: BEFORE_UP });
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_LOGIN_SERVER: SERVER, TS_BOOT_TIMEOUT: "40" }, { tailscaled: () => ({ lines }) });
    await runFor(host, 45_000);
    const block = blockOf(host.stderr());
    expect(block[0]).toMatch(new RegExp(`^=== tailscale supervisor (failure|warning): ${failureClass} ===$`));
    expect(block.some((line) => explaining.test(line)), block.join("\n")).toBe(true);
    // The log around the block stays quiet: none of tailscaled's routine lines.
    expect(host.stderr().split("\n").filter((line) => line.startsWith("INFO tailscaled: ") && !line.includes("Switching ipn state"))).toEqual([]);
    host.raise(SIGNAL.TERM);
    await host.drive(outcome);
  });

  it("daemon-crash (a start-up error tailscaled exits on): its error line, though the log never showed it", async () => {
    const lines = replayRecording("config-authkey-file-missing-exit1.txt");
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_RESTART_LIMIT: "1" }, { tailscaled: () => ({ lines, runMs: 500, exit: { kind: "exited", code: 1 } }) });
    expect((await host.drive(outcome)).exitCode).toBe(1);
    const block = blockOf(host.stderr());
    expect(block[0]).toBe("=== tailscale supervisor failure: daemon-crash ===");
    expect(block).toContain("  getLocalBackend error: error reading config file authKey: open /tmp/ts-rec/d1/missing-key: no such file or directory");
    expect(block).toContain("  LocalBackend.Start: error reading config file authKey: open /tmp/ts-rec/d1/missing-key: no such file or directory");
  });

  it("daemon-crash (a Go panic with a long trace): the crash line and the first lines of its trace, above the trace's end", async () => {
    const trace = ["panic: runtime error: invalid memory address or nil pointer dereference", "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x5d2b1c]", "", "goroutine 57 [running]:", "tailscale.com/wgengine.(*userspaceEngine).Reconfig(0x0)", ...Array.from({ length: 300 }, (_, index) => `\tframe ${index}`)];
    const lines = [{ atMs: 20, text: "Switching ipn state NoState -> Starting (WantRunning=true, nm=true)" }, ...trace.map((text, index) => ({ atMs: 100 + index / 100, text }))];
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_RESTART_LIMIT: "1" }, { tailscaled: () => ({ lines, runMs: 200, exit: { kind: "exited", code: 2 } }) });
    expect((await host.drive(outcome)).exitCode).toBe(2);
    const block = blockOf(host.stderr());
    expect(block).toContain("crash: panic: runtime error: invalid memory address or nil pointer dereference");
    expect(block).toContain("  goroutine 57 [running]:");
    expect(block).toContain("  tailscale.com/wgengine.(*userspaceEngine).Reconfig(0x0)");
    expect(block).toContain("  Switching ipn state NoState -> Starting (WantRunning=true, nm=true)");
    expect(block.at(-1)).toBe("    frame 299");
  });

  it("timeout (stuck in Starting): the state it is stuck in", async () => {
    const lines = [{ atMs: 20, text: "Program starting: v1.102.3, Go 1.26.8: []string{\"tailscaled\"}" }, { atMs: 50, text: "Switching ipn state NoState -> Starting (WantRunning=true, nm=true)" }, ...Array.from({ length: 100 }, (_, index) => ({ atMs: 100 + index * 50, text: `netcheck: netcheck.runProbe: named node "900a" has no v4 address ${index}` }))];
    const { host, outcome } = startSupervisor({ TS_AUTHKEY: KEY, TS_BOOT_TIMEOUT: "10" }, { tailscaled: () => ({ lines }) });
    await runFor(host, 11_000);
    const block = blockOf(host.stderr());
    expect(block[0]).toBe("=== tailscale supervisor warning: timeout ===");
    expect(block).toContain("  Switching ipn state NoState -> Starting (WantRunning=true, nm=true)");
    host.raise(SIGNAL.TERM);
    await host.drive(outcome);
  });
});

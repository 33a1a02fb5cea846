// The diagnostics block as it is written: with LOG_FORMAT=json one JSON line holding the whole block
//, through the redactor and in printable ASCII in plain mode, from the facts read once.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { runFor, startSupervisor } from "../../fakes/supervise-fixture.ts";

const KEY = "hskey-auth-kDIAG-SECRETSECRET";
const REFUSED = [
  { atMs: 20, text: "Program starting: v1.102.3, Go 1.26.8: []" },
  { atMs: 30, text: "Switching ipn state NoState -> NeedsLogin (WantRunning=true, nm=false)" },
  { atMs: 40, text: `control: sending login with ${KEY} and an escape \u001b[31m` },
  { atMs: 60, text: "Received error: invalid pre auth key" },
];
const refused = () => ({ lines: REFUSED });
const ENV = { TS_AUTHKEY: KEY, TS_LOGIN_SERVER: "http://127.0.0.1:8080" };
const IP = (argv: readonly string[]) => (argv[0] === "ip" ? { stdout: "default via 10.0.0.1 dev eth0\n0:\tfrom all lookup local\n", runMs: 1, exit: { kind: "exited", code: 0 } as const } : undefined);

describe("LOG_FORMAT=json: the diagnostics block is one JSON line", () => {
  it("a failure: every line of stderr is JSON, and one of them holds the whole block", async () => {
    const { host, outcome } = startSupervisor({ ...ENV, LOG_FORMAT: "json" }, { tailscaled: refused, others: IP });
    expect((await host.drive(outcome)).exitCode).toBe(1);
    const lines = host.stderr().trimEnd().split("\n");
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const blocks = objects.filter((object) => object["msg"] === "diagnostics");
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({
      level: "error",
      component: "supervisor",
      failure: "auth",
      fix: expect.stringContaining("headscale preauthkeys create"),
      cause: expect.any(String),
      versions: { supervisor: "0.1.0", tailscaled: "v1.102.3", arch: "x86_64" },
      pid1: true,
      mode: "kernel TUN, firewall default",
      ipRoute: ["default via 10.0.0.1 dev eth0", "0: from all lookup local"],
      tailscaledLines: expect.arrayContaining(["Received error: invalid pre auth key"]),
    });
    expect(host.stderr()).not.toContain("===");
    expect(host.stderr()).not.toContain("SECRETSECRET");
  });

  it("the boot-timeout warning too (level warn, the class under `warning`)", async () => {
    const { host, outcome } = startSupervisor({ LOG_FORMAT: "json", TS_BOOT_TIMEOUT: "5" }, { tailscaled: () => ({ lines: [{ atMs: 30, text: "Switching ipn state NoState -> Starting (WantRunning=true, nm=true)" }] }), others: IP });
    await runFor(host, 6000);
    const objects = host.stderr().trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.filter((object) => object["msg"] === "diagnostics")).toEqual([expect.objectContaining({ level: "warn", warning: "timeout", tailscaledLines: expect.any(Array) })]);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });
});

describe("plain: the block goes through the redactor, in printable ASCII", () => {
  it("a key and an escape in tailscaled's last lines do not reach the output raw", async () => {
    const { host, outcome } = startSupervisor(ENV, { tailscaled: refused, others: IP });
    expect((await host.drive(outcome)).exitCode).toBe(1);
    const block = host.stderr().slice(host.stderr().indexOf("=== tailscale supervisor failure"));
    expect(block).toContain("control: sending login with [REDACTED] and an escape \\u001b[31m");
    expect(host.stderr()).not.toContain("SECRETSECRET");
    expect(/^[\x20-\x7e\n]*$/.test(host.stderr())).toBe(true);
    // ip rule's tab is a space.
    expect(block).toContain("  0: from all lookup local");
  });

  it("the facts of the start are reused: no second `uname`, capabilities by name", async () => {
    const { host, outcome } = startSupervisor(ENV, { tailscaled: refused, others: (argv) => (argv[0] === "uname" ? { stdout: "armv7l\n", runMs: 1, exit: { kind: "exited", code: 0 } } : IP(argv)) }, {
      "/proc/sys/kernel/arch": null,
      "/proc/self/status": "Name:\tqjs\nCapEff:\t0000000000003000\n",
    });
    expect((await host.drive(outcome)).exitCode).toBe(1);
    expect(host.spawned.filter((child) => child.argv[0] === "uname")).toHaveLength(1);
    expect(host.stderr()).toContain("; arch armv7l\n");
    expect(host.stderr()).toContain("capabilities: 2 effective; NET_ADMIN and NET_RAW among them");
  });
});

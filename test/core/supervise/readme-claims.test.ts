// What the README says the supervisor does, checked against what it does.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/core/host.ts";
import { LINES_TO_RUNNING, runFor, startSupervisor } from "./supervise-fixture.ts";

describe("README claims", () => {
  it("the first log line gives version, architecture, kernel and PID 1, before configuration warnings and STARTUP_SCRIPT's output", async () => {
    const { host, outcome } = startSupervisor(
      { TS_HOSTNAM: "typo", STARTUP_SCRIPT: "/etc/start.sh" },
      { tailscaled: () => ({ lines: LINES_TO_RUNNING }), others: (argv) => (argv.includes("/etc/start.sh") ? { stdout: "hello from the script\n", runMs: 5, exit: { kind: "exited", code: 0 } } : undefined) },
      { "/etc/start.sh": { kind: "file", mode: 0o755 }, "/proc/sys/kernel/osrelease": "6.1.0\n" },
    );
    await runFor(host, 1000);
    const lines = host.stderr().split("\n");
    expect(lines[0]).toBe("INFO preflight: system version=0.1.0 arch=x86_64 kernel=6.1.0 pid1=true");
    expect(lines.findIndex((line) => line.startsWith("WARN config: configuration warning variable=TS_HOSTNAM"))).toBeGreaterThan(0);
    expect(lines.findIndex((line) => line === "INFO hook: hello from the script")).toBeGreaterThan(0);
    host.raise(SIGNAL.TERM);
    expect((await host.drive(outcome)).exitCode).toBe(0);
  });
});

describe("README: the diagnostics classes", () => {
  it("are the classes the code can print: no `config` (a configuration error exits 78 without a block), and every check that can fail has one", async () => {
    const { FAILURE_CLASS_MEANINGS } = await import("../../../src/core/supervise/failure.ts");
    const { classifyCheck } = await import("../../../src/core/supervise/diagnostics.ts");
    const listed = Object.keys(FAILURE_CLASS_MEANINGS);
    expect(listed).not.toContain("config");
    for (const id of ["tun", "mode", "capabilities", "firewall", "return-routes", "state-dir"] as const) expect(listed).toContain(classifyCheck(id));
    const readme = (await import("node:fs")).readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    expect(readme).not.toMatch(/\(config, tun, permissions/);
  });
});

// Crashes of tailscaled with the committed bundle under the real qjs: its output is read to its end
// before its exit is acted on, a crash's diagnostics show the `panic:` line, and a
// crash loop is named daemon-crash at the boot deadline.
import { describe, expect, it } from "vitest";
import { startSupervisorInNamespace } from "../support/pid1.ts";

/** The diagnostics block of the output. */
function block(output: string): string {
  const start = output.indexOf("=== tailscale supervisor failure");
  return output.slice(start, output.indexOf("=== end of diagnostics ===", start));
}

describe("a crash's last words", () => {
  it("a Go panic with a long trace: the block names the panic line and ends with the trace's last line", async () => {
    const run = startSupervisorInNamespace({ FAKE_TAILSCALED: "panic", TS_RESTART_LIMIT: "1" });
    expect((await run.exit()).exitCode).toBe(2);
    const diagnostics = block(run.output());
    expect(diagnostics).toContain("=== tailscale supervisor failure: daemon-crash ===");
    expect(diagnostics).toContain("crash: panic: fake crash");
    expect(diagnostics.trimEnd().endsWith("created by main.main in goroutine 1 (end of trace)")).toBe(true);
  }, 30_000);

  it("LOG_FORMAT=json: every line is JSON, the block one of them, with the panic line and the trace's end", async () => {
    const run = startSupervisorInNamespace({ FAKE_TAILSCALED: "panic", TS_RESTART_LIMIT: "1", LOG_FORMAT: "json" });
    expect((await run.exit()).exitCode).toBe(2);
    const objects = run.output().trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const blocks = objects.filter((object) => object["msg"] === "diagnostics");
    expect(blocks).toEqual([expect.objectContaining({ level: "error", failure: "daemon-crash", crash: "panic: fake crash" })]);
    const lines = blocks[0]?.["tailscaledLines"] as string[];
    expect(lines[lines.length - 1]).toBe("\tcreated by main.main in goroutine 1 (end of trace)");
  }, 30_000);

  it("when tailscaled restarts, the warning names the panic line, not the trace's last", async () => {
    const run = startSupervisorInNamespace({ FAKE_TAILSCALED: "panic", TS_RESTART_LIMIT: "2" });
    expect((await run.exit()).exitCode).toBe(2);
    expect(run.output()).toMatch(/WARN supervisor: tailscaled exited, restarting status="code 2" restartInMs=1000 lastLine="panic: fake crash"/);
  }, 30_000);

  it("TS_RESTART_LIMIT=10: at the boot deadline the crash loop is a daemon-crash warning, not a timeout", async () => {
    const run = startSupervisorInNamespace({ FAKE_TAILSCALED: "crash", TS_RESTART_LIMIT: "10", TS_BOOT_TIMEOUT: "3" });
    await run.waitFor(/=== tailscale supervisor warning: /, 15_000);
    expect(run.output()).toContain("=== tailscale supervisor warning: daemon-crash ===");
    expect(run.output()).toMatch(/cause: tailscaled died \d times and has not reached Running within 3 s \(last exit code 1\)/);
    expect(run.output()).toContain("crash: panic: fake crash");
    await run.signal("SIGTERM");
    expect((await run.exit()).exitCode).toBe(0);
  }, 30_000);
});

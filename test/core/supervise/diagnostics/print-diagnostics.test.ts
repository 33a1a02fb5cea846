// The diagnostics block printed: plain, one log line naming the class and fix, then the block on stderr;
// JSON, one log line holding it all; the class of each failed check.
import { describe, expect, it } from "vitest";
import { classifyCheck, reportFailure, reportWarning, type DiagnosticsContext } from "../../../../src/core/supervise/diagnostics/print-diagnostics.ts";
import { createCapturedLog } from "../../../fakes/captured-log.ts";
import { createFakeCommands } from "../../../fakes/fake-commands.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const FAILURE = { failureClass: "hook", cause: "STARTUP_SCRIPT exited 3", fix: "fix the script" } as const;

function context(format: "plain" | "json") {
  let block = "";
  const value: DiagnosticsContext = {
    host: createFakeHost(),
    commands: createFakeCommands().runner,
    system: { version: "0.1.0", arch: "x86_64", kernel: "6.1", pid1: true },
    stateDir: "/var/lib/tailscale",
    mode: "not started",
    tail: [],
    format,
    writeBlock: (text) => void (block += text),
  };
  return { value, block: () => block };
}

describe("reportFailure and reportWarning", () => {
  it("plain: an error naming the class and fix, then the block on stderr", async () => {
    const { log, entries } = createCapturedLog();
    const { value, block } = context("plain");
    await reportFailure(value, log, FAILURE);
    expect(entries).toEqual([{ level: "error", component: "supervisor", msg: "diagnostics", fields: { failure: "hook", fix: "fix the script" } }]);
    expect(block().startsWith("=== tailscale supervisor failure: hook ===\nfix: fix the script\ncause: STARTUP_SCRIPT exited 3\n")).toBe(true);
    expect(block().endsWith("=== end of diagnostics ===\n")).toBe(true);
  });

  it("a warning is logged as one", async () => {
    const { log, entries } = createCapturedLog();
    const { value, block } = context("plain");
    await reportWarning(value, log, FAILURE);
    expect(entries).toEqual([{ level: "warn", component: "supervisor", msg: "diagnostics", fields: { warning: "hook", fix: "fix the script" } }]);
    expect(block()).toMatch(/^=== tailscale supervisor warning: hook ===\n/);
  });

  it("JSON: the whole block in the one log line, nothing else written", async () => {
    const { log, entries } = createCapturedLog();
    const { value, block } = context("json");
    await reportFailure(value, log, FAILURE);
    expect(entries).toEqual([{ level: "error", component: "supervisor", msg: "diagnostics", fields: expect.objectContaining({ failure: "hook", fix: "fix the script", cause: "STARTUP_SCRIPT exited 3", mode: "not started", pid1: true }) }]);
    expect(block()).toBe("");
  });
});

describe("classifyCheck", () => {
  it.each([
    ["tun", "tun"],
    ["mode", "tun"],
    ["capabilities", "permissions"],
    ["firewall", "firewall"],
    ["return-routes", "forwarding"],
    ["state-dir", "permissions"],
  ] as const)("a failed %s check is class %s", (id, failureClass) => {
    expect(classifyCheck(id)).toBe(failureClass);
  });
});

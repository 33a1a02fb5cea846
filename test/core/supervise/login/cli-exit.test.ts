// What the end of a `tailscale login`/`up` call puts in the log: nothing when it worked or was ended
// by a stop, a warning with its last lines when it failed, a warning when it ran out of time, an
// error when it could not be run.
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../../src/core/log/logger.ts";
import type { CaptureResult } from "../../../../src/core/process/command-runner.ts";
import { reportCliExit } from "../../../../src/core/supervise/login/cli-exit.ts";

function logged(result: CaptureResult): string[] {
  const lines: string[] = [];
  const log = createLogger({ format: "plain", level: "debug", component: "supervisor", write: (line) => lines.push(line.trimEnd()), now: () => 0 });
  reportCliExit(log, "login", result);
  return lines;
}

const exited = (code: number, stdout = "", stderr = ""): CaptureResult => ({ ok: true, value: { status: { kind: "exited", code }, stdout, stderr } });
const failed = (reason: "not-started" | "timed-out" | "stopped", error: string): CaptureResult => ({ ok: false, reason, error, stdout: "", stderr: "" });

describe("reportCliExit", () => {
  it("logs nothing when the call worked", () => {
    expect(logged(exited(0, "Success.\n", "some noise\n"))).toEqual([]);
  });

  it("logs nothing when a stop ended it", () => {
    expect(logged(failed("stopped", "ended by a stop"))).toEqual([]);
  });

  it("warns with the exit code and the last three non-empty lines of its output, stdout then stderr", () => {
    expect(logged(exited(1, "one\n\ntwo\n", "three\n  \nfour\n"))).toEqual(['WARN supervisor: tailscale failed command=login exitCode=1 output="two | three | four"']);
  });

  it("counts a death by signal as a failure (128+n)", () => {
    expect(logged({ ok: true, value: { status: { kind: "killed", signal: 9 }, stdout: "", stderr: "" } })).toEqual(['WARN supervisor: tailscale failed command=login exitCode=137 output=""']);
  });

  it("warns when it ran out of time, saying tailscaled goes on", () => {
    const [line, ...rest] = logged(failed("timed-out", "tailscale login did not finish within 300s and was ended"));
    expect(rest).toEqual([]);
    expect(line).toMatch(/^WARN supervisor: tailscale did not finish command=login error="tailscale login did not finish within 300s and was ended" note="tailscaled goes on/);
  });

  it("logs an error when it could not be run", () => {
    expect(logged(failed("not-started", "tailscale: not found"))).toEqual(['ERROR supervisor: tailscale could not be run command=login error="tailscale: not found"']);
  });
});

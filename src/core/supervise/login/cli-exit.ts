// What a `tailscale login`/`up` call's end means for the log: nothing when it worked, else a warning.
import type { Logger } from "../../log/logger.ts";
import type { CaptureResult } from "../../process/command-runner.ts";
import { exitCodeOf } from "../../process/exit-status.ts";

/** Logs a failed or timed-out CLI call (ended by a stop: nothing). */
export function reportCliExit(log: Logger, command: string, result: CaptureResult): void {
  if (!result.ok) {
    // Ended at its time limit: the login goes on in tailscaled, whose state the log tells.
    if (result.reason === "timed-out") log.warn("tailscale did not finish", { command, error: result.error, note: "tailscaled goes on with what it was given; its state is followed from its log" });
    else if (result.reason === "not-started") log.error("tailscale could not be run", { command, error: result.error });
    return;
  }
  const { status, stdout, stderr } = result.value;
  const code = exitCodeOf(status);
  if (code === 0) return;
  const output = `${stdout}\n${stderr}`.split("\n").filter((line) => line.trim() !== "").slice(-3).join(" | ");
  log.warn("tailscale failed", { command, exitCode: code, output });
}

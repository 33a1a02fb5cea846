// A child's exit status as a process exit code and in words: the one rule for both.
import type { ExitStatus } from "../host.ts";
import { exitCodeForSignal } from "../outcome.ts";

/** The code a shell would report: the exit code, or 128+n when killed by signal n. */
export function exitCodeOf(status: ExitStatus): number {
  return status.kind === "exited" ? status.code : exitCodeForSignal(status.signal);
}

/** `code 2` or `signal 11`. */
export function describeExitStatus(status: ExitStatus): string {
  return status.kind === "exited" ? `code ${status.code}` : `signal ${status.signal}`;
}

/** Exited with code 0. */
export function isSuccess(status: ExitStatus): boolean {
  return status.kind === "exited" && status.code === 0;
}

/** The supervisor's exit code when it gives up on a child: the child's own, but never 0 (a failure). */
export function exitCodeOnGivingUp(status: ExitStatus): number {
  const code = exitCodeOf(status);
  return code === 0 ? 1 : code;
}

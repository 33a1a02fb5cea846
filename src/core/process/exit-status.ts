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

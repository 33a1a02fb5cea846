// How a command ended, and the process exit codes that stand for it (documented in the README).

/** Exit codes of the supervisor. */
export const EXIT_CODE = {
  /** Clean stop, or a command that succeeded. */
  ok: 0,
  /** A runtime failure (tailscaled gave up, login rejected, a check failed). */
  failure: 1,
  /** tailscale (passthrough) not found on PATH, as a shell would say. */
  notFound: 127,
  /** Invalid configuration: nothing was started (EX_CONFIG of sysexits.h). */
  config: 78,
} as const;

/** The result of running one command: the code the entry exits with. */
export interface Outcome {
  readonly exitCode: number;
}

/** 128 + n for a child killed by signal n, as shells report it. */
export function exitCodeForSignal(signal: number): number {
  return 128 + signal;
}

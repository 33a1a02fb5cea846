// A stop request (TERM, INT or QUIT): made once, by the signal handler, and seen by every phase.
import { SIGNAL } from "../host.ts";

/** The signals that stop the supervisor (and `doctor`); HUP, USR1 and USR2 are tailscaled's. */
export const STOP_SIGNALS: readonly number[] = [SIGNAL.TERM, SIGNAL.INT, SIGNAL.QUIT];

/** Whether a stop was requested, when, and who wants to know at once. */
export interface StopRequest {
  /** The stop signal, once one came; undefined before. */
  readonly signal: number | undefined;
  /** Clock time of the request (ms), once made. */
  readonly atMs: number | undefined;
  /** Records the request (the first one counts) and calls the listeners. */
  request(signal: number, atMs: number): void;
  /** Calls `listener` once, when the stop is requested (at once when it already was). */
  onRequest(listener: () => void): void;
}

/** A stop request not made yet. */
export function createStopRequest(): StopRequest {
  let signal: number | undefined;
  let atMs: number | undefined;
  const listeners: Array<() => void> = [];
  return {
    get signal() {
      return signal;
    },
    get atMs() {
      return atMs;
    },
    request(next, now) {
      if (signal !== undefined) return;
      signal = next;
      atMs = now;
      for (const listener of listeners.splice(0)) listener();
    },
    onRequest(listener) {
      if (signal !== undefined) listener();
      else listeners.push(listener);
    },
  };
}

// Trouble with the control server over time: warn at once, remind at a slowing rate (1, 2, 4 ... 30 min),
// and tell when it is over. Pure: times in, the next state and what to log out.
import type { TroubleClass } from "./control-errors.ts";

/** The first reminder comes this long after the first warning; each next one twice as late. */
export const FIRST_REMINDER_MS = 60_000;
export const MAX_REMINDER_MS = 30 * 60_000;
/**
 * No error for this long: the trouble is over, even without a word from the server (a Running node
 * back in its map poll logs nothing). Longer than tailscaled's worst gap between two attempts:
 * its backoff reaches 30 s x 1.5 jitter (util/backoff), plus a resolver or dial timeout.
 */
export const QUIET_AFTER_MS = 120_000;
/** A reminder is only given while the last error is this recent; a later error brings it at once. */
export const FRESH_MS = 60_000;

/** An ongoing trouble. `seenSinceWarning`: errors since the last warning. */
export interface Trouble {
  readonly troubleClass: TroubleClass;
  /** tailscaled's latest message. */
  readonly message: string;
  readonly sinceMs: number;
  readonly lastSeenMs: number;
  readonly lastWarnedMs: number;
  readonly seenSinceWarning: number;
  /** How long after `lastWarnedMs` the next reminder is due. */
  readonly reminderMs: number;
}

/** What to tell the user now. */
export type TroubleNotice =
  | { readonly kind: "warn"; readonly trouble: Trouble; readonly reminder: boolean; readonly errors: number }
  | { readonly kind: "over"; readonly trouble: Trouble; readonly reason: "answered" | "quiet" }
  | { readonly kind: "none" };

/** The state after a step and what to log. */
export interface TroubleStep {
  readonly trouble: Trouble | undefined;
  readonly notice: TroubleNotice;
}

const NONE: TroubleNotice = { kind: "none" };

/** tailscaled reported a transient error: a new trouble is warned about at once, an ongoing one only counted. */
export function noteTrouble(current: Trouble | undefined, troubleClass: TroubleClass, message: string, nowMs: number): TroubleStep {
  if (current === undefined) {
    const trouble: Trouble = { troubleClass, message, sinceMs: nowMs, lastSeenMs: nowMs, lastWarnedMs: nowMs, seenSinceWarning: 0, reminderMs: FIRST_REMINDER_MS };
    return { trouble, notice: { kind: "warn", trouble, reminder: false, errors: 1 } };
  }
  return { trouble: { ...current, troubleClass, message, lastSeenMs: nowMs, seenSinceWarning: current.seenSinceWarning + 1 }, notice: NONE };
}

/** At a check time (see `nextCheckAtMs`): quiet long enough → over; fresh errors since the last warning and the reminder due → remind. */
export function checkTrouble(current: Trouble | undefined, nowMs: number): TroubleStep {
  if (current === undefined) return { trouble: undefined, notice: NONE };
  if (nowMs - current.lastSeenMs >= QUIET_AFTER_MS) return { trouble: undefined, notice: { kind: "over", trouble: current, reason: "quiet" } };
  if (current.seenSinceWarning > 0 && nowMs >= current.lastWarnedMs + current.reminderMs && nowMs - current.lastSeenMs < FRESH_MS) {
    const trouble: Trouble = { ...current, lastWarnedMs: nowMs, seenSinceWarning: 0, reminderMs: Math.min(current.reminderMs * 2, MAX_REMINDER_MS) };
    return { trouble, notice: { kind: "warn", trouble, reminder: true, errors: current.seenSinceWarning } };
  }
  return { trouble: current, notice: NONE };
}

/** The control server answered (or the network came back): the trouble is over. */
export function endTrouble(current: Trouble | undefined): TroubleStep {
  return { trouble: undefined, notice: current === undefined ? NONE : { kind: "over", trouble: current, reason: "answered" } };
}

/** When `checkTrouble` has something to decide next; undefined without a trouble. */
export function nextCheckAtMs(trouble: Trouble | undefined): number | undefined {
  if (trouble === undefined) return undefined;
  const quietAt = trouble.lastSeenMs + QUIET_AFTER_MS;
  const remindAt = trouble.lastWarnedMs + trouble.reminderMs;
  return trouble.seenSinceWarning > 0 && remindAt < trouble.lastSeenMs + FRESH_MS ? remindAt : quietAt;
}

// The supervisor's view of control-server trouble: the warnings and reminders it logs, the one timer
// that brings it back to decide on a reminder or the end of the trouble, and, while it lasts,
// tailscaled's lines that only repeat what was already logged (its retries would flood the 1000-line
// RouterOS log in a few hours: "control: doLogin(...)", "Received error: ..." every 30-45 s, and
// DERP reconnects that differ only in a pointer or a counter, ~1,500 an hour).
import type { ClockPort, TimerHandle } from "../../host.ts";
import type { Logger } from "../../log/logger.ts";
import { formatDuration } from "../../text/duration.ts";
import { createHeldBackLines, type HeldBackLines } from "./held-back-lines.ts";
import type { TroubleClass } from "./control-errors.ts";
import { checkTrouble, endTrouble, nextCheckAtMs, noteTrouble, type Trouble, type TroubleStep } from "./control-trouble.ts";
import { adviseTrouble } from "./trouble-advice.ts";

/** Follows the trouble; `onCheckDue` is called from the supervisor loop when the timer's event arrives. */
export interface ControlWatch {
  noteTrouble(troubleClass: TroubleClass, message: string): void;
  /** The control server answered (login state healthy, Running). */
  noteAnswered(): void;
  /** tailscaled says the network is up again: ends a network-down trouble only. */
  noteNetworkUp(): void;
  onCheckDue(): void;
  current(): Trouble | undefined;
  /**
   * Whether to log a line of tailscaled's: not a repeat of one already logged during the trouble,
   * numbers aside (text/line-shape.ts: addresses count, counters and pointers do not).
   */
  shouldLog(line: string): boolean;
  /** Clears the timer (at exit). */
  stop(): void;
}

// Never held back: the state changes the user follows.
const ALWAYS_LOGGED = /^Switching ipn state /;

/** Creates the watch; `requestCheck` must make the loop call `onCheckDue` (a mailbox event); `onChange` hears each start and end of a trouble. */
export function createControlWatch(clock: ClockPort, log: Logger, headscale: boolean, requestCheck: () => void, onChange: (trouble: Trouble | undefined) => void = () => undefined): ControlWatch {
  let trouble: Trouble | undefined;
  let timer: TimerHandle | undefined;
  let timerAtMs: number | undefined;
  const held = createHeldBackLines();

  const apply = (step: TroubleStep): void => {
    if (step.trouble !== trouble) onChange(step.trouble);
    trouble = step.trouble;
    report(log, step, clock.now(), headscale, held);
    if (step.notice.kind !== "none") held.resetCounts();
    if (step.notice.kind === "over") held.forget();
    // The line that started the trouble was logged before the trouble was known.
    if (step.notice.kind === "warn" && !step.notice.reminder) held.noteLogged(`Received error: ${step.notice.trouble.message}`);
    const dueAt = nextCheckAtMs(trouble);
    if (dueAt === timerAtMs) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    timerAtMs = dueAt;
    if (dueAt !== undefined) timer = clock.setTimeout(requestCheck, Math.max(0, dueAt - clock.now()));
  };
  return {
    noteTrouble: (troubleClass, message) => apply(noteTrouble(trouble, troubleClass, message, clock.now())),
    noteAnswered: () => apply(endTrouble(trouble)),
    noteNetworkUp: () => {
      if (trouble?.troubleClass === "network-down") apply(endTrouble(trouble));
    },
    onCheckDue: () => {
      timerAtMs = undefined;
      timer = undefined;
      apply(checkTrouble(trouble, clock.now()));
    },
    current: () => trouble,
    shouldLog: (line) => trouble === undefined || ALWAYS_LOGGED.test(line) || held.shouldLog(line),
    stop: () => {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}

function report(log: Logger, step: TroubleStep, nowMs: number, headscale: boolean, held: HeldBackLines): void {
  const { notice } = step;
  if (notice.kind === "none") return;
  const { trouble } = notice;
  const heldBack = held.count();
  const repeatsNotLogged = heldBack > 0 ? heldBack : undefined;
  const notLogged = heldBack > 0 ? held.describe() : undefined;
  if (notice.kind === "over") {
    const lasted = formatDuration(nowMs - trouble.sinceMs);
    if (notice.reason === "answered") log.info("control server reachable again", { class: trouble.troubleClass, after: lasted, repeatsNotLogged, notLogged });
    else log.info("no control server errors for a while", { class: trouble.troubleClass, quietFor: formatDuration(nowMs - trouble.lastSeenMs), lasted, repeatsNotLogged, notLogged });
    return;
  }
  const advice = adviseTrouble(trouble.troubleClass, headscale);
  log.warn(advice.message, {
    class: trouble.troubleClass,
    error: trouble.message,
    fix: advice.fix,
    for: notice.reminder ? formatDuration(nowMs - trouble.sinceMs) : undefined,
    errors: notice.reminder ? notice.errors : undefined,
    repeatsNotLogged: notice.reminder ? repeatsNotLogged : undefined,
    notLogged: notice.reminder ? notLogged : undefined,
    nextReminder: formatDuration(trouble.reminderMs),
  });
}

// The supervisor's view of control-server trouble: the warnings and reminders it logs, and the one
// timer that brings it back to decide on a reminder or the end of the trouble.
import type { ClockPort, TimerHandle } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import { formatDuration } from "../text/duration.ts";
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
  /** Clears the timer (at exit). */
  stop(): void;
}

/** Creates the watch; `requestCheck` must make the loop call `onCheckDue` (a mailbox event). */
export function createControlWatch(clock: ClockPort, log: Logger, headscale: boolean, requestCheck: () => void): ControlWatch {
  let trouble: Trouble | undefined;
  let timer: TimerHandle | undefined;
  let timerAtMs: number | undefined;

  const apply = (step: TroubleStep): void => {
    trouble = step.trouble;
    report(log, step, clock.now(), headscale);
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
    stop: () => {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}

function report(log: Logger, step: TroubleStep, nowMs: number, headscale: boolean): void {
  const { notice } = step;
  if (notice.kind === "none") return;
  const { trouble } = notice;
  if (notice.kind === "over") {
    const lasted = formatDuration(nowMs - trouble.sinceMs);
    if (notice.reason === "answered") log.info("control server reachable again", { class: trouble.troubleClass, after: lasted });
    else log.info("no control server errors for a while", { class: trouble.troubleClass, quietFor: formatDuration(nowMs - trouble.lastSeenMs), lasted });
    return;
  }
  const advice = adviseTrouble(trouble.troubleClass, headscale);
  log.warn(advice.message, {
    class: trouble.troubleClass,
    error: trouble.message,
    fix: advice.fix,
    for: notice.reminder ? formatDuration(nowMs - trouble.sinceMs) : undefined,
    errors: notice.reminder ? notice.errors : undefined,
    nextReminder: formatDuration(trouble.reminderMs),
  });
}

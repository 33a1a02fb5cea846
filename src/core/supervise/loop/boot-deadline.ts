// The boot deadline (TS_BOOT_TIMEOUT): counted from the first start of tailscaled since it was last
// Running, not moved by restarts, so that a crash loop meets it too; and the deaths on the way.
import type { ClockPort, ExitStatus, TimerHandle } from "../../host.ts";

/** Arms, disarms and remembers what happened since arming. */
export interface BootDeadline {
  /** tailscaled was started: arms the deadline unless it is armed already. */
  noteStart(): void;
  /** tailscaled died: counted until Running. */
  noteDeath(status: ExitStatus): void;
  /** Running: disarmed; the next start (after a crash) arms it again. */
  noteRunning(): void;
  /** Whether a deadline event is the one of the current arming (not of an older one). */
  isCurrent(arming: number): boolean;
  /** Deaths since the deadline was armed, and the last one's status. */
  deaths(): { readonly count: number; readonly last: ExitStatus | undefined };
  stop(): void;
}

/** `onDeadline(arming)` is called when the deadline passes (the supervisor turns it into a mailbox event). */
export function createBootDeadline(clock: ClockPort, timeoutMs: number, onDeadline: (arming: number) => void): BootDeadline {
  let timer: TimerHandle | undefined;
  let arming = 0;
  let count = 0;
  let last: ExitStatus | undefined;
  const disarm = (): void => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  return {
    noteStart() {
      if (timer !== undefined) return;
      arming += 1;
      count = 0;
      last = undefined;
      const current = arming;
      timer = clock.setTimeout(() => onDeadline(current), timeoutMs);
    },
    noteDeath(status) {
      count += 1;
      last = status;
    },
    noteRunning: disarm,
    isCurrent: (candidate) => candidate === arming,
    deaths: () => ({ count, last }),
    stop: disarm,
  };
}

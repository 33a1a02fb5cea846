// The one owner of waitpid(-1): reaps every exited child and hands each status to whoever spawned it.
import type { ExitStatus, Host, HostResult, SpawnedProcess, SpawnOptions, TimerHandle } from "../host.ts";
import { SIGNAL } from "../host.ts";

/** Longest time between two reaping passes: signals are only noticed when the loop wakes. */
export const REAP_TICK_MS = 1000;

/** A child started through the reaper. */
export interface Child extends SpawnedProcess {
  /** Settles once, when the child has been reaped. */
  readonly exited: Promise<ExitStatus>;
}

/** Spawns children and reaps all processes (orphans included) on SIGCHLD and on a tick. */
export interface Reaper {
  spawn(argv: readonly string[], options: SpawnOptions): HostResult<Child>;
  /** Collects every exited process now; statuses of unknown pids (orphans) are dropped. */
  reapAll(): void;
  /** Stops the tick so the event loop may end. */
  stop(): void;
}

/** Starts reaping: installs the SIGCHLD handler and the tick. */
export function startReaper(host: Pick<Host, "processes" | "clock" | "signals">): Reaper {
  const waiting = new Map<number, (status: ExitStatus) => void>();
  let tick: TimerHandle | undefined;
  const reapAll = (): void => {
    // Several children can exit behind one SIGCHLD: loop until nothing is left.
    for (let reaped = host.processes.reapOne(); reaped !== null; reaped = host.processes.reapOne()) {
      const settle = waiting.get(reaped.pid);
      waiting.delete(reaped.pid);
      settle?.(reaped.status);
    }
  };
  const schedule = (): void => {
    tick = host.clock.setTimeout(() => {
      reapAll();
      schedule();
    }, REAP_TICK_MS);
  };
  host.signals.on(SIGNAL.CHLD, reapAll);
  schedule();
  return {
    spawn(argv, options) {
      const started = host.processes.spawn(argv, options);
      if (!started.ok) return started;
      const exited = new Promise<ExitStatus>((resolve) => waiting.set(started.value.pid, resolve));
      return { ok: true, value: { ...started.value, exited } };
    },
    reapAll,
    stop() {
      if (tick !== undefined) host.clock.clearTimeout(tick);
      tick = undefined;
    },
  };
}

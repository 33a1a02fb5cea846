// An in-memory Host for unit tests: virtual files, scripted processes, a manual clock, captured output.
import type { Host, TimerHandle } from "../../src/core/host.ts";
import { createFakeFiles, type FakeEntry, type FakeFiles } from "./fake-files.ts";
import { createFakeProcesses, type FakeProcess, type FakeProcessScript } from "./fake-processes.ts";

export type { FakeDelivery, FakeProcess, FakeProcessScript } from "./fake-processes.ts";

/** Options for a fake host. */
export interface FakeHostOptions {
  readonly argv?: readonly string[];
  readonly env?: Record<string, string>;
  readonly files?: Record<string, string | Partial<FakeEntry>>;
  /** Decides what each spawned command does; default: exits 0 at once. */
  readonly script?: (argv: readonly string[]) => FakeProcessScript;
  readonly startMs?: number;
}

/** The fake host plus the controls tests use. */
export interface FakeHost extends Host {
  readonly files: FakeFiles;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly spawned: FakeProcess[];
  readonly processes: ReturnType<typeof createFakeProcesses>;
  /** Advances the manual clock, running due timers in order. */
  advance(ms: number): void;
  /** Delivers a signal to the handler the core installed. */
  raise(signal: number): void;
  /** Lets pending promise callbacks run. */
  settle(): Promise<void>;
  /** Runs the manual clock timer by timer until `promise` settles or `maxMs` of virtual time passed. */
  drive<T>(promise: Promise<T>, maxMs?: number): Promise<T>;
  /** Virtual milliseconds since the start. */
  elapsed(): number;
}

/** Builds a fake host. */
export function createFakeHost(options: FakeHostOptions = {}): FakeHost {
  const startMs = options.startMs ?? 1_700_000_000_000;
  let now = startMs;
  let nextTimer = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const handlers = new Map<number, Array<() => void>>();
  let out = "";
  let err = "";
  const files = createFakeFiles(options.files ?? {});

  const setTimer = (callback: () => void, delayMs: number): TimerHandle => {
    const id = nextTimer++;
    timers.set(id, { at: now + delayMs, callback });
    return { id };
  };
  const raise = (signal: number): void => {
    for (const handler of handlers.get(signal) ?? []) handler();
  };
  // As the kernel and qjs do it: a signal is pending at most once, and its handler runs later, from
  // the event loop; children that exit together bring one SIGCHLD.
  const pending = new Set<number>();
  const raiseLater = (signal: number): void => {
    if (pending.has(signal)) return;
    pending.add(signal);
    setTimer(() => {
      pending.delete(signal);
      raise(signal);
    }, 0);
  };
  const processes = createFakeProcesses({
    now: () => now,
    setTimer,
    raise: raiseLater,
    script: (argv) => options.script?.(argv) ?? { exit: { kind: "exited", code: 0 } },
  });

  const host: FakeHost = {
    argv: options.argv ?? [],
    env: options.env ?? {},
    files,
    processes,
    clock: { now: () => now, setTimeout: setTimer, clearTimeout: (handle) => void timers.delete(handle.id as number) },
    signals: {
      on(signal, handler) {
        handlers.set(signal, [...(handlers.get(signal) ?? []), handler]);
      },
    },
    output: {
      stdout: (text) => void (out += text),
      stderr: (text) => void (err += text),
    },
    stdout: () => out,
    stderr: () => err,
    spawned: processes.spawned,
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
      }
      now = until;
    },
    raise,
    settle: () => new Promise((resolve) => setImmediate(resolve)),
    async drive(promise, maxMs = 600_000) {
      let done = false;
      void promise.then(
        () => (done = true),
        () => (done = true),
      );
      const limit = now + maxMs;
      for (let round = 0; round < 100_000 && !done; round += 1) {
        await host.settle();
        if (done) break;
        const next = Math.min(...[...timers.values()].map((timer) => timer.at));
        if (!Number.isFinite(next) || next > limit) throw new Error(`fake host: nothing left to run after ${now - startMs} ms (virtual)`);
        host.advance(Math.max(0, next - now));
      }
      return promise;
    },
    elapsed: () => now - startMs,
  };
  return host;
}

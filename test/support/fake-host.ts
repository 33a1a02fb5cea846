// An in-memory Host for unit tests: virtual files, scripted processes, a manual clock, captured output.
import type { ExitStatus, Host, ReadStream, SpawnOptions, TimerHandle } from "../../src/core/host.ts";
import { fail, ok, SIGNAL } from "../../src/core/host.ts";
import { createFakeFiles, type FakeEntry, type FakeFiles } from "./fake-files.ts";

/** What a scripted process does: prints, then exits after `runMs` (never, if undefined). */
export interface FakeProcessScript {
  readonly stdout?: string;
  readonly stderr?: string;
  readonly runMs?: number;
  readonly exit?: ExitStatus;
  /** Dies from any signal it is sent (as a default-disposition process would). */
  readonly diesOnSignal?: boolean;
}

/** A process the fake started. */
export interface FakeProcess {
  readonly pid: number;
  readonly argv: readonly string[];
  readonly options: SpawnOptions;
  readonly signals: number[];
}

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
  /** Advances the manual clock, running due timers in order. */
  advance(ms: number): void;
  /** Delivers a signal to the handler the core installed. */
  raise(signal: number): void;
  /** Lets pending promise callbacks run. */
  settle(): Promise<void>;
  /** Settles and advances the clock by `stepMs` until `pending` is done (for chains of scripted commands). */
  drive<T>(pending: Promise<T>, stepMs?: number): Promise<T>;
}

/** Steps `drive` takes before giving up (a test waiting on a command no script ends). */
const MAX_DRIVE_STEPS = 10_000;

/** Builds a fake host. */
export function createFakeHost(options: FakeHostOptions = {}): FakeHost {
  let now = options.startMs ?? 1_700_000_000_000;
  let nextTimer = 1;
  let nextPid = 100;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const handlers = new Map<number, Array<() => void>>();
  const exited: Array<{ pid: number; status: ExitStatus }> = [];
  const spawned: FakeProcess[] = [];
  const scripted = new Map<number, { script: FakeProcessScript; finish: (status: ExitStatus) => void }>();
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

  const host: FakeHost = {
    argv: options.argv ?? [],
    env: options.env ?? {},
    files,
    processes: {
      spawn(argv, spawnOptions) {
        const pid = nextPid++;
        const process: FakeProcess = { pid, argv: [...argv], options: spawnOptions, signals: [] };
        spawned.push(process);
        const script = options.script?.(argv) ?? { exit: { kind: "exited", code: 0 }, runMs: 0 };
        let done = false;
        const finish = (status: ExitStatus): void => {
          if (done) return;
          done = true;
          exited.push({ pid, status });
          raise(SIGNAL.CHLD);
        };
        scripted.set(pid, { script, finish });
        if (script.exit !== undefined && script.runMs !== undefined) setTimer(() => finish(script.exit as ExitStatus), script.runMs);
        return ok({
          pid,
          ...(spawnOptions.stdout === "pipe" ? { stdout: fakeStream(script.stdout ?? "", setTimer) } : {}),
          ...(spawnOptions.stderr === "pipe" ? { stderr: fakeStream(script.stderr ?? "", setTimer) } : {}),
        });
      },
      kill(pid, signal) {
        const process = spawned.find((candidate) => candidate.pid === pid);
        if (process === undefined) return fail("ESRCH", "No such process");
        process.signals.push(signal);
        const entry = scripted.get(pid);
        if (entry?.script.diesOnSignal === true) setTimer(() => entry.finish({ kind: "killed", signal }), 0);
        return ok(undefined);
      },
      reapOne: () => exited.shift() ?? null,
      selfPid: 1,
    },
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
    spawned,
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
    async drive(pending, stepMs = 10) {
      let done = false;
      void pending.then(() => (done = true), () => (done = true));
      for (let step = 0; step < MAX_DRIVE_STEPS && !done; step += 1) {
        await host.settle();
        if (!done) host.advance(stepMs);
      }
      return pending;
    },
  };
  return host;
}

function fakeStream(text: string, setTimer: (callback: () => void, delayMs: number) => TimerHandle): ReadStream {
  return {
    read(onChunk) {
      setTimer(() => {
        if (text !== "") onChunk(new TextEncoder().encode(text));
        onChunk(null);
      }, 0);
    },
  };
}

// Scripted child processes for the fake host: timed output, exits, reactions to signals, a reap queue.
import type { ExitStatus, HostResult, ProcessesPort, ReadStream, SpawnOptions, TimerHandle } from "../../src/core/host.ts";
import { fail, ok, SIGNAL } from "../../src/core/host.ts";

/** What a scripted process does. Without `exit` it runs until signalled. */
export interface FakeProcessScript {
  /** Printed at once. */
  readonly stdout?: string;
  readonly stderr?: string;
  /** Lines printed on stderr (where tailscaled logs) `atMs` after the start. */
  readonly lines?: ReadonlyArray<{ readonly atMs: number; readonly text: string }>;
  readonly runMs?: number;
  readonly exit?: ExitStatus;
  /** On TERM/INT/QUIT: die (default) or ignore. KILL always kills. */
  readonly onTerm?: "die" | "ignore";
}

/** A process the fake started, for assertions. */
export interface FakeProcess {
  readonly pid: number;
  readonly argv: readonly string[];
  readonly options: SpawnOptions;
  readonly signals: number[];
  readonly startedAtMs: number;
  exitedAtMs?: number;
}

/** What the process fake needs from the fake host. */
export interface FakeProcessDeps {
  readonly now: () => number;
  readonly setTimer: (callback: () => void, delayMs: number) => TimerHandle;
  readonly raise: (signal: number) => void;
  readonly script: (argv: readonly string[]) => FakeProcessScript;
}

/** The processes port plus the list of everything spawned. */
export function createFakeProcesses(deps: FakeProcessDeps): ProcessesPort & { readonly spawned: FakeProcess[] } {
  let nextPid = 100;
  const spawned: FakeProcess[] = [];
  const reapable: Array<{ pid: number; status: ExitStatus }> = [];
  const running = new Map<number, { script: FakeProcessScript; finish: (status: ExitStatus) => void }>();

  return {
    spawned,
    selfPid: 1,
    spawn(argv, options): HostResult<{ pid: number; stdout?: ReadStream; stderr?: ReadStream }> {
      const pid = nextPid++;
      const record: FakeProcess = { pid, argv: [...argv], options, signals: [], startedAtMs: deps.now() };
      spawned.push(record);
      const script = deps.script(argv);
      const stdout = createPipe();
      const stderr = createPipe();
      const finish = (status: ExitStatus): void => {
        if (!running.has(pid)) return;
        running.delete(pid);
        record.exitedAtMs = deps.now();
        stdout.close();
        stderr.close();
        reapable.push({ pid, status });
        deps.raise(SIGNAL.CHLD);
      };
      running.set(pid, { script, finish });
      deps.setTimer(() => {
        if (script.stdout !== undefined) stdout.write(script.stdout);
        if (script.stderr !== undefined) stderr.write(script.stderr);
      }, 0);
      for (const line of script.lines ?? []) deps.setTimer(() => running.has(pid) && stderr.write(`${line.text}\n`), line.atMs);
      if (script.exit !== undefined) deps.setTimer(() => finish(script.exit as ExitStatus), script.runMs ?? 0);
      return ok({
        pid,
        ...(options.stdout === "pipe" ? { stdout: stdout.stream } : {}),
        ...(options.stderr === "pipe" ? { stderr: stderr.stream } : {}),
      });
    },
    kill(target, signal) {
      const pid = Math.abs(target);
      const record = spawned.find((candidate) => candidate.pid === pid);
      const process = running.get(pid);
      if (record === undefined || process === undefined) return fail("ESRCH", "No such process");
      record.signals.push(signal);
      const stops = signal === SIGNAL.TERM || signal === SIGNAL.INT || signal === SIGNAL.QUIT;
      if (signal === SIGNAL.KILL || (stops && process.script.onTerm !== "ignore")) deps.setTimer(() => process.finish({ kind: "killed", signal }), 0);
      return ok(undefined);
    },
    reapOne: () => reapable.shift() ?? null,
  };
}

function createPipe(): { stream: ReadStream; write: (text: string) => void; close: () => void } {
  let reader: ((chunk: Uint8Array | null) => void) | undefined;
  const pending: Array<Uint8Array | null> = [];
  const deliver = (chunk: Uint8Array | null): void => (reader === undefined ? void pending.push(chunk) : reader(chunk));
  let closed = false;
  return {
    stream: {
      read(onChunk) {
        reader = onChunk;
        for (const chunk of pending.splice(0)) onChunk(chunk);
      },
      // Our end closed: nothing more is delivered.
      close() {
        closed = true;
        reader = undefined;
        pending.length = 0;
      },
    },
    write: (text) => !closed && deliver(new TextEncoder().encode(text)),
    close() {
      if (closed) return;
      closed = true;
      deliver(null);
    },
  };
}

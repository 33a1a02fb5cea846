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
  /**
   * A child of its own that ignores TERM and outlives it, in its process group (the process must be a
   * group leader: started through `setsid`); only a KILL to the group ends it.
   */
  readonly leavesChildInGroup?: boolean;
}

/** A signal as a process got it: sent to its pid, or to its process group (`kill(-pgid, ...)`). */
export interface FakeDelivery {
  readonly signal: number;
  readonly to: "pid" | "group";
}

/** A process the fake started, for assertions. */
export interface FakeProcess {
  readonly pid: number;
  readonly argv: readonly string[];
  readonly options: SpawnOptions;
  /** Every signal it got, however sent. */
  readonly signals: number[];
  readonly deliveries: FakeDelivery[];
  readonly startedAtMs: number;
  exitedAtMs?: number;
  /** Its process group: its own pid when started through `setsid`, else the supervisor's (1). */
  readonly pgid: number;
}

/** What the process fake needs from the fake host. */
export interface FakeProcessDeps {
  readonly now: () => number;
  readonly setTimer: (callback: () => void, delayMs: number) => TimerHandle;
  /** Sends the supervisor a signal (SIGCHLD when a child exits). */
  readonly raise: (signal: number) => void;
  readonly script: (argv: readonly string[]) => FakeProcessScript;
}

/** The processes port plus the list of everything spawned (a child left in a group included, argv `[left-behind]`). */
export function createFakeProcesses(deps: FakeProcessDeps): ProcessesPort & { readonly spawned: FakeProcess[] } {
  let nextPid = 100;
  const spawned: FakeProcess[] = [];
  const reapable: Array<{ pid: number; status: ExitStatus }> = [];
  const running = new Map<number, { script: FakeProcessScript; finish: (status: ExitStatus) => void }>();
  const signalOne = (pid: number, delivery: FakeDelivery): void => {
    const record = spawned.find((candidate) => candidate.pid === pid);
    const process = running.get(pid);
    if (record === undefined || process === undefined) return;
    record.signals.push(delivery.signal);
    record.deliveries.push(delivery);
    const stops = delivery.signal === SIGNAL.TERM || delivery.signal === SIGNAL.INT || delivery.signal === SIGNAL.QUIT;
    if (delivery.signal === SIGNAL.KILL || (stops && process.script.onTerm !== "ignore")) deps.setTimer(() => process.finish({ kind: "killed", signal: delivery.signal }), 0);
  };
  // A grandchild is not the supervisor's child: it is never reaped by it (its parent or init does that).
  const leaveChild = (pgid: number): void => {
    const pid = nextPid++;
    spawned.push({ pid, argv: ["[left-behind]"], options: {}, signals: [], deliveries: [], startedAtMs: deps.now(), pgid });
    running.set(pid, { script: { onTerm: "ignore" }, finish: () => {
      running.delete(pid);
      const record = spawned.find((candidate) => candidate.pid === pid);
      if (record !== undefined) record.exitedAtMs = deps.now();
    } });
  };

  return {
    spawned,
    selfPid: 1,
    spawn(argv, options): HostResult<{ pid: number; stdout?: ReadStream; stderr?: ReadStream }> {
      const pid = nextPid++;
      const pgid = argv[0] === "setsid" ? pid : 1;
      const record: FakeProcess = { pid, argv: [...argv], options, signals: [], deliveries: [], startedAtMs: deps.now(), pgid };
      spawned.push(record);
      const script = deps.script(argv);
      if (script.leavesChildInGroup === true) {
        if (pgid === 1) throw new Error("fake processes: leavesChildInGroup needs a group leader (setsid)");
        leaveChild(pgid);
      }
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
    // kill(2): a positive target is one pid, a negative one a whole process group (ESRCH once empty).
    kill(target, signal) {
      if (target > 0) {
        if (!running.has(target)) return fail("ESRCH", "No such process");
        signalOne(target, { signal, to: "pid" });
        return ok(undefined);
      }
      if (target === 0 || target === -1) throw new Error(`fake processes: kill(${target}) would signal the supervisor's own group or every process`);
      const members = spawned.filter((candidate) => candidate.pgid === -target && running.has(candidate.pid));
      if (members.length === 0) return fail("ESRCH", "No such process");
      for (const member of members) signalOne(member.pid, { signal, to: "group" });
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

// Running short commands to completion (probes, hooks, CLI calls, diagnostics): each with a time
// limit and bounded output, and every one ended by a stop request within the stop grace.
import type { ClockPort, ExitStatus, ProcessesPort, TimerHandle } from "../host.ts";
import { SIGNAL } from "../host.ts";
import type { Redactor } from "../log/redact.ts";
import { describeDuration } from "../text/duration.ts";
import { captureOutput } from "./capture-output.ts";
import { KILL_AFTER_TERM_MS } from "./command-timeouts.ts";
import { drainAfterExit, startReading } from "./read-output.ts";
import type { Reaper } from "./reaper.ts";
import type { StopRequest } from "./stop-request.ts";

/** A finished command: how it ended and what it printed. */
export interface CapturedCommand {
  readonly status: ExitStatus;
  readonly stdout: string;
  readonly stderr: string;
}

/** Why a command gave no result: it could not start, ran out of time, or was ended by a stop request. */
export type CommandFailure = "not-started" | "timed-out" | "stopped";

/** A command's result; a failure says what happened in words (naming the command) and keeps what it printed. */
export type CaptureResult =
  | { readonly ok: true; readonly value: CapturedCommand }
  | { readonly ok: false; readonly reason: CommandFailure; readonly error: string; readonly stdout: string; readonly stderr: string };

/** How to run one command. */
export interface RunOptions {
  /** The command in messages (`ip route`, `STARTUP_SCRIPT /etc/start.sh`); never a secret. */
  readonly label: string;
  readonly timeoutMs: number;
  /** The child's whole environment; the runner's default (process/child-env.ts) when omitted, never the supervisor's. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to the child's stdin (a pipe, closed after it): how a secret reaches a command without its argv. */
  readonly stdin?: string;
  /** In a session of its own (`setsid`), so that a timeout or a stop reaches its children too (hooks). */
  readonly ownSession?: boolean;
  /** Bytes kept of each output stream, redacted before the cut; the rest is read and dropped. */
  readonly maxOutputBytes?: number;
}

/** Runs commands; ends them all on a stop request. */
export interface CommandRunner {
  run(argv: readonly string[], options: RunOptions): Promise<CaptureResult>;
  /** TERM to every command still running, KILL `graceMs` later; resolves once all are reaped. */
  endAll(graceMs: number): Promise<void>;
  /** A stop was requested: no command starts any more. */
  readonly stopping: boolean;
}

/** What the runner needs besides the reaper. */
export interface RunnerSetup {
  readonly stop: StopRequest;
  /** How long commands get between TERM and KILL once a stop is requested. */
  readonly stopGraceMs: number;
  /** The `setsid` wrapper for `ownSession`, when there is one on PATH. */
  readonly sessionWrapper: readonly string[] | undefined;
  /** The environment of a command that names none (the probes'). */
  readonly defaultEnv: Readonly<Record<string, string>>;
  /** Redacts what commands print where it enters, before the output is capped. */
  readonly redactor: Redactor;
}


interface Running {
  /** TERM now (once), KILL at `killAtMs` (the earliest asked for wins). */
  end(reason: "timed-out" | "stopped", killAtMs: number): void;
  readonly done: Promise<unknown>;
}

/** Creates the runner; a stop request ends what runs (TERM, KILL after the stop grace). */
export function createCommandRunner(host: { readonly processes: ProcessesPort; readonly clock: ClockPort }, reaper: Reaper, setup: RunnerSetup): CommandRunner {
  const running = new Set<Running>();
  const endAll = (reason: "timed-out" | "stopped", killAtMs: number): Promise<void> => {
    const all = [...running];
    for (const command of all) command.end(reason, killAtMs);
    return Promise.all(all.map((command) => command.done)).then(() => undefined);
  };
  setup.stop.onRequest(() => void endAll("stopped", (setup.stop.atMs ?? host.clock.now()) + setup.stopGraceMs));

  const run = async (argv: readonly string[], options: RunOptions): Promise<CaptureResult> => {
    const { label } = options;
    if (setup.stop.signal !== undefined) return failed("stopped", `${label} was not started: the supervisor is stopping`);
    const wrapper = options.ownSession === true ? setup.sessionWrapper : undefined;
    const started = reaper.spawn([...(wrapper ?? []), ...argv], { stdout: "pipe", stderr: "pipe", env: options.env ?? setup.defaultEnv, ...(options.stdin === undefined ? {} : { stdin: options.stdin }) });
    if (!started.ok) return failed("not-started", `${label} could not be started: ${started.error.message}`);
    const child = started.value;
    // setsid makes the child the leader of its own process group: -pid reaches its children too.
    const target = wrapper === undefined ? child.pid : -child.pid;
    const stdout = captureOutput(setup.redactor, options.maxOutputBytes);
    const stderr = captureOutput(setup.redactor, options.maxOutputBytes);
    const readings = [startReading(child.stdout, stdout.add), startReading(child.stderr, stderr.add)];
    let ended: "timed-out" | "stopped" | undefined;
    let killAt: number | undefined;
    let killTimer: TimerHandle | undefined;
    const command: Running = {
      end(reason, killAtMs) {
        if (ended === undefined) {
          ended = reason;
          host.processes.kill(target, SIGNAL.TERM);
        }
        if (killAt !== undefined && killAt <= killAtMs) return;
        killAt = killAtMs;
        if (killTimer !== undefined) host.clock.clearTimeout(killTimer);
        killTimer = host.clock.setTimeout(() => host.processes.kill(target, SIGNAL.KILL), Math.max(0, killAtMs - host.clock.now()));
      },
      done: child.exited,
    };
    running.add(command);
    const timeout = host.clock.setTimeout(() => command.end("timed-out", host.clock.now() + KILL_AFTER_TERM_MS), options.timeoutMs);
    const status = await drainAfterExit(host.clock, child.exited, readings);
    running.delete(command);
    host.clock.clearTimeout(timeout);
    if (killTimer !== undefined) host.clock.clearTimeout(killTimer);
    // What the ended command left behind in its session goes with it.
    if (ended !== undefined && wrapper !== undefined) host.processes.kill(target, SIGNAL.KILL);
    const output = { stdout: stdout.text(), stderr: stderr.text() };
    if (ended === "timed-out") return failed("timed-out", `${label} did not finish within ${describeDuration(options.timeoutMs)} and was ended`, output);
    if (ended === "stopped") return failed("stopped", `${label} was ended by the stop request`, output);
    return { ok: true, value: { status, ...output } };
  };
  return {
    run,
    endAll: (graceMs) => endAll("stopped", host.clock.now() + graceMs),
    get stopping() {
      return setup.stop.signal !== undefined;
    },
  };
}

function failed(reason: CommandFailure, error: string, output: { stdout: string; stderr: string } = { stdout: "", stderr: "" }): CaptureResult {
  return { ok: false, reason, error, ...output };
}

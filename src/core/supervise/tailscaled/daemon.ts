// Starting tailscaled in its own session and relaying its output as log lines and events.
import type { ClockPort, ExitStatus } from "../../host.ts";
import type { Logger } from "../../log/logger.ts";
import type { Redactor } from "../../log/redact.ts";
import { drainAfterExit, startReading } from "../../process/read-output.ts";
import type { Reaper } from "../../process/reaper.ts";
import { createLogRelay, type RelayOutput } from "./log-relay.ts";
import { CRASH_HEAD_LINES, CRASH_LINE, isNotableLine, rememberNotable } from "../diagnostics/explaining-lines.ts";
import type { LineRoute } from "./quiet-filter.ts";
import { parseTailscaledLine, type TailscaledEvent } from "./tailscaled-events.ts";

/** How many of tailscaled's last lines are kept for diagnostics. */
export const TAIL_LINES = 50;


/** A running tailscaled. `groupLeader`: its pid is its process group (signal -pid reaches all). */
export interface Daemon {
  readonly pid: number;
  readonly groupLeader: boolean;
  readonly startedAtMs: number;
  /** Settles when it has been reaped (its output may still be on the way). */
  readonly reaped: Promise<ExitStatus>;
  /** Settles once it exited and its output was read to the end (within bounds): its last lines are in `tail`. */
  readonly exited: Promise<ExitStatus>;
  /** The first line of a crash it printed (`panic: ...`), which a long trace pushes out of `tail`. */
  crashLine(): string | undefined;
}

/** What starting the daemon needs. */
export interface DaemonStart {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** `setsid` found on PATH: run tailscaled through it, in its own session and process group. */
  readonly useSetsid: boolean;
  readonly verbose: boolean;
  readonly clock: ClockPort;
  readonly tail: string[];
  /** tailscaled's notable lines (states, errors, warnings, a crash's first lines), for the diagnostics. */
  readonly notable: string[];
  readonly onEvent: (event: TailscaledEvent) => void;
  /** False for a line not to log (it still reaches `tail` and `onEvent`); undefined: log all. */
  readonly shouldLog?: (line: string) => boolean;
  /** Redacts each line where it enters, before anything keeps or cuts it. */
  readonly redactor: Redactor;
  /** Whether a line is logged, and at which level (quiet-filter.ts); undefined: every line, at INFO. */
  readonly route?: (line: string) => LineRoute;
  /** Where the lines not logged go (the log ring); undefined: nowhere. */
  readonly quiet?: Logger;
}

const LOUD: LineRoute = { loud: true, level: "info" };

/** Starts tailscaled; its lines go to `log` as component tailscaled, events to `onEvent`. */
export function startDaemon(reaper: Reaper, log: Logger, start: DaemonStart): { ok: true; daemon: Daemon } | { ok: false; error: string } {
  const argv = start.useSetsid ? ["setsid", ...start.argv] : [...start.argv];
  const spawned = reaper.spawn(argv, { env: start.env, stdout: "pipe", stderr: "pipe" });
  if (!spawned.ok) return { ok: false, error: spawned.error.message };
  // One per stream: a repeat count belongs to the line before it on the same stream.
  const createEmit = (): ((output: RelayOutput) => void) => {
    let target: Logger | undefined;
    return (output) => {
      if (output.kind === "line") {
        const route = start.route?.(output.text) ?? LOUD;
        target = route.loud && start.shouldLog?.(output.text) !== false ? log : start.quiet;
        target?.[route.level](output.text);
      } else target?.info("previous line repeated", { times: output.times });
    };
  };
  let crashLine: string | undefined;
  // The lines after a crash's first one (the goroutine that crashed) are notable too.
  let crashHeadLeft = 0;
  const onLine = (line: string): void => {
    if (crashHeadLeft > 0) {
      crashHeadLeft -= 1;
      rememberNotable(start.notable, line);
    } else if (crashLine === undefined && CRASH_LINE.test(line)) {
      crashLine = line;
      crashHeadLeft = CRASH_HEAD_LINES;
    } else if (isNotableLine(line)) rememberNotable(start.notable, line);
    start.tail.push(line);
    // Trimmed in bulk: a shift per line would move every element (a burst is thousands of lines).
    if (start.tail.length >= 2 * TAIL_LINES) start.tail.splice(0, start.tail.length - TAIL_LINES);
    const event = parseTailscaledLine(line);
    if (event !== undefined) start.onEvent(event);
  };
  const readings = [spawned.value.stdout, spawned.value.stderr].map((stream) => {
    const relay = createLogRelay({ verbose: start.verbose, emit: createEmit(), onLine, redactor: start.redactor });
    return startReading(stream, (chunk) => relay.push(chunk), () => relay.end());
  });
  // Acting on the exit before its output is read would lose a crash's last lines.
  const exited = drainAfterExit(start.clock, spawned.value.exited, readings);
  return { ok: true, daemon: { pid: spawned.value.pid, groupLeader: start.useSetsid, startedAtMs: start.clock.now(), reaped: spawned.value.exited, exited, crashLine: () => crashLine } };
}

// A scripted CommandRunner for unit tests of code that runs commands: each argv gets the answer the
// test gives (an exit with output, or a failure to run), every call is recorded, and a stop can be
// requested at any point.
import type { ExitStatus } from "../../src/core/host.ts";
import type { CaptureResult, CommandFailure, CommandRunner, RunOptions } from "../../src/core/process/command-runner.ts";

/** How a command answers: exits (code 0 by default) with output, or does not run to its end. */
export type FakeAnswer =
  | { readonly code?: number; readonly signal?: number; readonly stdout?: string; readonly stderr?: string }
  | { readonly failure: CommandFailure; readonly error: string };

/** The runner, the argv and options of every run, and a switch for `stopping`. */
export interface FakeCommands {
  readonly runner: CommandRunner;
  readonly ran: string[][];
  readonly options: RunOptions[];
  /** Makes `stopping` true, now or once `afterRuns` commands ran. */
  stop(afterRuns?: number): void;
}

/** Builds the runner; `answer` decides each command's outcome (default: exits 0, prints nothing). */
export function createFakeCommands(answer: (argv: readonly string[]) => FakeAnswer | undefined = () => undefined): FakeCommands {
  const ran: string[][] = [];
  const options: RunOptions[] = [];
  let stopAfter = Number.POSITIVE_INFINITY;
  const runner: CommandRunner = {
    get stopping() {
      return ran.length >= stopAfter;
    },
    endAll: async () => undefined,
    run: async (argv, given): Promise<CaptureResult> => {
      ran.push([...argv]);
      options.push(given);
      const reply = answer(argv) ?? {};
      if ("failure" in reply) return { ok: false, reason: reply.failure, error: reply.error, stdout: "", stderr: "" };
      const status: ExitStatus = reply.signal === undefined ? { kind: "exited", code: reply.code ?? 0 } : { kind: "killed", signal: reply.signal };
      return { ok: true, value: { status, stdout: reply.stdout ?? "", stderr: reply.stderr ?? "" } };
    },
  };
  return {
    runner,
    ran,
    options,
    stop(afterRuns = ran.length) {
      stopAfter = afterRuns;
    },
  };
}

// A CommandRunner that runs nothing: records each argv and answers from a script (exit code, output),
// for the modules that only build and read commands (the LAN rules, doctor's LAN lines).
import type { CaptureResult, CommandRunner } from "../../src/core/process/command-runner.ts";

/** What one command answers: exit code and output, or that it could not run / was ended. */
export type FakeAnswer = { readonly code: number; readonly stdout?: string; readonly stderr?: string } | { readonly failure: "not-started" | "timed-out" | "stopped" };

/** The runner and the commands it was given, each as one space-joined line. */
export interface FakeRunner extends CommandRunner {
  readonly ran: string[];
}

/** `answer` decides per command (joined argv); a command it returns undefined for exits 0 with no output. */
export function createFakeRunner(answer: (command: string) => FakeAnswer | undefined = () => undefined, options: { stopping?: boolean } = {}): FakeRunner {
  const ran: string[] = [];
  return {
    ran,
    stopping: options.stopping === true,
    async run(argv, runOptions): Promise<CaptureResult> {
      const command = argv.join(" ");
      ran.push(command);
      const reply = answer(command) ?? { code: 0 };
      if ("failure" in reply) return { ok: false, reason: reply.failure, error: `${runOptions.label} ${reply.failure}`, stdout: "", stderr: "" };
      return { ok: true, value: { status: { kind: "exited", code: reply.code }, stdout: reply.stdout ?? "", stderr: reply.stderr ?? "" } };
    },
    async endAll() {},
  };
}

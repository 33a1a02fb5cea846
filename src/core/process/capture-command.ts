// Runs a short command to completion and collects its output (probes, CLI calls).
import type { ExitStatus, ReadStream } from "../host.ts";
import { createUtf8Decoder } from "../text/utf8.ts";
import type { Reaper } from "./reaper.ts";

/** A finished command: how it ended and what it printed. */
export interface CapturedCommand {
  readonly status: ExitStatus;
  readonly stdout: string;
  readonly stderr: string;
}

/** Result of trying to run a command: finished, or could not be started at all. */
export type CaptureResult = { readonly ok: true; readonly value: CapturedCommand } | { readonly ok: false; readonly error: string };

/** Starts `argv` with both outputs piped and resolves once it has exited and both pipes closed. */
export async function captureCommand(reaper: Reaper, argv: readonly string[], env?: Readonly<Record<string, string>>): Promise<CaptureResult> {
  const started = reaper.spawn(argv, { stdout: "pipe", stderr: "pipe", ...(env === undefined ? {} : { env }) });
  if (!started.ok) return { ok: false, error: started.error.message };
  const [status, stdout, stderr] = await Promise.all([started.value.exited, readAll(started.value.stdout), readAll(started.value.stderr)]);
  return { ok: true, value: { status, stdout, stderr } };
}

function readAll(stream: ReadStream | undefined): Promise<string> {
  if (stream === undefined) return Promise.resolve("");
  const decoder = createUtf8Decoder();
  let text = "";
  return new Promise((resolve) => {
    stream.read((chunk) => {
      if (chunk === null) resolve(text + decoder.end());
      else text += decoder.decode(chunk);
    });
  });
}

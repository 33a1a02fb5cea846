// Reading a child's output to its end, within bounds: a pipe that a leftover grandchild keeps open
// never ends, and a child may print without limit after it exited.
import type { ClockPort, ExitStatus, ReadStream } from "../host.ts";

/** How long, and how many bytes, a child's output is still read after it exited. */
export interface DrainBounds {
  readonly maxMs: number;
  readonly maxBytes: number;
}

/** What is read after an exit: the last lines a crash printed (a Go panic's trace), not a flood. */
export const DRAIN_AFTER_EXIT: DrainBounds = { maxMs: 1000, maxBytes: 1024 * 1024 };

/** One stream being read. */
export interface OutputReading {
  /** Settles at end of file, or when `close` ended the reading. */
  readonly ended: Promise<void>;
  /** Reads at most `maxBytes` more, then closes. */
  limit(maxBytes: number): void;
  /** Stops reading now (`onEnd` is still called once). */
  close(): void;
}

/** Starts reading `stream` (none: ended at once); `onEnd` runs once, at end of file or close. */
export function startReading(stream: ReadStream | undefined, onChunk: (chunk: Uint8Array) => void, onEnd: () => void = () => undefined): OutputReading {
  let finished = false;
  let bytes = 0;
  let limitAt = Number.POSITIVE_INFINITY;
  let resolveEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const finish = (): void => {
    if (finished) return;
    finished = true;
    onEnd();
    resolveEnded();
  };
  const close = (): void => {
    if (finished) return;
    stream?.close();
    finish();
  };
  if (stream === undefined) finish();
  stream?.read((chunk) => {
    if (finished) return;
    if (chunk === null) return finish();
    bytes += chunk.byteLength;
    onChunk(chunk);
    if (bytes >= limitAt) close();
  });
  return {
    ended,
    limit(maxBytes) {
      limitAt = Math.min(limitAt, bytes + maxBytes);
      if (bytes >= limitAt) close();
    },
    close,
  };
}

/**
 * Waits for the child's exit, then for the end of its output within `bounds`, closing what is
 * still open after that; resolves with the exit status once its output has been read. Acting on an
 * exit before its output is read loses the last lines (a crash's `panic:` line).
 */
export async function drainAfterExit(clock: ClockPort, exited: Promise<ExitStatus>, readings: readonly OutputReading[], bounds: DrainBounds = DRAIN_AFTER_EXIT): Promise<ExitStatus> {
  const status = await exited;
  for (const reading of readings) reading.limit(bounds.maxBytes);
  const allEnded = Promise.all(readings.map((reading) => reading.ended));
  let timer: ReturnType<ClockPort["setTimeout"]> | undefined;
  const late = new Promise<void>((resolve) => (timer = clock.setTimeout(resolve, bounds.maxMs)));
  await Promise.race([allEnded, late]);
  if (timer !== undefined) clock.clearTimeout(timer);
  for (const reading of readings) reading.close();
  return status;
}

// The log ring: every line the supervisor prints and every line of tailscaled's it does not, on tmpfs
// (never on flash: a router's flash wears, and RouterOS keeps the container's root there), in two
// files of at most RING_FILE_MAX_BYTES each, written in batches; `logs` reads them (ring-file.ts).
import type { ClockPort, FilesPort, TimerHandle } from "../host.ts";
import { formatRingEntry, RING_FILE_MAX_BYTES, RING_FILE_NAME, RING_OLD_FILE_NAME } from "./ring-file.ts";

/** Pending text is written once it reaches this size ... */
export const RING_FLUSH_BYTES = 16 * 1024;
/** ... or this long after its first line: `logs -f` lags at most this much. */
export const RING_FLUSH_DELAY_MS = 1000;

/** Lines into the ring. */
export interface LogRing {
  /** One output line (its newline optional). */
  add(line: string): void;
  /** Writes what is pending now (at exit). */
  flush(): void;
}

/** What the ring writes with; `dir` undefined (no tmpfs): the ring is not kept at all. */
export interface LogRingOptions {
  readonly files: FilesPort;
  readonly clock: ClockPort;
  readonly dir: string | undefined;
  /** The same redaction every output gets: the files are output too. */
  readonly redact: (text: string) => string;
}

/** Creates the ring, removing what an earlier supervisor left in `dir`. */
export function createLogRing(options: LogRingOptions): LogRing {
  const { files, clock, dir } = options;
  if (dir === undefined) return { add: () => undefined, flush: () => undefined };
  const current = `${dir}/${RING_FILE_NAME}`;
  const old = `${dir}/${RING_OLD_FILE_NAME}`;
  files.remove(old);
  files.remove(current);
  // Empty from the start: `logs` tells a ring with nothing in it yet from no supervisor at all.
  // Created new (a link planted there is replaced, never followed); appended to by the supervisor alone.
  const created = files.createFile(current, "", 0o600).ok;
  let seq = 0;
  let pending = "";
  let currentBytes = 0;
  let timer: TimerHandle | undefined;
  // A write that failed (tmpfs full, the directory gone) ends the ring: the log itself goes on.
  let broken = !created;

  const flush = (): void => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (pending === "" || broken) return;
    const text = pending;
    pending = "";
    if (!files.appendExisting(current, text).ok) {
      broken = true;
      return;
    }
    currentBytes += text.length;
    if (currentBytes < RING_FILE_MAX_BYTES) return;
    broken = !files.rename(current, old).ok || !files.createFile(current, "", 0o600).ok;
    currentBytes = 0;
  };
  return {
    add(line) {
      if (broken) return;
      seq += 1;
      const text = line.endsWith("\n") ? line.slice(0, -1) : line;
      const redacted = options.redact(text);
      pending += formatRingEntry({ seq, timeMs: clock.now(), line: redacted.includes("\n") ? redacted.split("\n").join(" ") : redacted });
      if (pending.length >= RING_FLUSH_BYTES) flush();
      else timer ??= clock.setTimeout(flush, RING_FLUSH_DELAY_MS);
    },
    flush,
  };
}

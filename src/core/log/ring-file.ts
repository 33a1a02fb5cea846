// The log ring's files on tmpfs: their names, the shape of a line in them, and reading them back
// (for `logs`, a process of its own that cannot see the supervisor's memory).
import type { FilesPort } from "../host.ts";

/** The file lines are appended to; at RING_FILE_MAX_BYTES it becomes RING_OLD_FILE_NAME. */
export const RING_FILE_NAME = "log-ring.txt";
/** The previous part of the ring (replaced at each rotation). */
export const RING_OLD_FILE_NAME = "log-ring.1.txt";
/** Size at which the current file is rotated: the ring holds at most twice this, plus one batch. */
export const RING_FILE_MAX_BYTES = 128 * 1024;

/** One line of the ring: its number (from 1 at the supervisor's start), when, and the output line. */
export interface RingEntry {
  readonly seq: number;
  readonly timeMs: number;
  /** A log line as the supervisor formats it (plain or JSON, ASCII), without its newline. */
  readonly line: string;
}

/** `<seq> <epoch ms> <line>\n`: the line as it is (printable ASCII: the formatter escapes it). */
export function formatRingEntry(entry: RingEntry): string {
  return `${entry.seq} ${entry.timeMs} ${entry.line}\n`;
}

/** The entries of a ring file's text, in order; lines of another shape (a torn write) are skipped. */
export function parseRingText(text: string): RingEntry[] {
  const entries: RingEntry[] = [];
  for (const row of text.split("\n")) {
    const first = row.indexOf(" ");
    const second = first < 0 ? -1 : row.indexOf(" ", first + 1);
    if (second < 0) continue;
    const seq = Number(row.slice(0, first));
    const timeMs = Number(row.slice(first + 1, second));
    if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(timeMs) || seq <= 0) continue;
    entries.push({ seq, timeMs, line: row.slice(second + 1) });
  }
  return entries;
}

/** What is in the ring now: both files, oldest first; undefined when neither exists. */
export function readRing(files: FilesPort, dir: string): RingEntry[] | undefined {
  const old = files.readText(`${dir}/${RING_OLD_FILE_NAME}`);
  const current = files.readText(`${dir}/${RING_FILE_NAME}`);
  if (!old.ok && !current.ok) return undefined;
  const entries = [...(old.ok ? parseRingText(old.value) : []), ...(current.ok ? parseRingText(current.value) : [])];
  // A rotation between the two reads could show a part twice: keep each number once, in order.
  const seen = new Set<number>();
  return entries.filter((entry) => !seen.has(entry.seq) && seen.add(entry.seq) !== undefined).sort((a, b) => a.seq - b.seq);
}

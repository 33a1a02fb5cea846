// `logs [-f]`: the log ring from another process (`/container/shell`, `docker exec`): every line the
// supervisor printed and every line of tailscaled's it did not, with times; `-f` follows it.
import type { Host } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import { readRing, RING_FILE_NAME, RING_OLD_FILE_NAME, type RingEntry } from "../log/ring-file.ts";
import { EXIT_CODE, type Outcome } from "../outcome.ts";
import type { StopRequest } from "../process/stop-request.ts";
import { locateRuntimeDir } from "../supervise/state/runtime-dir.ts";

/** How often `logs -f` looks for new lines (the supervisor writes them within a second). */
export const FOLLOW_POLL_MS = 500;

const FOLLOW_OPTIONS = ["-f", "--follow"];

/** Where `logs` writes, and the stop request that ends `-f`. */
export interface LogsIo {
  readonly log: Logger;
  readonly stdout: (text: string) => void;
  readonly stop: StopRequest;
}

/** Prints the ring (exit 0); with -f goes on until TERM/INT (exit 0). No ring: why, exit 1. */
export async function runLogsCommand(host: Host, args: readonly string[], io: LogsIo): Promise<Outcome> {
  const unknown = args.filter((arg) => !FOLLOW_OPTIONS.includes(arg));
  if (unknown.length > 0) {
    io.log.error("unknown logs option", { options: unknown.join(" "), fix: "use logs, or logs -f to follow" });
    return { exitCode: EXIT_CODE.config };
  }
  const dir = locateRuntimeDir(host.files);
  const entries = dir.onTmpfs ? readRing(host.files, dir.path) : undefined;
  if (entries === undefined) {
    const why = dir.onTmpfs ? "is the supervisor running in this container?" : "the container has no tmpfs (/run, /dev/shm or /tmp), and the ring is never written to flash";
    io.log.error("no log ring", { dir: dir.path, why, fix: "the RouterOS log holds the important lines; TS_TAILSCALED_LOG=all logs all of them" });
    return { exitCode: EXIT_CODE.failure };
  }
  io.stdout(formatEntries(entries));
  if (!args.some((arg) => FOLLOW_OPTIONS.includes(arg))) return { exitCode: EXIT_CODE.ok };
  await follow(host, dir.path, entries.at(-1)?.seq ?? 0, io);
  return { exitCode: EXIT_CODE.ok };
}

/** Prints what comes after `lastSeq` until a stop signal; a new supervisor's ring (numbers from 1 again) from its start. */
async function follow(host: Host, dir: string, lastSeq: number, io: LogsIo): Promise<void> {
  let last = lastSeq;
  let sizes = fileSizes(host, dir);
  while (io.stop.signal === undefined) {
    await new Promise<void>((resolve) => host.clock.setTimeout(resolve, FOLLOW_POLL_MS));
    const now = fileSizes(host, dir);
    if (now === sizes) continue;
    sizes = now;
    const entries = readRing(host.files, dir) ?? [];
    if ((entries.at(-1)?.seq ?? 0) < last) last = 0;
    const fresh = entries.filter((entry) => entry.seq > last);
    if (fresh.length === 0) continue;
    last = fresh.at(-1)?.seq ?? last;
    io.stdout(formatEntries(fresh));
  }
}

function fileSizes(host: Host, dir: string): string {
  return [RING_OLD_FILE_NAME, RING_FILE_NAME].map((name) => {
    const info = host.files.stat(`${dir}/${name}`);
    return info.ok ? info.value.size : -1;
  }).join(" ");
}

/** Plain lines with their UTC time in front; JSON lines (they carry `time`) as they are. */
export function formatEntries(entries: readonly RingEntry[]): string {
  return entries.map((entry) => (entry.line.startsWith("{") ? `${entry.line}\n` : `${new Date(entry.timeMs).toISOString()} ${entry.line}\n`)).join("");
}

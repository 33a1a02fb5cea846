// Stopping tailscaled: TERM to its process group, KILL after the grace period, then whatever is left.
import type { ExitStatus, Host, TimerHandle } from "../host.ts";
import { SIGNAL } from "../host.ts";
import type { Daemon } from "./daemon.ts";

// TERM is sent again this often during the grace period: a TERM that lands between fork and exec
// reaches the parent's (inherited) handler in the child and is lost.
const TERM_REPEAT_MS = 500;

/** Sends TERM, waits up to `graceMs` for the exit, escalates to KILL; resolves with the exit status. */
export async function stopDaemon(host: Pick<Host, "processes" | "clock">, daemon: Daemon, graceMs: number): Promise<{ status: ExitStatus; killed: boolean }> {
  signalDaemon(host, daemon, SIGNAL.TERM);
  const timers: TimerHandle[] = [];
  for (let at = TERM_REPEAT_MS; at < graceMs; at += TERM_REPEAT_MS) timers.push(host.clock.setTimeout(() => signalDaemon(host, daemon, SIGNAL.TERM), at));
  const graceOver = new Promise<"grace-over">((resolve) => timers.push(host.clock.setTimeout(() => resolve("grace-over"), graceMs)));
  const first = await Promise.race([daemon.exited, graceOver]);
  for (const timer of timers) host.clock.clearTimeout(timer);
  const killed = first === "grace-over";
  if (killed) signalDaemon(host, daemon, SIGNAL.KILL);
  const status = await daemon.exited;
  // Children of tailscaled that outlived it (they share its process group) go too.
  if (daemon.groupLeader) host.processes.kill(-daemon.pid, SIGNAL.KILL);
  return { status, killed };
}

/** Signals the daemon's whole process group when it has one, else the daemon alone. */
export function signalDaemon(host: Pick<Host, "processes">, daemon: Daemon, signal: number): void {
  host.processes.kill(daemon.groupLeader ? -daemon.pid : daemon.pid, signal);
}

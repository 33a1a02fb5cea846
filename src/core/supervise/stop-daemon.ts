// Stopping tailscaled: TERM to its process group, KILL after the grace period, then whatever is left.
import type { ExitStatus, Host } from "../host.ts";
import { SIGNAL } from "../host.ts";
import type { Daemon } from "./daemon.ts";

/** Sends TERM, waits up to `graceMs` for the exit, escalates to KILL; resolves with the exit status. */
export async function stopDaemon(host: Pick<Host, "processes" | "clock">, daemon: Daemon, graceMs: number): Promise<{ status: ExitStatus; killed: boolean }> {
  signalDaemon(host, daemon, SIGNAL.TERM);
  let timer: ReturnType<typeof host.clock.setTimeout> | undefined;
  const graceOver = new Promise<"grace-over">((resolve) => (timer = host.clock.setTimeout(() => resolve("grace-over"), graceMs)));
  const first = await Promise.race([daemon.exited, graceOver]);
  if (timer !== undefined) host.clock.clearTimeout(timer);
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

// Stopping tailscaled: TERM to it alone, KILL to its process group after the grace period, then TERM
// and KILL to whatever is left of the group. Signals forwarded to it go to tailscaled alone.
import type { ExitStatus, Host, TimerHandle } from "../host.ts";
import { SIGNAL } from "../host.ts";
import type { Daemon } from "./daemon.ts";

// TERM is sent again this often during the grace period: a TERM that lands between fork and exec
// reaches the parent's (inherited) handler in the child and is lost.
const TERM_REPEAT_MS = 500;
/** What is left of tailscaled's group after it exited gets this long between TERM and KILL (within the grace). */
const LEFTOVER_GRACE_MS = 1000;
const LEFTOVER_POLL_MS = 100;

/**
 * Sends TERM to tailscaled alone (its helpers, such as the iptables runs of its cleanup, must
 * finish), waits up to `graceMs` for its exit, then KILLs its whole group. Once it is gone, what is
 * left of its group gets TERM, and KILL when it outlives the grace (at most 1 s more).
 */
export async function stopDaemon(host: Pick<Host, "processes" | "clock">, daemon: Daemon, graceMs: number): Promise<{ status: ExitStatus; killed: boolean }> {
  const deadline = host.clock.now() + graceMs;
  forwardSignal(host, daemon, SIGNAL.TERM);
  const timers: TimerHandle[] = [];
  for (let at = TERM_REPEAT_MS; at < graceMs; at += TERM_REPEAT_MS) timers.push(host.clock.setTimeout(() => forwardSignal(host, daemon, SIGNAL.TERM), at));
  const graceOver = new Promise<"grace-over">((resolve) => timers.push(host.clock.setTimeout(() => resolve("grace-over"), graceMs)));
  const first = await Promise.race([daemon.exited, graceOver]);
  for (const timer of timers) host.clock.clearTimeout(timer);
  const killed = first === "grace-over";
  if (killed) host.processes.kill(daemon.groupLeader ? -daemon.pid : daemon.pid, SIGNAL.KILL);
  const status = await daemon.exited;
  if (daemon.groupLeader) await endLeftovers(host, daemon.pid, Math.min(deadline, host.clock.now() + LEFTOVER_GRACE_MS));
  return { status, killed };
}

/** A signal for tailscaled (HUP, USR1, USR2, and TERM at a stop): to it alone, never to its helpers. */
export function forwardSignal(host: Pick<Host, "processes">, daemon: Daemon, signal: number): void {
  host.processes.kill(daemon.pid, signal);
}

/** TERM to the group, KILL at `killAtMs` unless it is empty by then (kill with signal 0 tells). */
async function endLeftovers(host: Pick<Host, "processes" | "clock">, groupId: number, killAtMs: number): Promise<void> {
  if (!host.processes.kill(-groupId, SIGNAL.TERM).ok) return;
  while (host.clock.now() < killAtMs) {
    await new Promise<void>((resolve) => host.clock.setTimeout(resolve, Math.min(LEFTOVER_POLL_MS, killAtMs - host.clock.now())));
    if (!host.processes.kill(-groupId, 0).ok) return;
  }
  host.processes.kill(-groupId, SIGNAL.KILL);
}

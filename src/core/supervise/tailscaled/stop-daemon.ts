// Stopping tailscaled: TERM to it alone, KILL to its process group after the grace period; then TERM,
// and KILL at the end of the grace, to whatever is left of the group. Signals forwarded to it go to
// tailscaled alone.
import type { ExitStatus, Host, TimerHandle } from "../../host.ts";
import { SIGNAL } from "../../host.ts";
import type { Daemon } from "./daemon.ts";

// TERM is sent again this often during the grace period: a TERM that lands between fork and exec
// reaches the parent's (inherited) handler in the child and is lost.
const TERM_REPEAT_MS = 500;
const LEFTOVER_POLL_MS = 100;

/**
 * Sends TERM to tailscaled alone (its helpers, such as the iptables runs of its cleanup, must
 * finish), waits up to `graceMs` for its exit, then KILLs its whole group. Once it is gone, what is
 * left of its group gets TERM at once (it may hold tailscaled's output open), and KILL when it is
 * still there at the end of the grace.
 */
export async function stopDaemon(host: Pick<Host, "processes" | "clock">, daemon: Daemon, graceMs: number): Promise<{ status: ExitStatus; killed: boolean }> {
  const deadline = host.clock.now() + graceMs;
  forwardSignal(host, daemon, SIGNAL.TERM);
  const timers: TimerHandle[] = [];
  for (let at = TERM_REPEAT_MS; at < graceMs; at += TERM_REPEAT_MS) timers.push(host.clock.setTimeout(() => forwardSignal(host, daemon, SIGNAL.TERM), at));
  const graceOver = new Promise<"grace-over">((resolve) => timers.push(host.clock.setTimeout(() => resolve("grace-over"), graceMs)));
  const first = await Promise.race([daemon.reaped, graceOver]);
  for (const timer of timers) host.clock.clearTimeout(timer);
  const killed = first === "grace-over";
  if (killed) host.processes.kill(daemon.groupLeader ? -daemon.pid : daemon.pid, SIGNAL.KILL);
  await daemon.reaped;
  const leftovers = daemon.groupLeader && host.processes.kill(-daemon.pid, SIGNAL.TERM).ok;
  const status = await daemon.exited;
  if (leftovers) await killLeftoversAt(host, daemon.pid, deadline);
  return { status, killed };
}

/** A signal for tailscaled (HUP, USR1, USR2, and TERM at a stop): to it alone, never to its helpers. */
export function forwardSignal(host: Pick<Host, "processes">, daemon: Daemon, signal: number): void {
  host.processes.kill(daemon.pid, signal);
}

/** KILL to the group at `killAtMs`, unless it is empty before (kill with signal 0 tells). */
async function killLeftoversAt(host: Pick<Host, "processes" | "clock">, groupId: number, killAtMs: number): Promise<void> {
  for (;;) {
    if (!host.processes.kill(-groupId, 0).ok) return;
    if (host.clock.now() >= killAtMs) break;
    await new Promise<void>((resolve) => host.clock.setTimeout(resolve, Math.min(LEFTOVER_POLL_MS, killAtMs - host.clock.now())));
  }
  host.processes.kill(-groupId, SIGNAL.KILL);
}

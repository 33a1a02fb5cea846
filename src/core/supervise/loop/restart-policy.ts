// When tailscaled dies: restart after a backoff, or give up. Pure: times in, decision out.
import type { ExitStatus } from "../../host.ts";

/** Tunables of the policy (defaults: 1 s doubling to 60 s, reset after 60 s up, 5 deaths in 60 s of running). */
export interface RestartPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** A run this long counts as healthy: the next death starts again at the initial delay. */
  readonly healthyAfterMs: number;
  /** Give up when this many deaths fall within `windowMs` of tailscaled's running time. */
  readonly maxDeaths: number;
  readonly windowMs: number;
}

/**
 * The defaults, from s6-supervise (>= 1 s between starts), systemd (5 starts in 10 s) and Docker
 * (backoff doubling to a 1 min cap, reset after 10 s up) practice.
 */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 1000, maxDelayMs: 60_000, healthyAfterMs: 60_000, maxDeaths: 5, windowMs: 60_000 };

/** What the policy remembers between deaths, on a clock of tailscaled's running time. */
export interface RestartHistory {
  /** Running time (ms, summed over the runs) at each death still within the window. */
  readonly deathUptimesMs: readonly number[];
  readonly uptimeMs: number;
  readonly nextDelayMs: number;
}

/** Before the first death. */
export const EMPTY_HISTORY: RestartHistory = { deathUptimesMs: [], uptimeMs: 0, nextDelayMs: -1 };

/** The decision after one death. */
export type RestartDecision =
  | { readonly kind: "restart"; readonly delayMs: number; readonly history: RestartHistory }
  | { readonly kind: "give-up"; readonly reason: "too-many-deaths" | "permanent"; readonly deaths: number };

// 126: found but not executable; 127: not found. Restarting cannot fix either.
const PERMANENT_EXIT_CODES = [126, 127];

/**
 * Decides what to do when the daemon, started at `startedAtMs`, ended with `status` at `nowMs`.
 * Deaths are counted within `windowMs` of running time, not of wall time: the backoff grows to
 * 60 s, so on a wall clock no more than 6 instant deaths ever fall within 60 s and a limit above
 * that would never be reached.
 */
export function decideRestart(policy: RestartPolicy, history: RestartHistory, status: ExitStatus, startedAtMs: number, nowMs: number): RestartDecision {
  const ranMs = Math.max(0, nowMs - startedAtMs);
  const uptimeMs = history.uptimeMs + ranMs;
  const deaths = [...history.deathUptimesMs.filter((time) => uptimeMs - time < policy.windowMs), uptimeMs];
  if (status.kind === "exited" && PERMANENT_EXIT_CODES.includes(status.code)) return { kind: "give-up", reason: "permanent", deaths: deaths.length };
  if (deaths.length >= policy.maxDeaths) return { kind: "give-up", reason: "too-many-deaths", deaths: deaths.length };
  const wasHealthy = ranMs >= policy.healthyAfterMs;
  const delayMs = wasHealthy || history.nextDelayMs < 0 ? policy.initialDelayMs : Math.min(history.nextDelayMs, policy.maxDelayMs);
  return { kind: "restart", delayMs, history: { deathUptimesMs: deaths, uptimeMs, nextDelayMs: Math.min(delayMs * 2, policy.maxDelayMs) } };
}

// When tailscaled dies: restart after a backoff, or give up. Pure: times in, decision out.
import type { ExitStatus } from "../host.ts";

/** Tunables of the policy (defaults: 1 s doubling to 60 s, reset after 60 s up, 5 deaths in 60 s). */
export interface RestartPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** A run this long counts as healthy: the next death starts again at the initial delay. */
  readonly healthyAfterMs: number;
  /** Give up when this many deaths fall within `windowMs`. */
  readonly maxDeaths: number;
  readonly windowMs: number;
}

/** The defaults, from s6-supervise/systemd/Docker practice (../shared/facts/pid1.md). */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 1000, maxDelayMs: 60_000, healthyAfterMs: 60_000, maxDeaths: 5, windowMs: 60_000 };

/** What the policy remembers between deaths. */
export interface RestartHistory {
  readonly deathTimesMs: readonly number[];
  readonly nextDelayMs: number;
}

/** Before the first death. */
export const EMPTY_HISTORY: RestartHistory = { deathTimesMs: [], nextDelayMs: -1 };

/** The decision after one death. */
export type RestartDecision =
  | { readonly kind: "restart"; readonly delayMs: number; readonly history: RestartHistory }
  | { readonly kind: "give-up"; readonly reason: "too-many-deaths" | "permanent"; readonly deaths: number };

// 126: found but not executable; 127: not found. Restarting cannot fix either.
const PERMANENT_EXIT_CODES = [126, 127];

/** Decides what to do when the daemon, started at `startedAtMs`, ended with `status` at `nowMs`. */
export function decideRestart(policy: RestartPolicy, history: RestartHistory, status: ExitStatus, startedAtMs: number, nowMs: number): RestartDecision {
  const deaths = [...history.deathTimesMs.filter((time) => nowMs - time < policy.windowMs), nowMs];
  if (status.kind === "exited" && PERMANENT_EXIT_CODES.includes(status.code)) return { kind: "give-up", reason: "permanent", deaths: deaths.length };
  if (deaths.length >= policy.maxDeaths) return { kind: "give-up", reason: "too-many-deaths", deaths: deaths.length };
  const wasHealthy = nowMs - startedAtMs >= policy.healthyAfterMs;
  const delayMs = wasHealthy || history.nextDelayMs < 0 ? policy.initialDelayMs : Math.min(history.nextDelayMs, policy.maxDelayMs);
  return { kind: "restart", delayMs, history: { deathTimesMs: deaths, nextDelayMs: Math.min(delayMs * 2, policy.maxDelayMs) } };
}

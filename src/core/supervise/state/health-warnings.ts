// tailscaled's health warnings as its log reports them (`health(warnable=W): error: ...` / `ok`): which
// are active, since when, and what kind each is. Warnable codes: Tailscale's health/warnings.go and
// tsconst/health.go (v1.102), and `router`, `dns`, `dns-manager` from health.go's subsystems.

/** One active warning. */
export interface HealthWarning {
  readonly warnable: string;
  readonly message: string;
  readonly sinceMs: number;
}

/** Part of every start and login: tailscaled is starting, or not yet told to run. Not warnings for a user. */
export const ROUTINE_WARNABLES: readonly string[] = ["warming-up", "wantrunning-false", "update-available", "is-using-unstable-version", "local-log-config-error"];

/** Said by the supervisor in its own words (the auth block, the control-trouble warning): not logged twice. */
export const SUPERVISOR_WORDED_WARNABLES: readonly string[] = ["login-state", "network-status"];

/** Consequences of a control server that is away: logged only while the supervisor is not already warning about one. */
export const CONTROL_WARNABLES: readonly string[] = ["mapresponse-timeout", "not-in-map-poll"];

/**
 * Warnings that stop traffic (what `health` fails on): tailscaled could not set up its routes or
 * firewall (`router`); no network; no relay and no UDP; forwarding off for a subnet router; a receive
 * function dead; logged out. Tailscale marks most of them ImpactsConnectivity.
 */
export const TRAFFIC_STOPPING_WARNABLES: readonly string[] = ["router", "network-status", "no-derp-home", "no-udp4-bind", "ip-forwarding-off", "magicsock-receive-func-error", "login-state"];

/** What a health line changed. */
export type HealthChange = "appeared" | "changed" | "cleared" | "none";

/** The active warnings, changed by tailscaled's health lines. */
export interface HealthWarnings {
  /** A health line: `message` undefined for `ok`. Routine warnables are not tracked ("none"). */
  note(warnable: string, message: string | undefined, nowMs: number): HealthChange;
  active(): readonly HealthWarning[];
  /** Since when `warnable` is active, if it is. */
  since(warnable: string): number | undefined;
  /** tailscaled restarted: its health starts again from nothing. */
  clear(): void;
}

/** Creates an empty set. */
export function createHealthWarnings(): HealthWarnings {
  const warnings = new Map<string, HealthWarning>();
  return {
    note(warnable, message, nowMs) {
      if (ROUTINE_WARNABLES.includes(warnable)) return "none";
      const known = warnings.get(warnable);
      if (message === undefined) return warnings.delete(warnable) ? "cleared" : "none";
      if (known?.message === message) return "none";
      warnings.set(warnable, { warnable, message, sinceMs: known?.sinceMs ?? nowMs });
      return known === undefined ? "appeared" : "changed";
    },
    active: () => [...warnings.values()],
    since: (warnable) => warnings.get(warnable)?.sinceMs,
    clear: () => warnings.clear(),
  };
}

// Which of tailscaled's lines reach the RouterOS log (RouterOS keeps 1,000 lines for everything the
// router logs): state changes, health warnings when they appear and clear, real warnings. The rest
// goes to the log ring only (log/log-ring.ts, `logs`). TS_TAILSCALED_LOG=all logs every line.
import { CONTROL_WARNABLES, ROUTINE_WARNABLES, SUPERVISOR_WORDED_WARNABLES, type HealthWarnings } from "../state/health-warnings.ts";
import type { TailscaledLogMode } from "../../log/format-line.ts";
import { classifyTailscaledLine } from "./line-kinds.ts";
import type { BackendState } from "./tailscaled-events.ts";


/** Where one line goes: the log (`loud`) or the ring only, and at which level. */
export interface LineRoute {
  readonly loud: boolean;
  readonly level: "info" | "warn";
}

/** Routes tailscaled's lines, one run of it at a time. */
export interface QuietFilter {
  route(line: string): LineRoute;
  /** tailscaled (re)started: its states and health start from nothing again. */
  reset(): void;
}

/** What the filter needs besides the mode. */
export interface QuietFilterOptions {
  /** `important`: the lines above; `all`: every line (false alarms at INFO, never as warnings). */
  readonly mode: TailscaledLogMode;
  readonly health: HealthWarnings;
  readonly now: () => number;
  /** True while the supervisor warns about control-server trouble (its consequences are not logged twice). */
  readonly controlTroubled: () => boolean;
  /** The active health warnings changed. */
  readonly onHealthChange: () => void;
}

// States a user acts on or waits for; Starting and NoState pass within seconds.
const LOGGED_STATES: readonly BackendState[] = ["NeedsLogin", "NeedsMachineAuth", "Stopped", "Running"];
const QUIET: LineRoute = { loud: false, level: "info" };

/** Creates the filter. */
export function createQuietFilter(options: QuietFilterOptions): QuietFilter {
  const all = options.mode === "all";
  let lastState: BackendState | undefined;
  // Warnables whose appearance was logged: their clearing is logged too.
  const logged = new Set<string>();
  const routeHealth = (warnable: string, message: string | undefined): LineRoute => {
    const change = options.health.note(warnable, message, options.now());
    if (change !== "none") options.onHealthChange();
    const level = message !== undefined && !ROUTINE_WARNABLES.includes(warnable) ? "warn" : "info";
    if (all) return { loud: true, level };
    if (change === "cleared") return { loud: logged.delete(warnable), level };
    if (change !== "appeared" || SUPERVISOR_WORDED_WARNABLES.includes(warnable)) return { loud: false, level };
    if (CONTROL_WARNABLES.includes(warnable) && options.controlTroubled()) return { loud: false, level };
    logged.add(warnable);
    return { loud: true, level };
  };
  return {
    route(line) {
      const kind = classifyTailscaledLine(line);
      switch (kind.kind) {
        case "state": {
          const loud = all || (LOGGED_STATES.includes(kind.to) && kind.to !== lastState);
          if (LOGGED_STATES.includes(kind.to)) lastState = kind.to;
          return { loud, level: "info" };
        }
        case "health":
          return routeHealth(kind.warnable, kind.message);
        case "warning":
          return { loud: true, level: "warn" };
        default:
          return all ? { loud: true, level: "info" } : QUIET;
      }
    },
    reset() {
      lastState = undefined;
      logged.clear();
      options.health.clear();
      options.onHealthChange();
    },
  };
}

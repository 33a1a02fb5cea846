// What a line of tailscaled's is, for the quiet log (quiet-filter.ts): a state switch, a health
// change, a real warning, a known false alarm, or routine chatter. Kinds read from the recordings in
// test/fixtures/tailscale/logs and from Tailscale's own sources (health/warnings.go, wgengine).
import type { BackendState } from "./tailscaled-events.ts";
import { BACKEND_STATES } from "./tailscaled-events.ts";

/** The kind of one (timestamp-free) line. */
export type LineKind =
  | { readonly kind: "state"; readonly to: BackendState }
  /** `health(warnable=W): error: M` (message set) or `health(warnable=W): ok`. */
  | { readonly kind: "health"; readonly warnable: string; readonly message: string | undefined }
  | { readonly kind: "warning" }
  | { readonly kind: "false-alarm" }
  | { readonly kind: "routine" };

/** A line that reads like a failure and is not one: its start, and a part it must contain. */
export interface FalseAlarm {
  readonly start: string;
  readonly contains?: string;
}

/**
 * Known false alarms (RouterOS users took each for a failure). Never logged as warnings; with
 * TS_TAILSCALED_LOG=important not logged at all. Why each is harmless, in order:
 * - linuxfw clear, router enumerating ... for cleanup: at start tailscaled removes what an earlier run
 *   may have left (firewall rules, tailscale0's addresses); a fresh container has none, so that fails;
 * - TPM: a container has no TPM; tailscaled keeps its keys in the state dir;
 * - tstun stats polling: userspace networking has no TUN device to count packets on;
 * - logpolicy: tailscaled's log-upload config; this build uploads no logs;
 * - dns: inotify: its watcher of /etc/resolv.conf stopping, or not needed;
 * - config file is locked: the supervisor's config file is locked on purpose (the environment is the
 *   whole configuration, and the tailnet's defaults cannot change it);
 * - execqueue shut down, engine closing: printed at every stop;
 * - dnsfallback SetCachePath: no cached DERP map yet in a new state dir.
 */
export const FALSE_ALARMS: readonly FalseAlarm[] = [
  { start: "linuxfw: clear iptables: " },
  { start: "linuxfw: clear ip6tables: " },
  { start: "router: enumerating ", contains: " addresses for cleanup failed" },
  { start: "TPM: error opening" },
  { start: "tstun: error initializing tun dev stats polling" },
  { start: "logpolicy.ConfigFromFile " },
  { start: "logpolicy.Config.Validate " },
  { start: "dns: inotify: " },
  { start: "EditPrefs check error: ", contains: "config file is locked" },
  { start: "failed to apply tailnet-wide default for auto-updates", contains: "config file is locked" },
  { start: "ipnext: work queue shutdown failed: execqueue shut down" },
  { start: "wgengine status error: engine closing" },
  { start: "dnsfallback: SetCachePath error reading " },
];

// Lines that are real trouble without being health changes: tailscaled could not apply its routes or
// firewall rules (wgengine/userspace.go; also reported as health warnable `router`).
const WARNINGS = ["wgengine: Reconfig: router config failed ("];

// "Switching ipn state NoState -> Starting (WantRunning=true, nm=true)"
const STATE_SWITCH = /^Switching ipn state \w+ -> (\w+)\b/;
// "health(warnable=ip-forwarding-off): error: Subnet routing is enabled, ..." / "health(warnable=warming-up): ok"
const HEALTH = /^health\(warnable=([^)]*)\): (?:error: (.*)|ok)$/;

/** Classifies one line: fixed starts first, a pattern only where its start matched (every line comes here). */
export function classifyTailscaledLine(line: string): LineKind {
  if (line.startsWith("Switching ipn state ")) {
    const to = BACKEND_STATES.find((state) => state === STATE_SWITCH.exec(line)?.[1]);
    if (to !== undefined) return { kind: "state", to };
  }
  if (line.startsWith("health(warnable=")) {
    const health = HEALTH.exec(line);
    if (health?.[1] !== undefined) return { kind: "health", warnable: health[1], message: health[2] };
  }
  for (const start of WARNINGS) if (line.startsWith(start)) return { kind: "warning" };
  return findFalseAlarm(line) === undefined ? { kind: "routine" } : { kind: "false-alarm" };
}

/** The known false alarm a line is, if any. */
export function findFalseAlarm(line: string): FalseAlarm | undefined {
  return FALSE_ALARMS.find((alarm) => line.startsWith(alarm.start) && (alarm.contains === undefined || line.includes(alarm.contains)));
}

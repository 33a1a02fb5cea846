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
  | { readonly kind: "false-alarm"; readonly reason: string }
  | { readonly kind: "routine" };

/** A line that reads like a failure and is not one: its start, a part it must contain, and why it is harmless. */
export interface FalseAlarm {
  readonly start: string;
  readonly contains?: string;
  readonly reason: string;
}

const CLEANUP = "at start tailscaled removes what an earlier run may have left (firewall rules, tailscale0's addresses); a fresh container has none, so the removal fails";
const LOCKED = "the supervisor's config file is locked on purpose: the environment is the whole configuration, and the tailnet cannot change it";
const STOPPING = "printed at every stop";

/** Known false alarms (RouterOS users took each for a failure). Never logged as warnings; with TS_TAILSCALED_LOG=important not logged at all. */
export const FALSE_ALARMS: readonly FalseAlarm[] = [
  { start: "linuxfw: clear iptables: ", reason: CLEANUP },
  { start: "linuxfw: clear ip6tables: ", reason: CLEANUP },
  { start: "router: enumerating ", contains: " addresses for cleanup failed", reason: CLEANUP },
  { start: "TPM: error opening", reason: "a container has no TPM; tailscaled keeps its keys in the state dir" },
  { start: "tstun: error initializing tun dev stats polling", reason: "userspace networking has no TUN device to count packets on" },
  { start: "logpolicy.ConfigFromFile ", reason: "tailscaled's log-upload config; this build uploads no logs" },
  { start: "logpolicy.Config.Validate ", reason: "tailscaled's log-upload config; this build uploads no logs" },
  { start: "dns: inotify: ", reason: "tailscaled's watcher of /etc/resolv.conf stopping or not needed" },
  { start: "EditPrefs check error: ", contains: "config file is locked", reason: LOCKED },
  { start: "failed to apply tailnet-wide default for auto-updates", contains: "config file is locked", reason: LOCKED },
  { start: "ipnext: work queue shutdown failed: execqueue shut down", reason: STOPPING },
  { start: "wgengine status error: engine closing", reason: STOPPING },
  { start: "dnsfallback: SetCachePath error reading ", reason: "no cached DERP map yet in a new state dir" },
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
  const alarm = findFalseAlarm(line);
  return alarm === undefined ? { kind: "routine" } : { kind: "false-alarm", reason: alarm.reason };
}

/** The known false alarm a line is, if any. */
export function findFalseAlarm(line: string): FalseAlarm | undefined {
  return FALSE_ALARMS.find((alarm) => line.startsWith(alarm.start) && (alarm.contains === undefined || line.includes(alarm.contains)));
}

// A failure as the supervisor understood it: its class (a stable name users can search for), cause and fix.
import type { TroubleClass } from "../control/control-errors.ts";

/** Failure classes, each with a stable name users can search for (the control-server trouble classes included). */
export type FailureClass = "tun" | "permissions" | "firewall" | "forwarding" | "daemon-crash" | "auth" | "timeout" | "hook" | TroubleClass;

/** When each class is printed (the README's list is generated from this). */
export const FAILURE_CLASS_MEANINGS: Readonly<Record<FailureClass, string>> = {
  tun: "kernel TUN networking is impossible and `TS_USERSPACE=false` (checks `tun`, `mode`)",
  permissions: "a capability kernel mode needs is missing with `TS_USERSPACE=false`, the state dir cannot be used, or the key's copy cannot be written",
  firewall: "no iptables backend works and netfilter `on` was asked for",
  forwarding: "`TS_CONTAINER_GATEWAY` is not on a connected subnet",
  "daemon-crash": "tailscaled cannot be run, died `TS_RESTART_LIMIT` times, or keeps dying at the boot deadline",
  auth: "the control server refused the key",
  hook: "`STARTUP_SCRIPT` failed, could not run, or outlived `TS_SCRIPT_TIMEOUT`",
  timeout: "tailscaled is not Running at the boot deadline and reports nothing else (also the trouble class of a control request that timed out)",
  "control-unreachable": "at the boot deadline: the control server refuses or drops connections",
  dns: "at the boot deadline: the control server's name does not resolve",
  "no-route": "at the boot deadline: no route to the control server",
  tls: "at the boot deadline: TLS with the control server fails",
  "server-error": "at the boot deadline: the control server (or a proxy) answers with an HTTP 5xx or 429",
  "network-down": "at the boot deadline: tailscaled sees no network",
  "control-error": "at the boot deadline: another error from the control server",
};

/** A failure ends the supervisor; a warning is printed once and the supervisor goes on. */
export type DiagnosticsSeverity = "failure" | "warning";

/** What went wrong, why, and what to do. */
export interface Failure {
  readonly failureClass: FailureClass;
  readonly cause: string;
  readonly fix: string;
}

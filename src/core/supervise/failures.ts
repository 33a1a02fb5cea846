// The supervisor's failures in words: which class, what happened, and the fix.
import type { ExitStatus } from "../host.ts";
import type { Failure } from "./diagnostics.ts";
import type { RestartDecision } from "./restart-policy.ts";

// tailscaled's words for a control server it cannot reach (DNS, refused, no route, TLS, timeouts).
const UNREACHABLE = /fetch control key|dial tcp|connection refused|no such host|network is unreachable|i\/o timeout|x509:|the network is down/;

/** A boot timeout, told apart from an unreachable control server by tailscaled's last lines. */
export function classifyTimeout(tail: readonly string[], state: string, timeoutMs: number): Failure {
  const evidence = [...tail].reverse().find((line) => UNREACHABLE.test(line));
  if (evidence !== undefined) {
    return { failureClass: "control-unreachable", cause: `tailscaled cannot reach the control server: ${evidence}`, fix: "check TS_LOGIN_SERVER, the container's default route and DNS (RouterOS: masquerade for the veth subnet, /container/config dns=...)" };
  }
  return { failureClass: "timeout", cause: `tailscaled did not reach Running within ${timeoutMs / 1000} s (state ${state})`, fix: "check that the control server is reachable from the container (default route, DNS, firewall); raise TS_BOOT_TIMEOUT on slow links" };
}

/** Why the supervisor stopped restarting tailscaled. */
export function describeGiveUp(decision: Extract<RestartDecision, { kind: "give-up" }>, status: ExitStatus, windowMs: number): Failure {
  if (decision.reason === "permanent") {
    return { failureClass: "daemon-crash", cause: `tailscaled could not be executed (${describeStatus(status)})`, fix: "check that tailscaled is installed and executable on PATH" };
  }
  return { failureClass: "daemon-crash", cause: `tailscaled died ${decision.deaths} times within ${windowMs / 1000} s (last exit ${describeStatus(status)})`, fix: "read tailscaled's last lines below; fix the cause it names" };
}

/** `code 2` or `signal 11`. */
export function describeStatus(status: ExitStatus): string {
  return status.kind === "exited" ? `code ${status.code}` : `signal ${status.signal}`;
}

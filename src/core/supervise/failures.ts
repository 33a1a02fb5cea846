// The supervisor's failures in words: which class, what happened, and the fix.
import type { ExitStatus } from "../host.ts";
import type { Failure } from "./diagnostics.ts";
import type { Trouble } from "./control-trouble.ts";
import type { RestartDecision } from "./restart-policy.ts";
import { adviseTrouble } from "./trouble-advice.ts";

/**
 * tailscaled not Running at the boot deadline: the trouble it reports, when there is one (its class
 * and fix), else a plain timeout. `exiting`: TS_EXIT_ON_BOOT_TIMEOUT=true; otherwise the supervisor waits on.
 */
export function describeBootTimeout(trouble: Trouble | undefined, state: string, timeoutMs: number, headscale: boolean, exiting: boolean): Failure {
  const waited = `tailscaled has not reached Running within ${timeoutMs / 1000} s (state ${state})`;
  const next = exiting ? "TS_EXIT_ON_BOOT_TIMEOUT=true: stopping" : "the supervisor keeps waiting (TS_EXIT_ON_BOOT_TIMEOUT=true would exit)";
  if (trouble !== undefined) {
    const advice = adviseTrouble(trouble.troubleClass, headscale);
    return { failureClass: trouble.troubleClass, cause: `${waited}; ${next}. tailscaled reports: ${trouble.message}`, fix: advice.fix };
  }
  return { failureClass: "timeout", cause: `${waited}; ${next}`, fix: "check that the control server is reachable from the container (default route, DNS, firewall); raise TS_BOOT_TIMEOUT on slow links" };
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

// The supervisor's failures in words: which class, what happened, and the fix.
import type { ExitStatus } from "../../host.ts";
import type { Failure } from "./print-diagnostics.ts";
import type { Trouble } from "../control/control-trouble.ts";
import type { RestartDecision } from "../loop/restart-policy.ts";
import { describeExitStatus, exitCodeOnGivingUp } from "../../process/exit-status.ts";
import { adviseTrouble } from "../control/trouble-advice.ts";

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

const CRASH_FIX = "read tailscaled's crash line and last lines below; fix the cause they name";

/** What the boot deadline knows: deaths since it was armed, whether tailscaled runs, the trouble it reports. */
export interface BootDeadlineFacts {
  readonly deaths: { readonly count: number; readonly last: ExitStatus | undefined };
  readonly daemonRunning: boolean;
  readonly trouble: Trouble | undefined;
  readonly state: string;
  readonly timeoutMs: number;
  readonly headscale: boolean;
  /** TS_EXIT_ON_BOOT_TIMEOUT=true. */
  readonly exiting: boolean;
}

/**
 * The boot deadline's verdict, and the exit code should the supervisor exit for it. A tailscaled
 * that keeps dying is a crash (its own code), whatever the control server does; unless it died once
 * and now runs into control-server trouble, which is then what stands in its way.
 */
export function judgeBootDeadline(facts: BootDeadlineFacts): { readonly failure: Failure; readonly exitCode: number } {
  const { last, count } = facts.deaths;
  const crashing = last !== undefined && (!facts.daemonRunning || facts.trouble === undefined || count > 1);
  if (crashing) return { failure: describeCrashLoop(count, last, facts.timeoutMs, facts.exiting), exitCode: exitCodeOnGivingUp(last) };
  return { failure: describeBootTimeout(facts.trouble, facts.state, facts.timeoutMs, facts.headscale, facts.exiting), exitCode: 1 };
}

/** Why the supervisor stopped restarting tailscaled. */
export function describeGiveUp(decision: Extract<RestartDecision, { kind: "give-up" }>, status: ExitStatus, windowMs: number): Failure {
  if (decision.reason === "permanent") {
    return { failureClass: "daemon-crash", cause: `tailscaled could not be executed (${describeExitStatus(status)})`, fix: "check that tailscaled is installed and executable on PATH" };
  }
  return { failureClass: "daemon-crash", cause: `tailscaled died ${decision.deaths} times within ${windowMs / 1000} s of running (last exit ${describeExitStatus(status)})`, fix: CRASH_FIX };
}

/** tailscaled keeps dying and is not Running at the boot deadline: a crash, not a timeout. */
export function describeCrashLoop(deaths: number, last: ExitStatus, timeoutMs: number, exiting: boolean): Failure {
  const next = exiting ? "TS_EXIT_ON_BOOT_TIMEOUT=true: stopping" : "the supervisor keeps restarting it until TS_RESTART_LIMIT deaths fall within 60 s of its running time";
  return { failureClass: "daemon-crash", cause: `tailscaled died ${deaths} ${deaths === 1 ? "time" : "times"} and has not reached Running within ${timeoutMs / 1000} s (last exit ${describeExitStatus(last)}); ${next}`, fix: CRASH_FIX };
}

// One preflight finding (ok / warn / fail, what was found, the fix) and the helpers that build them.

/** How bad a finding is: `fail` stops the supervisor, `warn` is logged, `ok` is fine. */
export type CheckStatus = "ok" | "warn" | "fail";

/** The checks that can fail, i.e. stop the supervisor; each has its failure class (supervise/diagnostics/print-diagnostics.ts). */
export type FailingCheckId = "tun" | "mode" | "capabilities" | "firewall" | "return-routes" | "state-dir";

/** One line of `doctor`: a check's id, status, what was found and, when needed, how to fix it. Only the ids above can fail. */
export type PreflightCheck =
  | { readonly id: FailingCheckId; readonly status: CheckStatus; readonly what: string; readonly fix?: string }
  | { readonly id: string; readonly status: "ok" | "warn"; readonly what: string; readonly fix?: string };

/** Builds a check; `fix` is left out when there is none. Only a check of FailingCheckId may fail. */
export function createCheck(id: FailingCheckId, status: CheckStatus, what: string, fix?: string): PreflightCheck;
export function createCheck(id: string, status: "ok" | "warn", what: string, fix?: string): PreflightCheck;
export function createCheck(id: string, status: CheckStatus, what: string, fix?: string): PreflightCheck {
  const check = { id, status, what } as PreflightCheck;
  return fix === undefined ? check : { ...check, fix };
}

/** The first failed check, if any. */
export function findFailedCheck(checks: readonly PreflightCheck[]): Extract<PreflightCheck, { id: FailingCheckId }> | undefined {
  return checks.find((check): check is Extract<PreflightCheck, { id: FailingCheckId }> => check.status === "fail");
}

/** True when no check failed. */
export function hasNoFailure(checks: readonly PreflightCheck[]): boolean {
  return checks.every((check) => check.status !== "fail");
}

/** The outcome of one fix the supervisor tried: what it changed, or why it could not. */
export type FixOutcome = { readonly ok: true; readonly change: string } | { readonly ok: false; readonly error: string };

/** The fix hint used whenever `doctor` finds something the supervisor will repair by itself. */
export const FIXED_AT_START = "`doctor --fix`, or start the supervisor: it does this before tailscaled starts";

/** A fix that was tried, by the id of what it fixed (`tun`, a sysctl name, `route 10.0.0.0/24`, ...). */
export interface AppliedFix {
  readonly id: string;
  readonly outcome: FixOutcome;
}

/** The error of the fix with this id, when it was tried and failed. */
export function findFixError(applied: readonly AppliedFix[] | undefined, id: string): string | undefined {
  const outcome = applied?.find((fix) => fix.id === id)?.outcome;
  return outcome !== undefined && !outcome.ok ? outcome.error : undefined;
}

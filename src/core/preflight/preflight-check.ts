// One preflight finding (ok / warn / fail, what was found, the fix) and the helpers that build them.

/** How bad a finding is: `fail` stops the supervisor, `warn` is logged, `ok` is fine. */
export type CheckStatus = "ok" | "warn" | "fail";

/** One line of `doctor`: a check's id, status, what was found and, when needed, how to fix it. */
export interface PreflightCheck {
  readonly id: string;
  readonly status: CheckStatus;
  readonly what: string;
  readonly fix?: string;
}

/** Builds a check; `fix` is left out when there is none. */
export function createCheck(id: string, status: CheckStatus, what: string, fix?: string): PreflightCheck {
  return fix === undefined ? { id, status, what } : { id, status, what, fix };
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

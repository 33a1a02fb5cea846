// Transient control-server trouble over time: a warning at once, reminders after 1, 2, 4, 8, 16 min,
// then every 30 min while errors go on; over after 2 min without errors, or when the server answers.
import { describe, expect, it } from "vitest";
import { checkTrouble, endTrouble, FIRST_REMINDER_MS, MAX_REMINDER_MS, nextCheckAtMs, noteTrouble, QUIET_AFTER_MS, type Trouble } from "../../../../src/core/supervise/control/control-trouble.ts";

describe("trouble over time", () => {
  const refused = "fetch control key: ...: connect: connection refused";

  /** Errors every `everyMs` until `untilMs`, checks whenever due: the warnings' times and the end. */
  function simulate(everyMs: number, untilMs: number, endMs: number): { warnings: number[]; over: Array<{ atMs: number; reason: string }> } {
    let trouble: Trouble | undefined;
    const warnings: number[] = [];
    const over: Array<{ atMs: number; reason: string }> = [];
    let nextError = 0;
    const apply = (step: ReturnType<typeof checkTrouble>, now: number): void => {
      trouble = step.trouble;
      if (step.notice.kind === "warn") warnings.push(now);
      if (step.notice.kind === "over") over.push({ atMs: now, reason: step.notice.reason });
    };
    for (let now = 0; now <= endMs; now += 1000) {
      if (now >= nextError && now <= untilMs) {
        apply(noteTrouble(trouble, "control-unreachable", refused, now), now);
        nextError += everyMs;
      }
      const due = nextCheckAtMs(trouble);
      if (due !== undefined && now >= due) apply(checkTrouble(trouble, now), now);
    }
    return { warnings, over };
  }

  it("warns at once, then after 1, 2, 4, 8, 16 min, then every 30 min while errors go on", () => {
    const { warnings, over } = simulate(30_000, 3 * 3_600_000 + 90_000, 3 * 3_600_000 + 90_000);
    const minutes = warnings.map((ms) => ms / 60_000);
    expect(minutes.slice(0, 7)).toEqual([0, 1, 3, 7, 15, 31, 61]);
    expect(minutes.slice(7)).toEqual([91, 121, 151, 181]);
    expect(over).toEqual([]);
  });

  it("is over after 2 min without errors, with no further warning", () => {
    const { warnings, over } = simulate(20_000, 100_000, 600_000);
    expect(warnings).toEqual([0, 60_000]);
    expect(over).toEqual([{ atMs: 100_000 + QUIET_AFTER_MS, reason: "quiet" }]);
  });

  it("a long reminder gap does not delay the end: quiet wins", () => {
    let step = noteTrouble(undefined, "dns", "x", 0);
    step = noteTrouble(step.trouble, "dns", "x", 10_000);
    expect(nextCheckAtMs(step.trouble)).toBe(FIRST_REMINDER_MS);
    const stale: Trouble = { ...(step.trouble as Trouble), reminderMs: MAX_REMINDER_MS };
    expect(nextCheckAtMs(stale)).toBe(10_000 + QUIET_AFTER_MS);
    expect(checkTrouble(stale, 10_000 + QUIET_AFTER_MS).notice).toMatchObject({ kind: "over", reason: "quiet" });
  });

  it("a reminder carries the latest class and message and the count of errors since the last warning", () => {
    let step = noteTrouble(undefined, "dns", "no such host", 0);
    step = noteTrouble(step.trouble, "dns", "no such host", 20_000);
    step = noteTrouble(step.trouble, "control-unreachable", refused, 40_000);
    step = checkTrouble(step.trouble, FIRST_REMINDER_MS);
    expect(step.notice).toMatchObject({ kind: "warn", reminder: true, errors: 2, trouble: { troubleClass: "control-unreachable", message: refused, sinceMs: 0 } });
  });

  it("the server answering ends it at once; without a trouble nothing is said", () => {
    const step = noteTrouble(undefined, "timeout", "x", 0);
    expect(endTrouble(step.trouble).notice).toMatchObject({ kind: "over", reason: "answered" });
    expect(endTrouble(undefined).notice).toEqual({ kind: "none" });
    expect(checkTrouble(undefined, 5).notice).toEqual({ kind: "none" });
  });
});

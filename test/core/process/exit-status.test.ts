// A child's exit status as an exit code and in words: the one rule for both.
import { describe, expect, it } from "vitest";
import { describeExitStatus, exitCodeOf, exitCodeOnGivingUp, isSuccess } from "../../../src/core/process/exit-status.ts";

const exited = (code: number) => ({ kind: "exited", code }) as const;
const killed = (signal: number) => ({ kind: "killed", signal }) as const;

describe("exit status", () => {
  it.each([
    [exited(0), 0, "code 0", true, 1],
    [exited(1), 1, "code 1", false, 1],
    [exited(127), 127, "code 127", false, 127],
    [killed(9), 137, "signal 9", false, 137],
    [killed(15), 143, "signal 15", false, 143],
  ])("%j: code %i, %s, success %s, giving up %i", (status, code, words, success, givingUp) => {
    expect(exitCodeOf(status)).toBe(code);
    expect(describeExitStatus(status)).toBe(words);
    expect(isSuccess(status)).toBe(success);
    expect(exitCodeOnGivingUp(status)).toBe(givingUp);
  });
});

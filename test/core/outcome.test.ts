// The exit codes the supervisor's outcomes stand for (the README documents them).
import { describe, expect, it } from "vitest";
import { EXIT_CODE, exitCodeForSignal } from "../../src/core/outcome.ts";

describe("exit codes", () => {
  it("0 clean stop, 1 failure, 78 configuration, 127 tailscale not found", () => {
    expect(EXIT_CODE).toEqual({ ok: 0, failure: 1, notFound: 127, config: 78 });
  });

  it.each([
    [9, 137],
    [15, 143],
    [2, 130],
  ])("killed by signal %i: %i", (signal, code) => {
    expect(exitCodeForSignal(signal)).toBe(code);
  });
});

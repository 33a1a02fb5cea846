// What to tell about each class of control-server trouble: never key advice, always a fix.
import { describe, expect, it } from "vitest";
import type { TroubleClass } from "../../../../src/core/supervise/control/control-errors.ts";
import { adviseTrouble } from "../../../../src/core/supervise/control/trouble-advice.ts";

describe("adviseTrouble", () => {
  const TROUBLE_CLASSES: readonly TroubleClass[] = ["control-unreachable", "dns", "no-route", "tls", "timeout", "server-error", "network-down", "control-error"];
  it.each(TROUBLE_CLASSES.flatMap((troubleClass) => [[troubleClass, true], [troubleClass, false]] as const))("%s (headscale %s) gives no key advice", (troubleClass, headscale) => {
    const advice = adviseTrouble(troubleClass, headscale);
    expect(`${advice.message} ${advice.fix}`).not.toMatch(/key|AUTHKEY|preauth/i);
    expect(advice.fix.length).toBeGreaterThan(20);
  });
});

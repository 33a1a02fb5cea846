// One preflight finding and its helpers: a check without a fix has no fix field; the first failure; fix errors by id.
import { describe, expect, it } from "vitest";
import { createCheck, findFailedCheck, findFixError, hasNoFailure, type AppliedFix } from "../../../src/core/preflight/preflight-check.ts";

describe("createCheck", () => {
  it("leaves the fix out when there is none", () => {
    expect(createCheck("tun", "ok", "fine")).toEqual({ id: "tun", status: "ok", what: "fine" });
    expect(Object.keys(createCheck("tun", "ok", "fine"))).toEqual(["id", "status", "what"]);
    expect(createCheck("memory", "warn", "low", "add RAM")).toEqual({ id: "memory", status: "warn", what: "low", fix: "add RAM" });
  });
});

describe("findFailedCheck and hasNoFailure", () => {
  const ok = createCheck("tun", "ok", "a");
  const warn = createCheck("memory", "warn", "b");
  const firstFail = createCheck("firewall", "fail", "c");
  const secondFail = createCheck("state-dir", "fail", "d");
  it.each([
    [[], undefined, true],
    [[ok, warn], undefined, true],
    [[ok, firstFail, warn, secondFail], firstFail, false],
  ])("%j: first failure %j, no failure %s", (checks, failed, none) => {
    expect(findFailedCheck(checks)).toEqual(failed);
    expect(hasNoFailure(checks)).toBe(none);
  });
});

describe("findFixError", () => {
  const applied: AppliedFix[] = [
    { id: "tun", outcome: { ok: false, error: "EPERM" } },
    { id: "state-dir", outcome: { ok: true, change: "created /var/lib/tailscale" } },
  ];
  it.each([
    ["tun", "EPERM"],
    ["state-dir", undefined],
    ["firewall-links", undefined],
  ])("%s → %s", (id, error) => {
    expect(findFixError(applied, id)).toBe(error);
  });

  it("nothing tried (doctor): no error", () => {
    expect(findFixError(undefined, "tun")).toBeUndefined();
  });
});

// A key the control server refused: the cause and the fix, for Headscale and for Tailscale's service.
import { describe, expect, it } from "vitest";
import { explainRefusal } from "../../../../src/core/supervise/login/refused-key.ts";

describe("explainRefusal", () => {
  it.each([
    ["invalid", "invalid pre auth key", true, "rejected the auth key (invalid pre auth key)", "headscale preauthkeys create"],
    ["expired", "authkey expired", true, "has expired", "headscale preauthkeys create"],
    ["used", "authkey already used", true, "already used", "headscale preauthkeys create"],
    ["unknown-key", "invalid key: API key does not exist", false, "expired, revoked or mistyped", "admin console"],
    ["invalid-or-used", "invalid key: API key k1 not valid", false, "single-use key already used", "reusable"],
    ["tags", "requested tags [tag:x] are invalid or not permitted", false, "requested tags", "--advertise-tags"],
  ] as const)("%s", (refusal, words, headscale, cause, fix) => {
    const rejection = explainRefusal(refusal, words, headscale);
    expect(rejection.cause).toContain(cause);
    expect(rejection.fix).toContain(fix);
  });
});

// Issue 18 item 6: a refusal stops the container only when tailscaled's LocalAPI confirms it; the
// statuses here are the real ones recorded in test/fixtures/tailscale/status.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { judgeStatus } from "../../../../src/core/supervise/login/refusal-check.ts";

const status = (name: string): string => readFileSync(new URL(`../../../fixtures/tailscale/status/${name}`, import.meta.url), "utf8");

describe("judgeStatus", () => {
  it.each([
    ["status-rejected-invalid.json", "invalid pre auth key", { kind: "confirmed" }],
    ["status-rejected-expired.json", "authkey expired", { kind: "confirmed" }],
    ["status-rejected-used.json", "authkey already used", { kind: "confirmed" }],
    // A logged-in node restarted with a bad config-file key stays in NoState.
    ["status-config-restart-invalid-key-nostate.json", "invalid pre auth key", { kind: "confirmed" }],
    // Logged out, but for another reason than the words printed.
    ["status-rejected-invalid.json", "authkey expired", { kind: "not-confirmed", state: "NeedsLogin" }],
    ["status-needslogin.json", "invalid pre auth key", { kind: "not-confirmed", state: "NeedsLogin" }],
    ["status-running.json", "invalid pre auth key", { kind: "not-confirmed", state: "Running" }],
  ])("%s, printed %j: %j", (file, words, expected) => {
    expect(judgeStatus(status(file), words)).toEqual(expected);
  });

  it("no JSON: unknown", () => {
    expect(judgeStatus("failed to connect", "invalid pre auth key")).toMatchObject({ kind: "unknown" });
  });
});

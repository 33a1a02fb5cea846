// Whether tailscaled's saved state holds a login: a current profile in tailscaled.state.
import { describe, expect, it } from "vitest";
import { hasSavedLogin } from "../../../../src/core/supervise/login/saved-login.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

describe("hasSavedLogin", () => {
  it.each([
    ["a current profile", JSON.stringify({ "_current-profile": "cHJvZmlsZS1kNjc3", _machinekey: "x" }), true],
    ["no profile yet (first start)", JSON.stringify({ _machinekey: "x" }), false],
    ["an empty profile name", JSON.stringify({ "_current-profile": "" }), false],
    ["a profile that is no string", JSON.stringify({ "_current-profile": 1 }), false],
    ["not JSON", "garbage", false],
    ["no state file", undefined, false],
  ])("%s: %s", (_, text, saved) => {
    const host = createFakeHost({ files: text === undefined ? {} : { "/var/lib/tailscale/tailscaled.state": text } });
    expect(hasSavedLogin(host.files, "/var/lib/tailscale")).toBe(saved);
  });
});

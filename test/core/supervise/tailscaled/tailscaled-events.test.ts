// What tailscaled's log lines say: state switches, control errors, health, login URLs, its version.
import { describe, expect, it } from "vitest";
import { parseTailscaledLine } from "../../../../src/core/supervise/tailscaled/tailscaled-events.ts";

describe("parseTailscaledLine", () => {
  it.each([
    ["Switching ipn state NoState -> NeedsLogin (WantRunning=false, nm=false)", { kind: "state", from: "NoState", to: "NeedsLogin" }],
    ["Switching ipn state Starting -> Running (WantRunning=true, nm=true)", { kind: "state", from: "Starting", to: "Running" }],
    ["Switching ipn state NeedsLogin -> NeedsMachineAuth (WantRunning=true, nm=true)", { kind: "state", from: "NeedsLogin", to: "NeedsMachineAuth" }],
    ["Switching ipn state Running -> Stopped", { kind: "state", from: "Running", to: "Stopped" }],
    ["Received error: invalid pre auth key", { kind: "control-error", message: "invalid pre auth key" }],
    ["Received error: authkey expired  ", { kind: "control-error", message: "authkey expired" }],
    ['Received error: fetch control key: Get "http://127.0.0.1:18090/key?v=142": dial tcp 127.0.0.1:18090: connect: connection refused', { kind: "control-error", message: 'fetch control key: Get "http://127.0.0.1:18090/key?v=142": dial tcp 127.0.0.1:18090: connect: connection refused' }],
    // Verbose lines are not errors tailscaled reports (ipnlocal logs EOF at [v1]).
    ["[v1] Received error: EOF", undefined],
    ["Received error: ", undefined],
    ["health(warnable=login-state): ok", { kind: "login-ok" }],
    ["health(warnable=login-state): ok, really", undefined],
    ["health(warnable=network-status): error: Tailscale cannot connect because the network is down. Check your Internet connection.", { kind: "network-down", message: "Tailscale cannot connect because the network is down. Check your Internet connection." }],
    ["health(warnable=network-status): ok", { kind: "network-up" }],
    ["health(warnable=network-status): okay", undefined],
    ["health(warnable=warming-up): ok", undefined],
    ["AuthURL is https://login.tailscale.com/a/abc123", { kind: "auth-url", url: "https://login.tailscale.com/a/abc123" }],
    ["control: AuthURL is http://hs.example:8080/register/xyz (more)", { kind: "auth-url", url: "http://hs.example:8080/register/xyz" }],
    ["AuthURL is ftp://x", undefined],
    ["Switching ipn state Bogus -> Running", undefined],
    ["Switching ipn state Running -> Bogus", undefined],
    ["health(warnable=login-state): error: You are logged out.", undefined],
    ["magicsock: home is now derp-900 (stub)", undefined],
    ["Program starting: v1.102.3, Go 1.26.8: []string{\"tailscaled\"}", { kind: "version", version: "v1.102.3" }],
    ["Program starting: 1.102.3", undefined],
    ["logtail: Program starting: v1.2.3", undefined],
    ["health(warnable=login-state): error: You are logged out. The last login error was: fetch control key: context canceled", undefined],
  ])("%s", (line, event) => {
    expect(parseTailscaledLine(line)).toEqual(event);
  });
});

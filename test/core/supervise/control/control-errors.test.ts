// Control errors: every `Received error:` line recorded from the real tailscaled v1.102.3 against the
// real Headscale v0.29.2 (test/fixtures/tailscale/logs), and the refusal forms of Tailscale's service.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyControlError, type ControlVerdict } from "../../../../src/core/supervise/control/control-errors.ts";
import { ROOT } from "../../../support/qjs.ts";

const LOGS = `${ROOT}test/fixtures/tailscale/logs`;

/** The messages of a recording's `Received error:` lines (timestamps stripped as the relay does). */
function recordedErrors(file: string): string[] {
  return readFileSync(`${LOGS}/${file}`, "utf8")
    .split("\n")
    .map((line) => line.replace(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? /, ""))
    .flatMap((line) => (line.startsWith("Received error: ") ? [line.slice("Received error: ".length)] : []));
}

const label = (verdict: ControlVerdict): string => (verdict.kind === "refusal" ? `refusal:${verdict.refusal}` : verdict.kind === "trouble" ? `trouble:${verdict.troubleClass}` : "ignored");

describe("classifyControlError on the recorded lines", () => {
  it.each([
    ["control-down-first-boot-then-up.txt", ["trouble:control-unreachable"]],
    ["control-down-restart-logged-in-then-up.txt", ["trouble:control-unreachable"]],
    // A Running node: the map poll's connection is cut, then its reconnects time out.
    ["control-lost-while-running-60s.txt", ["trouble:control-unreachable", "trouble:timeout"]],
    ["control-name-unresolvable-then-resolvable.txt", ["trouble:dns"]],
    ["control-no-default-route.txt", ["trouble:no-route"]],
    ["control-tls-https-to-http-port.txt", ["trouble:tls"]],
    ["control-tls-self-signed.txt", ["trouble:tls"]],
    ["control-http-502-bad-gateway.txt", ["trouble:server-error"]],
    ["control-refused-key-invalid-config-file.txt", ["refusal:invalid"]],
    ["control-refused-key-expired-config-file.txt", ["refusal:expired"]],
    ["control-refused-key-used-config-file.txt", ["refusal:used"]],
    ["rejected-key-invalid.txt", ["refusal:invalid"]],
    ["rejected-key-malformed.txt", ["refusal:invalid"]],
    ["rejected-key-expired.txt", ["refusal:expired"]],
    ["rejected-key-used.txt", ["refusal:used"]],
    ["config-restart-logged-in-invalid-key-TS_DEBUG_REGISTER.txt", ["refusal:invalid"]],
  ])("%s → %j", (file, expected) => {
    const messages = recordedErrors(file);
    expect(messages.length).toBeGreaterThan(0);
    expect([...new Set(messages.map((message) => label(classifyControlError(message))))].sort()).toEqual(expected);
  });
});

describe("classifyControlError on the forms not recorded here", () => {
  it.each([
    // Tailscale's service (tailscale/tailscale issues 6215, 9715, 17047, 19501).
    ["invalid key: API key does not exist", "refusal:unknown-key"],
    ["invalid key: unable to validate API key", "refusal:invalid"],
    ["invalid key: API key kE7PfU6CNTRL not valid", "refusal:invalid-or-used"],
    ["requested tags [tag:router] are invalid or not permitted", "refusal:tags"],
    ["register request: http 401: invalid pre auth key", "refusal:invalid"],
    ["register request: http 403: node not allowed", "refusal:unauthorized"],
    // Headscale v0.29.2 refuses a key it cannot find as "invalid authkey" too (types/preauth_key.go).
    ["invalid authkey", "refusal:invalid"],
    // Go's resolver and dialers (what a router without DNS or WAN sees).
    ['fetch control key: Get "https://hs.example/key?v=142": dial tcp: lookup hs.example on 10.0.0.1:53: no such host', "trouble:dns"],
    ['fetch control key: Get "https://hs.example/key?v=142": dial tcp: lookup hs.example on 10.0.0.1:53: read udp 10.0.0.2:40000->10.0.0.1:53: i/o timeout', "trouble:dns"],
    ['fetch control key: Get "https://hs.example/key?v=142": failed to resolve "hs.example": no IPs for "hs.example" found', "trouble:dns"],
    ['fetch control key: Get "https://10.9.9.9/key?v=142": dial tcp 10.9.9.9:443: connect: no route to host', "trouble:no-route"],
    ['fetch control key: Get "https://10.9.9.9/key?v=142": dial tcp 10.9.9.9:443: i/o timeout', "trouble:timeout"],
    ['fetch control key: Get "https://10.9.9.9/key?v=142": net/http: TLS handshake timeout', "trouble:timeout"],
    ['fetch control key: Get "https://10.9.9.9/key?v=142": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', "trouble:timeout"],
    ['fetch control key: Get "https://hs.example/key?v=142": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 1970-01-01T00:01:02Z is before 2026-01-01T00:00:00Z', "trouble:tls"],
    ['fetch control key: Get "https://hs.example/key?v=142": read tcp 10.0.0.2:40000->10.9.9.9:443: read: connection reset by peer', "trouble:control-unreachable"],
    ["fetch control key: 503 Service Unavailable", "trouble:server-error"],
    ["register request: http 500: database is locked", "trouble:server-error"],
    ["register request: http 429: slow down", "trouble:server-error"],
    ["node registration rate limited; will retry after 7s", "trouble:server-error"],
    // A proxy in front of the server may answer /key (plain HTTP) with 401: not the server refusing the key.
    ["fetch control key: 401 Unauthorized", "trouble:control-error"],
    ["fetch control key: 404 Not Found", "trouble:control-error"],
    ["control server is too old; no noise key", "trouble:control-error"],
    // Unknown words are trouble, never a refusal: only the server's own refusals stop the supervisor.
    ["something nobody has seen", "trouble:control-error"],
    ["the key was used", "trouble:control-error"],
    ['PollNetMap: Post "https://hs.example/machine/map": context canceled', "ignored"],
  ])("%s → %s", (message, expected) => {
    expect(label(classifyControlError(message))).toBe(expected);
  });

  it("matches whole messages: 'refused' is not 'used', 'expired' inside an error is not an expired key", () => {
    expect(classifyControlError('fetch control key: Get "http://10.99.0.1:8080/key?v=142": dial tcp 10.99.0.1:8080: connect: connection refused')).toEqual({ kind: "trouble", troubleClass: "control-unreachable" });
    expect(classifyControlError("authkey already used ")).toMatchObject({ kind: "trouble" });
    expect(classifyControlError('fetch control key: Get "https://hs/key": x509: certificate has expired or is not yet valid: expired')).toEqual({ kind: "trouble", troubleClass: "tls" });
  });
});

// What tailscaled's "Received error: ..." messages mean: the control server refusing the key, or
// trouble on the way to it. Whole messages are matched, never words inside them ("connection
// refused" once read as "already used"). The lines each rule stands for are recorded in
// test/fixtures/tailscale/logs (control-*.txt, rejected-key-*.txt).

/** Trouble between tailscaled and its control server: tailscaled retries by itself, and none of it is the key's fault. */
export type TroubleClass = "control-unreachable" | "dns" | "no-route" | "tls" | "timeout" | "server-error" | "network-down" | "control-error";

/** How the control server refused the key. */
export type RefusalKind = "invalid" | "expired" | "used" | "unknown-key" | "invalid-or-used" | "tags" | "unauthorized";

/** What one error message means. `ignored`: the client cancelled its own request (says nothing about the server). */
export type ControlVerdict =
  | { readonly kind: "refusal"; readonly refusal: RefusalKind; readonly words: string }
  | { readonly kind: "trouble"; readonly troubleClass: TroubleClass }
  | { readonly kind: "ignored" };

// The server's own words for a key it will not take, as the whole message.
const REFUSALS: ReadonlyArray<readonly [RegExp, RefusalKind]> = [
  // Headscale v0.29.2 (hscontrol/auth.go, hscontrol/types/preauth_key.go), sent in the RegisterResponse.
  [/^invalid pre auth key$/, "invalid"],
  [/^invalid authkey$/, "invalid"],
  [/^authkey expired$/, "expired"],
  [/^authkey already used$/, "used"],
  // Tailscale's service, as its client shows them (https://github.com/tailscale/tailscale/issues/6215,
  // .../9715, .../17047, .../19501):
  // a key that was deleted, revoked or has expired "does not exist".
  [/^invalid key: API key does not exist$/, "unknown-key"],
  [/^invalid key: unable to validate API key$/, "invalid"],
  [/^invalid key: API key \S+ not valid$/, "invalid-or-used"],
  [/^requested tags \[[^\]]*\] are invalid or not permitted$/, "tags"],
];

// The steps of tailscale.com/control/controlclient (v1.102.3: direct.go, auto.go) that wrap a
// transport error, e.g. `fetch control key: Get "http://h:8080/key?v=142": dial tcp h:8080: connect: connection refused`.
const CLIENT_STEP = /^(?:fetch control key|fetch control key response|register request|PollNetMap|getNoiseClient): /;
// `fetch control key: 502 Bad Gateway` (the HTTP status line) and `register request: http 502: <body>`.
const KEY_STATUS = /^fetch control key: (\d{3}) [^:]*$/;
const REGISTER_STATUS = /^register request: http (\d{3}): (.*)$/s;
// Rate limiting (direct.go): vizerror "node registration rate limited; will retry after 7s".
const RATE_LIMITED = /^node registration rate limited; will retry after \S+$/;

// How a transport error ends (Go's net, net/http, crypto/tls and tailscale's dialers), first match wins.
const ENDINGS: ReadonlyArray<readonly [RegExp, TroubleClass | "ignored"]> = [
  // `dial tcp: lookup hs.example on 10.0.0.1:53: no such host`; tailscale's own fallback resolver:
  // `failed to resolve "hs.example": no DNS fallback candidates remain for "hs.example"`.
  [/: lookup \S+(?: on \S+)?: [^"]+$/, "dns"],
  [/: failed to resolve "[^"]+": [^"]*(?:"[^"]*")?$/, "dns"],
  [/: no IPs for "[^"]+" found$/, "dns"],
  [/: no such host$/, "dns"],
  [/: connect: (?:network is unreachable|no route to host)$/, "no-route"],
  [/: connect: connection refused$/, "control-unreachable"],
  [/: (?:read|write): connection reset by peer$/, "control-unreachable"],
  [/: (?:unexpected )?EOF$/, "control-unreachable"],
  [/: (?:write: )?broken pipe$/, "control-unreachable"],
  [/: (?:i\/o timeout|context deadline exceeded|TLS handshake timeout|timeout awaiting response headers)$/, "timeout"],
  [/: context deadline exceeded \(Client\.Timeout exceeded while awaiting headers\)$/, "timeout"],
  [/: (?:x509|tls|remote error: tls): [^"]+$/, "tls"],
  [/: http: server gave HTTP response to HTTPS client$/, "tls"],
  [/: context canceled$/, "ignored"],
];

/** Reads one `Received error:` message (the text after that prefix). */
export function classifyControlError(message: string): ControlVerdict {
  const refusal = matchRefusal(message);
  if (refusal !== undefined) return { kind: "refusal", refusal, words: message };
  const register = REGISTER_STATUS.exec(message);
  if (register !== null) return classifyStatus(Number(register[1]), (register[2] ?? "").trim());
  const keyStatus = KEY_STATUS.exec(message);
  if (keyStatus !== null) return classifyStatus(Number(keyStatus[1]), "");
  if (RATE_LIMITED.test(message)) return { kind: "trouble", troubleClass: "server-error" };
  if (CLIENT_STEP.test(message)) {
    for (const [ending, verdict] of ENDINGS) {
      if (ending.test(message)) return verdict === "ignored" ? { kind: "ignored" } : { kind: "trouble", troubleClass: verdict };
    }
  }
  return { kind: "trouble", troubleClass: "control-error" };
}

function matchRefusal(message: string): RefusalKind | undefined {
  return REFUSALS.find(([pattern]) => pattern.test(message))?.[1];
}

// An HTTP status from the control server itself (register goes over its Noise channel, which no proxy can answer).
function classifyStatus(status: number, body: string): ControlVerdict {
  const refusal = matchRefusal(body);
  if (refusal !== undefined) return { kind: "refusal", refusal, words: body };
  if ((status === 401 || status === 403) && body !== "") return { kind: "refusal", refusal: "unauthorized", words: `http ${status}: ${body}` };
  if (status >= 500 || status === 429) return { kind: "trouble", troubleClass: "server-error" };
  return { kind: "trouble", troubleClass: "control-error" };
}

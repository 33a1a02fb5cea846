// What tailscaled's own log says happened: state switches, login errors, login URLs.

/** tailscaled's backend states (ipn.State). */
export const BACKEND_STATES = ["NoState", "NeedsLogin", "NeedsMachineAuth", "Stopped", "Starting", "Running"] as const;
export type BackendState = (typeof BACKEND_STATES)[number];

/** An event read from one log line. */
export type TailscaledEvent =
  | { readonly kind: "state"; readonly from: BackendState; readonly to: BackendState }
  | { readonly kind: "login-error"; readonly message: string }
  | { readonly kind: "auth-url"; readonly url: string }
  | { readonly kind: "version"; readonly version: string };

// "Switching ipn state NeedsLogin -> Starting (WantRunning=true, nm=true)"
const STATE_SWITCH = /^Switching ipn state (\w+) -> (\w+)\b/;
// The control server refused the login: "Received error: invalid pre auth key" (Headscale),
// "register request: http 401: ..." (older clients / other servers).
// Not the "health(warnable=login-state): ... The last login error was: ..." line: it also carries
// passing errors ("fetch control key: ... context canceled" while `tailscale login` restarts the client).
const LOGIN_ERRORS = [/^Received error: (.+)$/, /^(?:control: )?register request: http \d+: (.+)$/];
// "AuthURL is https://login.tailscale.com/a/..." (interactive login without a key).
const AUTH_URL = /\bAuthURL is (https?:\/\/\S+)/;
// "Program starting: v1.102.3, Go 1.26.8: [...]"
const PROGRAM_STARTING = /^Program starting: (v[^,\s]+)/;

/** Reads one (timestamp-free) log line; undefined when it says nothing the supervisor acts on. */
export function parseTailscaledLine(line: string): TailscaledEvent | undefined {
  const state = STATE_SWITCH.exec(line);
  if (state !== null) {
    const from = asState(state[1]);
    const to = asState(state[2]);
    return from !== undefined && to !== undefined ? { kind: "state", from, to } : undefined;
  }
  for (const pattern of LOGIN_ERRORS) {
    const error = pattern.exec(line);
    if (error?.[1] !== undefined) return { kind: "login-error", message: error[1].trim() };
  }
  const url = AUTH_URL.exec(line);
  if (url?.[1] !== undefined) return { kind: "auth-url", url: url[1] };
  const version = PROGRAM_STARTING.exec(line);
  return version?.[1] === undefined ? undefined : { kind: "version", version: version[1] };
}

function asState(word: string | undefined): BackendState | undefined {
  return BACKEND_STATES.find((state) => state === word);
}

// What tailscaled's own log says happened: state switches, login errors, login URLs.

/** tailscaled's backend states (ipn.State). */
export const BACKEND_STATES = ["NoState", "NeedsLogin", "NeedsMachineAuth", "Stopped", "Starting", "Running"] as const;
export type BackendState = (typeof BACKEND_STATES)[number];

/** An event read from one log line. */
export type TailscaledEvent =
  | { readonly kind: "state"; readonly from: BackendState; readonly to: BackendState }
  | { readonly kind: "login-error"; readonly message: string }
  | { readonly kind: "auth-url"; readonly url: string };

// "Switching ipn state NeedsLogin -> Starting (WantRunning=true, nm=true)"
const STATE_SWITCH = /^Switching ipn state (\w+) -> (\w+)\b/;
// The control server refused the login: "Received error: invalid pre auth key" (Headscale),
// "register request: http 401: ..." (older clients / other servers).
// With a key in a config file the state stays NoState and only the health line says it:
// "health(warnable=login-state): error: You are logged out. The last login error was: ...".
const LOGIN_ERRORS = [
  /^Received error: (.+)$/,
  /^(?:control: )?register request: http \d+: (.+)$/,
  /^health\(warnable=login-state\): error: .*The last login error was: (.+)$/,
];
// "AuthURL is https://login.tailscale.com/a/..." (interactive login without a key).
const AUTH_URL = /\bAuthURL is (https?:\/\/\S+)/;

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
  return url?.[1] === undefined ? undefined : { kind: "auth-url", url: url[1] };
}

function asState(word: string | undefined): BackendState | undefined {
  return BACKEND_STATES.find((state) => state === word);
}

// What tailscaled's own log says happened: state switches, control errors, health changes, login URLs.

/** tailscaled's backend states (ipn.State). */
export const BACKEND_STATES = ["NoState", "NeedsLogin", "NeedsMachineAuth", "Stopped", "Starting", "Running"] as const;
export type BackendState = (typeof BACKEND_STATES)[number];

/** An event read from one log line. */
export type TailscaledEvent =
  | { readonly kind: "state"; readonly from: BackendState; readonly to: BackendState }
  | { readonly kind: "control-error"; readonly message: string }
  /** The login state turned healthy: the control server answered. */
  | { readonly kind: "login-ok" }
  | { readonly kind: "network-down"; readonly message: string }
  | { readonly kind: "network-up" }
  | { readonly kind: "auth-url"; readonly url: string }
  /** A map response from the control server (a keep-alive too): it is in contact. */
  | { readonly kind: "control-contact" }
  | { readonly kind: "version"; readonly version: string };

// "Switching ipn state NeedsLogin -> Starting (WantRunning=true, nm=true)"
const STATE_SWITCH = /^Switching ipn state (\w+) -> (\w+)\b/;
// Whatever the control client reported, refusals and transient trouble alike (ipn/ipnlocal/local.go:
// `Received error: %v`): "invalid pre auth key" (Headscale), "fetch control key: ...: connection refused".
// Not the "health(warnable=login-state): ... The last login error was: ..." line: it repeats the same
// errors, and carries passing ones too ("... context canceled" while `tailscale login` restarts the client).
const CONTROL_ERROR = /^Received error: (.+)$/;
// "health(warnable=login-state): ok" once a login or re-login went through
// (test/fixtures/tailscale/logs/control-down-restart-logged-in-then-up.txt).
const LOGIN_OK = /^health\(warnable=login-state\): ok$/;
// "health(warnable=network-status): error: Tailscale cannot connect because the network is down. ..."
// (logs/kernel-tun-netns-no-default-route-network-down.txt): tailscaled pauses control while no link is up.
const NETWORK_STATUS = /^health\(warnable=network-status\): (?:error: (.+)|(ok))$/;
// "AuthURL is https://login.tailscale.com/a/..." (interactive login without a key).
const AUTH_URL = /\bAuthURL is (https?:\/\/\S+)/;
// `control: [v\x00JSON]1{"controltime":"2026-11-25T17:44:57.637258853Z"}`: the control server's clock on a
// map response, printed raw by a build without logtail (the image's; logs/first-login-omit-logtail-build.txt).
const CONTROL_TIME = "control: [v\x00JSON]1{\"controltime\":";
// "Program starting: v1.102.3, Go 1.26.8: [...]"
const PROGRAM_STARTING = /^Program starting: (v[^,\s]+)/;

/** Reads one (timestamp-free) log line; undefined when it says nothing the supervisor acts on. */
export function parseTailscaledLine(line: string): TailscaledEvent | undefined {
  // Every line of tailscaled's comes here: each pattern only behind a test of its fixed start (qjs
  // runs string methods in C, but tries an anchored pattern at every position of the line).
  const state = line.startsWith("Switching ipn state ") ? STATE_SWITCH.exec(line) : null;
  if (state !== null) {
    const from = asState(state[1]);
    const to = asState(state[2]);
    return from !== undefined && to !== undefined ? { kind: "state", from, to } : undefined;
  }
  const error = line.startsWith("Received error: ") ? CONTROL_ERROR.exec(line) : null;
  if (error?.[1] !== undefined) return { kind: "control-error", message: error[1].trim() };
  if (line.startsWith("health(warnable=")) {
    if (LOGIN_OK.test(line)) return { kind: "login-ok" };
    const network = NETWORK_STATUS.exec(line);
    if (network !== null) return network[2] === "ok" ? { kind: "network-up" } : { kind: "network-down", message: (network[1] ?? "").trim() };
  }
  if (line.startsWith(CONTROL_TIME)) return { kind: "control-contact" };
  const url = line.includes("AuthURL is ") ? AUTH_URL.exec(line) : null;
  if (url?.[1] !== undefined) return { kind: "auth-url", url: url[1] };
  const version = line.startsWith("Program starting: ") ? PROGRAM_STARTING.exec(line) : null;
  return version?.[1] === undefined ? undefined : { kind: "version", version: version[1] };
}

function asState(word: string | undefined): BackendState | undefined {
  return BACKEND_STATES.find((state) => state === word);
}

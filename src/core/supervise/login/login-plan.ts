// How tailscaled gets its preferences and key: its config file (no CLI exec), or `tailscale up` when it must.
import type { Config } from "../../config/config.ts";
import { findUpFlag, formatUpPreference } from "../../tailscale/up-flags.ts";

/** The login path chosen, with the reason for the CLI path. */
export type LoginPlan =
  | { readonly kind: "config-file"; readonly document: Record<string, unknown> }
  | { readonly kind: "cli"; readonly reason: string };

/** Whether tailscaled's saved state is logged in, as its first state change tells. */
export type LoginPhase = "needs-login" | "logged-in";

/** One `tailscale` CLI call; a secret it needs is in `stdin`, never in `args`. */
export interface CliCall {
  readonly command: "up" | "login" | "reload-config";
  readonly args: readonly string[];
  /** What the call reads as `file:/proc/self/fd/0` (the key, or an ID token). */
  readonly stdin?: string;
}

/**
 * How a secret reaches the CLI: its stdin, a pipe the supervisor filled and closed. The CLI reads a
 * `file:` value with os.ReadFile (cmd/tailscale/cli/up.go), which a pipe serves to its end. Not
 * /dev/stdin: /proc is in every container, the /dev/stdin link only where the runtime makes it.
 */
export const SECRET_FROM_STDIN = "file:/proc/self/fd/0";

/**
 * The CLI call each phase needs. Config file: none when the file carries the key (`keyInConfig`) or
 * the node is logged in; `login` when a saved state turned out logged out (or for the URL, without a
 * key). CLI path: always `up`, with the key when logged out (or at every start with TS_AUTH_ONCE=false).
 */
export function chooseLoginCommand(plan: LoginPlan, config: Config, inputs: LoginInputs, phase: LoginPhase, keyInConfig: boolean): CliCall | undefined {
  if (plan.kind === "cli") return buildUpCall(config, inputs, config.socket, phase === "needs-login" || !config.authOnce);
  if (phase === "logged-in" || keyInConfig) return undefined;
  return buildLoginCall(config, inputs, config.socket, true);
}

/** Inputs besides the configuration: where the key file is, the netfilter mode preflight chose. */
export interface LoginInputs {
  /** `file:/path` of the key for the config file (its copy on tmpfs, or the user's own key file); undefined: no key file. */
  readonly authKeyRef: string | undefined;
  readonly netfilterMode: "on" | "nodivert" | "off" | undefined;
  /** Whether secrets may be written to the runtime directory (it is on tmpfs). */
  readonly runtimeDirOnTmpfs: boolean;
  /** The state dir holds a logged-in profile (see saved-login.ts). */
  readonly savedLogin: boolean;
}

/**
 * Chooses the config file whenever it can express the whole configuration: a node that is logged
 * in then starts with no CLI exec at all (each exec of a UPX-compressed binary costs ~0.65 s CPU
 * on x86, seconds on a router). The file holds the key only when the saved state has no login:
 * tailscaled sends a config-file key at every start, even when logged in, and a stale key keeps
 * the node down (test/fixtures/tailscale/README.md, section d). Not `tailscale login`/`up` with the
 * key on a fresh node either: the CLI then also starts an interactive login, which registers a
 * second time and gets "authkey already used" for a single-use key (cmd/tailscale/cli/up.go, runUp).
 * Without tmpfs a file cannot hold the key: a node that needs it logs in with `tailscale up`, the
 * key on its stdin.
 */
export function planLogin(config: Config, inputs: LoginInputs): LoginPlan {
  // First: an OAuth secret always comes with --advertise-tags (a configuration rule), which has no
  // config-file field either, but the secret is the reason that holds whatever the flags.
  if (config.authKey?.kind === "oauth-secret") return { kind: "cli", reason: "OAuth client secrets are resolved by the CLI" };
  const cliOnly = config.upPreferences.find((preference) => preference.configField === undefined);
  if (cliOnly !== undefined) return { kind: "cli", reason: cliOnly.cliOnlyReason ?? `--${cliOnly.name} has no config-file equivalent` };
  if (config.authKey !== undefined && config.authKey.file === undefined && !inputs.runtimeDirOnTmpfs && needsKeyInFile(config, inputs)) {
    return { kind: "cli", reason: "no tmpfs to hold the key file" };
  }
  return { kind: "config-file", document: buildConfigDocument(config, inputs) };
}

/** The ipn.ConfigVAlpha document (ipn/conf.go of tailscale v1.102.3). */
export function buildConfigDocument(config: Config, inputs: LoginInputs): Record<string, unknown> {
  const document: Record<string, unknown> = {
    Version: "alpha0",
    // Unlocked: an admin may still run `tailscale set ...` in the container; this file wins at the next start.
    Locked: false,
    Enabled: true,
    acceptDNS: config.acceptDns,
    acceptRoutes: false,
  };
  if (config.loginServer !== undefined) document["ServerURL"] = config.loginServer;
  if (inputs.authKeyRef !== undefined && needsKeyInFile(config, inputs)) document["AuthKey"] = inputs.authKeyRef;
  if (config.hostname !== undefined) document["Hostname"] = config.hostname;
  if (config.routes !== undefined) document["AdvertiseRoutes"] = config.routes.map((route) => route.text);
  const netfilterMode = config.netfilterMode ?? inputs.netfilterMode;
  if (netfilterMode !== undefined) document["NetfilterMode"] = netfilterMode;
  for (const { configField } of config.upPreferences) if (configField !== undefined) document[configField.name] = configField.value;
  return document;
}

/** Whether tailscaled must find the key at its start: no saved login, or TS_AUTH_ONCE=false. */
export function needsKeyInFile(config: Config, inputs: Pick<LoginInputs, "savedLogin">): boolean {
  return config.authKey !== undefined && (!inputs.savedLogin || !config.authOnce);
}

/** `tailscale up` for the CLI path; the environment is the whole truth, hence --reset. */
export function buildUpCall(config: Config, inputs: LoginInputs, socket: string, withKey: boolean): CliCall {
  return buildCliCall("up", config, inputs, socket, withKey);
}

/** `tailscale login`: the same preferences as the config file, and the key when asked. */
export function buildLoginCall(config: Config, inputs: LoginInputs, socket: string, withKey: boolean): CliCall {
  return buildCliCall("login", config, inputs, socket, withKey);
}

function buildCliCall(command: "up" | "login", config: Config, inputs: LoginInputs, socket: string, withKey: boolean): CliCall {
  const args = [`--socket=${socket}`, command, ...(command === "up" ? ["--reset"] : []), `--accept-dns=${config.acceptDns}`];
  if (config.loginServer !== undefined) args.push(`--login-server=${config.loginServer}`);
  if (config.hostname !== undefined) args.push(`--hostname=${config.hostname}`);
  if (config.routes !== undefined) args.push(`--advertise-routes=${config.routes.map((route) => route.text).join(",")}`);
  const netfilterMode = config.netfilterMode ?? inputs.netfilterMode;
  if (netfilterMode !== undefined) args.push(`--netfilter-mode=${netfilterMode}`);
  const key = withKey ? config.authKey?.key : undefined;
  let stdin = key;
  for (const preference of config.upPreferences) {
    // A `file:` reference is no secret: as given.
    if (findUpFlag(preference.name)?.secret !== true || preference.value.startsWith("file:")) args.push(formatUpPreference(preference));
    // An ID token (--id-token) is used only without a key (cmd/tailscale/cli/up.go): on stdin then.
    else if (key === undefined) {
      args.push(`--${preference.name}=${SECRET_FROM_STDIN}`);
      stdin = preference.value;
    }
  }
  if (key !== undefined) args.push(`--auth-key=${SECRET_FROM_STDIN}`);
  return stdin === undefined ? { command, args } : { command, args, stdin };
}

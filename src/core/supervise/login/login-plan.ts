// How tailscaled gets its preferences and key: its config file (no CLI exec), or `tailscale up` when it must.
import type { Config } from "../../config/config.ts";
import { formatUpPreference } from "../../tailscale/up-flags.ts";

/** The login path chosen, with the reason for the CLI path. */
export type LoginPlan =
  | { readonly kind: "config-file"; readonly document: Record<string, unknown> }
  | { readonly kind: "cli"; readonly reason: string };

/** Whether tailscaled's saved state is logged in, as its first state change tells. */
export type LoginPhase = "needs-login" | "logged-in";

/** One `tailscale` CLI call. */
export interface CliCall {
  readonly command: "up" | "login";
  readonly args: readonly string[];
}

/**
 * The CLI call each phase needs. Config file: none when the file carries the key or the node is
 * logged in; `login` when a saved state turned out logged out (or for the URL, without a key).
 * CLI path: always `up`, with the key when logged out (or at every start with TS_AUTH_ONCE=false).
 */
export function chooseLoginCommand(plan: LoginPlan, config: Config, inputs: LoginInputs, phase: LoginPhase): CliCall | undefined {
  if (plan.kind === "cli") return { command: "up", args: buildUpArgs(config, inputs, config.socket, phase === "needs-login" || !config.authOnce) };
  if (phase === "logged-in" || plan.document["AuthKey"] !== undefined) return undefined;
  return { command: "login", args: buildLoginArgs(config, inputs, config.socket, true) };
}

/** Inputs besides the configuration: where the key file is, the netfilter mode preflight chose. */
export interface LoginInputs {
  /** `file:/path` of the key (on tmpfs, or the user's own key file); undefined without a key. */
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
 */
export function planLogin(config: Config, inputs: LoginInputs): LoginPlan {
  // First: an OAuth secret always comes with --advertise-tags (a configuration rule), which has no
  // config-file field either, but the secret is the reason that holds whatever the flags.
  if (config.authKey?.kind === "oauth-secret") return { kind: "cli", reason: "OAuth client secrets are resolved by the CLI" };
  const cliOnly = config.upPreferences.find((preference) => preference.configField === undefined);
  if (cliOnly !== undefined) return { kind: "cli", reason: cliOnly.cliOnlyReason ?? `--${cliOnly.name} has no config-file equivalent` };
  if (config.authKey !== undefined && config.authKey.file === undefined && !inputs.runtimeDirOnTmpfs) {
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
  if (inputs.authKeyRef !== undefined && inputs.authKeyRef.startsWith("file:") && (!inputs.savedLogin || !config.authOnce)) document["AuthKey"] = inputs.authKeyRef;
  if (config.hostname !== undefined) document["Hostname"] = config.hostname;
  if (config.routes !== undefined) document["AdvertiseRoutes"] = config.routes.map((route) => route.text);
  const netfilterMode = config.netfilterMode ?? inputs.netfilterMode;
  if (netfilterMode !== undefined) document["NetfilterMode"] = netfilterMode;
  for (const { configField } of config.upPreferences) if (configField !== undefined) document[configField.name] = configField.value;
  return document;
}

/** `tailscale up` arguments for the CLI path; the environment is the whole truth, hence --reset. */
export function buildUpArgs(config: Config, inputs: LoginInputs, socket: string, withKey: boolean): string[] {
  return buildCliArgs("up", config, inputs, socket, withKey);
}

/** `tailscale login` arguments: the same preferences as the config file, and the key when asked. */
export function buildLoginArgs(config: Config, inputs: LoginInputs, socket: string, withKey: boolean): string[] {
  return buildCliArgs("login", config, inputs, socket, withKey);
}

function buildCliArgs(command: "up" | "login", config: Config, inputs: LoginInputs, socket: string, withKey: boolean): string[] {
  const args = [`--socket=${socket}`, command, ...(command === "up" ? ["--reset"] : []), `--accept-dns=${config.acceptDns}`];
  if (config.loginServer !== undefined) args.push(`--login-server=${config.loginServer}`);
  if (config.hostname !== undefined) args.push(`--hostname=${config.hostname}`);
  if (config.routes !== undefined) args.push(`--advertise-routes=${config.routes.map((route) => route.text).join(",")}`);
  const netfilterMode = config.netfilterMode ?? inputs.netfilterMode;
  if (netfilterMode !== undefined) args.push(`--netfilter-mode=${netfilterMode}`);
  for (const preference of config.upPreferences) args.push(formatUpPreference(preference));
  if (withKey && inputs.authKeyRef !== undefined) args.push(`--auth-key=${inputs.authKeyRef}`);
  return args;
}

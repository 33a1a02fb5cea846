// The flags of `tailscale up` (v1.102, Linux) users put in TS_EXTRA_ARGS, and how each takes effect.
import { clipText } from "../text/clip.ts";

const MAX_VALUE_SHOWN = 40;

/** How a flag takes its value (Go's flag package: booleans only as --x or --x=bool). */
export type FlagKind = "bool" | "string" | "duration";

/** How a flag takes effect under the supervisor. */
export type FlagTarget =
  /** A field of tailscaled's config file (ipn.ConfigVAlpha); `toJson` when the field is not the plain value. */
  | { readonly kind: "config"; readonly field: string; readonly toJson?: (value: string) => unknown; readonly onlyIf?: FlagCondition }
  /** One of our variables controls it; the flag sets that variable's value. */
  | { readonly kind: "setting"; readonly variable: string }
  /** No config-file field: passed to `tailscale up`, which then runs at every start. */
  | { readonly kind: "cli-only" }
  /** What the supervisor always does; accepted with that value, refused with any other. */
  | { readonly kind: "fixed"; readonly value: boolean; readonly why: string }
  /** Cannot be honoured here. */
  | { readonly kind: "refused"; readonly why: string; readonly fix: string };

/** When a config-file flag's value cannot be written in the file (it then goes to `tailscale up`). */
export interface FlagCondition {
  readonly test: (value: string) => boolean;
  readonly otherwise: string;
}

/** One flag of `tailscale up`. */
export interface UpFlag {
  readonly name: string;
  readonly kind: FlagKind;
  readonly target: FlagTarget;
  /** Its value is a secret (never shown, redacted everywhere). */
  readonly secret?: true;
  /** The Tailscale feature (featuretags) without which tailscaled ignores it: refused when the image lacks it. */
  readonly feature?: string;
}

const config = (field: string, toJson?: (value: string) => unknown): FlagTarget => (toJson === undefined ? { kind: "config", field } : { kind: "config", field, toJson });
const setting = (variable: string): FlagTarget => ({ kind: "setting", variable });
const refused = (why: string, fix: string): FlagTarget => ({ kind: "refused", why, fix });
const CLI_ONLY: FlagTarget = { kind: "cli-only" };
const isTrue = (value: string): boolean => value === "true";
const inverted = (value: string): boolean => !isTrue(value);
/** The fix for a key where it does not belong. */
export const KEY_FIX = "put the key in TS_AUTHKEY (or TS_AUTHKEY=file:/path), where it is kept secret and used only when needed";

// ipn.ConfigVAlpha reads exitNode as an IP address or else as a stable node ID, never as a name.
const EXIT_NODE_IN_FILE: FlagCondition = {
  test: (value) => value === "" || /^[0-9.]+$/.test(value) || /^[0-9A-Fa-f:.]+$/.test(value),
  otherwise: "the config file takes an exit node only as an IP address",
};

/** Every flag `tailscale up` accepts on Linux (cmd/tailscale/cli/up.go, v1.102.3). */
export const UP_FLAGS: readonly UpFlag[] = [
  { name: "accept-routes", kind: "bool", target: config("acceptRoutes", isTrue), feature: "useroutes" },
  { name: "accept-dns", kind: "bool", target: setting("TS_ACCEPT_DNS") },
  { name: "advertise-exit-node", kind: "bool", target: config("AdvertiseExitNode", isTrue), feature: "advertiseexitnode" },
  { name: "advertise-routes", kind: "string", target: setting("TS_ROUTES") },
  { name: "advertise-tags", kind: "string", target: CLI_ONLY },
  { name: "advertise-connector", kind: "bool", target: config("AppConnector", (value) => ({ Advertise: isTrue(value) })), feature: "appconnectors" },
  { name: "exit-node", kind: "string", target: { kind: "config", field: "exitNode", onlyIf: EXIT_NODE_IN_FILE }, feature: "useexitnode" },
  { name: "exit-node-allow-lan-access", kind: "bool", target: config("allowLANWhileUsingExitNode", isTrue), feature: "useexitnode" },
  { name: "hostname", kind: "string", target: setting("TS_HOSTNAME") },
  { name: "login-server", kind: "string", target: setting("TS_LOGIN_SERVER") },
  { name: "netfilter-mode", kind: "string", target: setting("TS_NETFILTER_MODE") },
  { name: "operator", kind: "string", target: config("OperatorUser") },
  { name: "report-posture", kind: "bool", target: config("PostureChecking", isTrue), feature: "posture" },
  { name: "shields-up", kind: "bool", target: config("ShieldsUp", isTrue) },
  { name: "snat-subnet-routes", kind: "bool", target: config("DisableSNAT", inverted) },
  { name: "ssh", kind: "bool", target: config("RunSSHServer", isTrue), feature: "ssh" },
  { name: "stateful-filtering", kind: "bool", target: config("NoStatefulFiltering", inverted) },
  { name: "force-reauth", kind: "bool", target: CLI_ONLY },
  { name: "accept-risk", kind: "string", target: CLI_ONLY },
  { name: "client-id", kind: "string", target: CLI_ONLY, feature: "identityfederation" },
  { name: "audience", kind: "string", target: CLI_ONLY, feature: "identityfederation" },
  { name: "id-token", kind: "string", target: CLI_ONLY, secret: true, feature: "identityfederation" },
  { name: "host-routes", kind: "bool", target: { kind: "fixed", value: true, why: "host routes are always on (tailscale 1.67+)" } },
  { name: "reset", kind: "bool", target: { kind: "fixed", value: true, why: "the environment is the whole configuration at every start" } },
  { name: "timeout", kind: "duration", target: refused("the supervisor decides how long to wait for Running", "remove it and set TS_BOOT_TIMEOUT") },
  { name: "json", kind: "bool", target: refused("the supervisor reads tailscale's state itself", "remove it") },
  { name: "qr", kind: "bool", target: refused("the login URL is logged as text", "remove it") },
  { name: "qr-format", kind: "string", target: refused("the login URL is logged as text", "remove it") },
  { name: "unattended", kind: "bool", target: refused("it exists on Windows only", "remove it") },
  { name: "auth-key", kind: "string", target: refused("an auth key does not belong in the extra arguments", KEY_FIX), secret: true },
  { name: "authkey", kind: "string", target: refused("an auth key does not belong in the extra arguments", KEY_FIX), secret: true },
  {
    name: "client-secret",
    kind: "string",
    target: refused("a client secret does not belong in the extra arguments", "put the OAuth client secret (tskey-client-...) in TS_AUTHKEY and the tags in --advertise-tags"),
    secret: true,
  },
];

const FLAGS_BY_NAME = new Map(UP_FLAGS.map((flag) => [flag.name, flag]));

/** The flag of that name (exactly: Go's flags are case-sensitive). */
export function findUpFlag(name: string): UpFlag | undefined {
  return FLAGS_BY_NAME.get(name);
}

/** A flag as given: its spec and its value ("true"/"false" for booleans). */
export interface GivenFlag {
  readonly flag: UpFlag;
  readonly value: string;
}

/** A flag as it takes effect: on `tailscale up`'s command line, and in the config file when it has a field there. */
export interface UpPreference {
  readonly name: string;
  readonly value: string;
  /** The ipn.ConfigVAlpha field and its JSON value; undefined when only `tailscale up` can apply the flag. */
  readonly configField: { readonly name: string; readonly value: unknown } | undefined;
  /** Why the config file cannot carry it (when `configField` is undefined). */
  readonly cliOnlyReason?: string;
  /** Not given by the user: added by the supervisor because of this flag (e.g. `--exit-node`). */
  readonly addedWith?: string;
}

/** The preference a config-file or CLI-only flag stands for; undefined for the other kinds. */
export function toUpPreference(given: GivenFlag): UpPreference | undefined {
  const { flag, value } = given;
  const target = flag.target;
  if (target.kind === "cli-only") return { name: flag.name, value, configField: undefined, cliOnlyReason: `--${flag.name} has no config-file equivalent` };
  if (target.kind !== "config") return undefined;
  if (target.onlyIf !== undefined && !target.onlyIf.test(value)) return { name: flag.name, value, configField: undefined, cliOnlyReason: `--${flag.name}=${clipText(value, MAX_VALUE_SHOWN)}: ${target.onlyIf.otherwise}` };
  return { name: flag.name, value, configField: { name: target.field, value: target.toJson === undefined ? value : target.toJson(value) } };
}

/** The preference as `tailscale up` takes it on its command line. */
export function formatUpPreference(preference: UpPreference): string {
  return `--${preference.name}=${preference.value}`;
}

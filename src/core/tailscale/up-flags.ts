// The flags of `tailscale up` (v1.102) users put in TS_EXTRA_ARGS, and how each maps to tailscaled's config file.

/** How a flag takes its value (Go's flag package: booleans only as --x or --x=bool). */
export type FlagKind = "bool" | "string" | "duration";

/** A config-file field (ipn.ConfigVAlpha) a flag sets, or why it has none. */
export type FlagTarget =
  | { readonly kind: "config"; readonly field: string; readonly invert?: true }
  | { readonly kind: "cli-only" }
  | { readonly kind: "ignored"; readonly why: string }
  | { readonly kind: "setting"; readonly variable: string };

/** One flag of `tailscale up`. */
export interface UpFlag {
  readonly name: string;
  readonly kind: FlagKind;
  readonly target: FlagTarget;
}

const config = (field: string, invert?: true): FlagTarget => (invert ? { kind: "config", field, invert } : { kind: "config", field });
const setting = (variable: string): FlagTarget => ({ kind: "setting", variable });
const CLI_ONLY: FlagTarget = { kind: "cli-only" };

/** Every flag `tailscale up` accepts on Linux (cmd/tailscale/cli/up.go, v1.102.3). */
export const UP_FLAGS: readonly UpFlag[] = [
  { name: "accept-routes", kind: "bool", target: config("acceptRoutes") },
  { name: "accept-dns", kind: "bool", target: setting("TS_ACCEPT_DNS") },
  { name: "advertise-exit-node", kind: "bool", target: config("AdvertiseExitNode") },
  { name: "advertise-routes", kind: "string", target: setting("TS_ROUTES") },
  { name: "advertise-tags", kind: "string", target: CLI_ONLY },
  { name: "advertise-connector", kind: "bool", target: CLI_ONLY },
  { name: "exit-node", kind: "string", target: config("exitNode") },
  { name: "exit-node-allow-lan-access", kind: "bool", target: config("allowLANWhileUsingExitNode") },
  { name: "hostname", kind: "string", target: setting("TS_HOSTNAME") },
  { name: "login-server", kind: "string", target: setting("TS_LOGIN_SERVER") },
  { name: "netfilter-mode", kind: "string", target: setting("TS_NETFILTER_MODE") },
  { name: "operator", kind: "string", target: config("OperatorUser") },
  { name: "report-posture", kind: "bool", target: config("PostureChecking") },
  { name: "shields-up", kind: "bool", target: config("ShieldsUp") },
  { name: "snat-subnet-routes", kind: "bool", target: config("DisableSNAT", true) },
  { name: "ssh", kind: "bool", target: config("RunSSHServer") },
  { name: "stateful-filtering", kind: "bool", target: config("NoStatefulFiltering", true) },
  { name: "host-routes", kind: "bool", target: { kind: "ignored", why: "it is always on" } },
  { name: "unattended", kind: "bool", target: { kind: "ignored", why: "it is for Windows" } },
  { name: "reset", kind: "bool", target: { kind: "ignored", why: "the environment is the whole configuration at every start" } },
  { name: "force-reauth", kind: "bool", target: CLI_ONLY },
  { name: "timeout", kind: "duration", target: { kind: "ignored", why: "use TS_BOOT_TIMEOUT" } },
  { name: "json", kind: "bool", target: { kind: "ignored", why: "the supervisor reads the state itself" } },
  { name: "qr", kind: "bool", target: { kind: "ignored", why: "the login URL is logged" } },
  { name: "qr-format", kind: "string", target: { kind: "ignored", why: "the login URL is logged" } },
  { name: "auth-key", kind: "string", target: setting("TS_AUTHKEY") },
  { name: "authkey", kind: "string", target: setting("TS_AUTHKEY") },
  { name: "client-id", kind: "string", target: CLI_ONLY },
  { name: "client-secret", kind: "string", target: CLI_ONLY },
  { name: "id-token", kind: "string", target: CLI_ONLY },
  { name: "audience", kind: "string", target: CLI_ONLY },
];

/** A flag as given: its spec and its value ("true" for a bare boolean). */
export interface GivenFlag {
  readonly flag: UpFlag;
  readonly value: string;
}

/** The flags found, and the words that are not flags of `tailscale up` (`ok` when there are none). */
export interface UpFlagsParse {
  readonly ok: boolean;
  readonly flags: readonly GivenFlag[];
  readonly problems: readonly string[];
}

/** Parses `tailscale up` arguments the way Go's flag package would. */
export function parseUpFlags(args: readonly string[]): UpFlagsParse {
  const flags: GivenFlag[] = [];
  const problems: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    const match = /^--?([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    const flag = UP_FLAGS.find((candidate) => candidate.name === match?.[1]);
    if (match === null || flag === undefined) {
      problems.push(match === null ? `${arg} is not a flag (tailscale up takes no other arguments)` : `--${match[1]} is not a flag of tailscale up`);
      continue;
    }
    let value = match[2];
    if (value === undefined && flag.kind !== "bool") {
      value = args[index + 1];
      index += 1;
      if (value === undefined) problems.push(`--${flag.name} needs a value`);
    }
    if (flag.kind === "bool" && value !== undefined && !["true", "false", "1", "0"].includes(value)) {
      problems.push(`--${flag.name} takes true or false, written --${flag.name}=false`);
    }
    flags.push({ flag, value: value ?? "true" });
  }
  return { ok: problems.length === 0, flags, problems };
}

/** The value of a flag in `tailscale up` arguments ("true" for a bare boolean); undefined when absent. */
export function findUpFlag(args: readonly string[], name: string): string | undefined {
  return parseUpFlags(args).flags.find((given) => given.flag.name === name)?.value;
}

/** True when a boolean flag is given and not set to false. */
export function isUpFlagOn(args: readonly string[], name: string): boolean {
  const value = findUpFlag(args, name);
  return value === "true" || value === "1";
}

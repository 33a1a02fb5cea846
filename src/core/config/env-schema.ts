// The env variables the supervisor reads: each named once, with aliases, default and description.
import { LOG_FORMATS, LOG_LEVELS, TAILSCALED_LOG_MODES } from "../log/format-line.ts";
import { describeDuration } from "../text/duration.ts";
import { findArgsSecrets, redactArgsText } from "./secrets/args-secrets.ts";
import { displayAuthKeyValue, findAuthKeySecrets, parseAuthKeySource } from "./secrets/auth-key.ts";
import { displayLoginServer, parseLoginServer } from "./values/login-server.ts";
import { parseGateway, parseRoutes } from "./values/routes.ts";
import { parseAbsolutePath, parseArgs, parseBoolean, parseBooleanOr, parseChoice, parseCount, parseDuration, parseHostname, parsePort, type ValueParser } from "./values/value-parsers.ts";
import { describeRestartSettings } from "../routeros/container-commands.ts";

/** One setting: its variable, the older names also accepted, and how its value is read. */
export interface EnvVarSpec<T, D extends T | undefined = T | undefined> {
  readonly name: string;
  /** Older names (lower precedence); two names with different values are an error. */
  readonly aliases: readonly string[];
  readonly description: string;
  /** The value when unset (and when empty, unless `emptyIsValue`). */
  readonly defaultValue: D;
  /** How the README and `config` show the default. */
  readonly defaultText: string;
  readonly parse: ValueParser<T>;
  /** Never printed; redacted everywhere. */
  readonly secret?: true;
  /** How a raw value is shown in a problem, when not as is (secrets inside redacted). */
  readonly display?: (raw: string) => string;
  /** The secrets a raw value holds (all of it, for a secret setting). */
  readonly findSecrets?: (raw: string) => readonly string[];
  /** Empty is a value of its own (e.g. TS_ROUTES="" clears routes) instead of "use the default". */
  readonly emptyIsValue?: true;
  /** How `config` prints the value, when not as is (durations in seconds). */
  show?(value: T): string;
}

function defineVar<T, const D extends T | undefined>(spec: EnvVarSpec<T, D>): EnvVarSpec<T, D> {
  return spec;
}

/** How a duration may be written (text/duration.ts). */
const DURATION_FORMS = "seconds (30) or with units h, m, s (90s, 2m, 1h, 1m30s)";

/**
 * A duration setting (milliseconds): read by the one duration parser, shown by `config` and the README
 * as it is written (`5m`, `1m30s`), its accepted forms and range at the end of its description.
 */
function defineDurationVar(spec: { name: string; description: string; defaultMs: number; minMs: number; maxMs: number }): EnvVarSpec<number, number> {
  return {
    name: spec.name,
    aliases: [],
    description: `${spec.description}: ${DURATION_FORMS}, from ${describeDuration(spec.minMs)} to ${describeDuration(spec.maxMs)}.`,
    defaultValue: spec.defaultMs,
    defaultText: describeDuration(spec.defaultMs),
    parse: parseDuration(spec.minMs, spec.maxMs),
    show: describeDuration,
  };
}

/** Every variable the supervisor reads, by setting. */
export const ENV_VARS = {
  authKey: defineVar({
    name: "TS_AUTHKEY",
    aliases: ["TS_AUTH_KEY", "AUTH_KEY"],
    description: "Auth key (Tailscale `tskey-auth-...`, OAuth secret `tskey-client-...`, or a Headscale pre-auth key), or `file:/path` to read it from a file (a regular file of at most 4 KiB, the key its only line). Used only while the node is not logged in.",
    defaultValue: undefined,
    defaultText: "none (log in with the URL printed in the log)",
    parse: parseAuthKeySource,
    secret: true,
    display: displayAuthKeyValue,
    findSecrets: findAuthKeySecrets,
  }),
  loginServer: defineVar({
    name: "TS_LOGIN_SERVER",
    aliases: ["LOGIN_SERVER"],
    description: "Control server URL, e.g. your Headscale `https://headscale.example.com`.",
    defaultValue: undefined,
    defaultText: "Tailscale's service",
    parse: parseLoginServer,
    display: displayLoginServer,
  }),
  routes: defineVar({
    name: "TS_ROUTES",
    aliases: ["ADVERTISE_ROUTES"],
    description: "Subnets to advertise, comma or space separated IPv4/IPv6 CIDRs. Set but empty: advertise none.",
    defaultValue: undefined,
    defaultText: "unset (routes left as they are)",
    parse: parseRoutes,
    emptyIsValue: true,
  }),
  containerGateway: defineVar({
    name: "TS_CONTAINER_GATEWAY",
    aliases: ["CONTAINER_GATEWAY"],
    description: "Next hop inside the container for return routes to the advertised subnets (the veth gateway, e.g. 172.17.0.1).",
    defaultValue: undefined,
    defaultText: "none (no return routes added)",
    parse: parseGateway,
  }),
  extraArgs: defineVar({
    name: "TS_EXTRA_ARGS",
    aliases: ["TAILSCALE_ARGS"],
    description: "Extra `tailscale up` arguments, split like a shell would (quotes respected). Flags with a setting of their own here take effect as that setting (see below).",
    defaultValue: [],
    defaultText: "none",
    parse: parseArgs,
    display: redactArgsText,
    findSecrets: findArgsSecrets,
  }),
  tailscaledExtraArgs: defineVar({
    name: "TS_TAILSCALED_EXTRA_ARGS",
    aliases: ["TAILSCALED_ARGS"],
    description: "Extra `tailscaled` arguments, split like a shell would.",
    defaultValue: [],
    defaultText: "none",
    parse: parseArgs,
    display: redactArgsText,
    findSecrets: findArgsSecrets,
  }),
  hostname: defineVar({
    name: "TS_HOSTNAME",
    aliases: [],
    description: "Host name of this node in the tailnet.",
    defaultValue: undefined,
    defaultText: "the container's host name",
    parse: parseHostname,
  }),
  stateDir: defineVar({
    name: "TS_STATE_DIR",
    aliases: [],
    description: "Directory for tailscaled's state (node identity); mount persistent storage here.",
    defaultValue: "/var/lib/tailscale",
    defaultText: "/var/lib/tailscale",
    parse: parseAbsolutePath,
  }),
  socket: defineVar({
    name: "TS_SOCKET",
    aliases: [],
    description: "Path of tailscaled's LocalAPI socket.",
    defaultValue: "/var/run/tailscale/tailscaled.sock",
    defaultText: "/var/run/tailscale/tailscaled.sock",
    parse: parseAbsolutePath,
  }),
  userspace: defineVar({
    name: "TS_USERSPACE",
    aliases: [],
    description: "Userspace networking instead of a kernel TUN device: `true`, `false` (spelled as any boolean), or `auto` (kernel TUN when it can be had).",
    defaultValue: "auto",
    defaultText: "auto",
    parse: parseBooleanOr("auto"),
  }),
  acceptDns: defineVar({
    name: "TS_ACCEPT_DNS",
    aliases: [],
    description: "Accept the tailnet's DNS settings (`true`/`false`).",
    defaultValue: false,
    defaultText: "false",
    parse: parseBoolean,
  }),
  authOnce: defineVar({
    name: "TS_AUTH_ONCE",
    aliases: [],
    description: "`true`: use the auth key only when the node is not logged in; `false`: log in with it at every start.",
    defaultValue: true,
    defaultText: "true",
    parse: parseBoolean,
  }),
  port: defineVar({
    name: "TS_PORT",
    aliases: [],
    description: "UDP port tailscaled listens on (0 = pick one).",
    defaultValue: 41641,
    defaultText: "41641",
    parse: parsePort,
  }),
  netfilterMode: defineVar({
    name: "TS_NETFILTER_MODE",
    aliases: [],
    description: "Firewall rules tailscaled manages: `on`, `nodivert` or `off`.",
    defaultValue: undefined,
    defaultText: "chosen at start (on when iptables works)",
    parse: parseChoice(["on", "nodivert", "off"]),
  }),
  lanMasquerade: defineVar({
    name: "TS_LAN_MASQUERADE",
    aliases: [],
    description:
      "`true`: traffic the container forwards into the tailnet (from the LAN, the router, LAN hosts sent through an exit node) leaves `tailscale0` with this node's tailnet address, so it reaches every peer, also the ones that do not accept this router's routes (Linux clients by default). The cost: peers see this node, not the LAN host (ACLs per LAN host no longer apply). Kernel TUN mode only; IPv4 and IPv6.",
    defaultValue: false,
    defaultText: "false",
    parse: parseBoolean,
  }),
  startupScript: defineVar({
    name: "STARTUP_SCRIPT",
    aliases: [],
    description: "Executable run before tailscaled starts; a non-zero exit stops the container.",
    defaultValue: undefined,
    defaultText: "none",
    parse: parseAbsolutePath,
  }),
  runningScript: defineVar({
    name: "RUNNING_SCRIPT",
    aliases: [],
    description: "Executable run once Tailscale is Running.",
    defaultValue: undefined,
    defaultText: "none",
    parse: parseAbsolutePath,
  }),
  scriptTimeout: defineDurationVar({
    name: "TS_SCRIPT_TIMEOUT",
    description: "How long STARTUP_SCRIPT and RUNNING_SCRIPT may run before they are ended (TERM to the script and its children, KILL 2 s later); a STARTUP_SCRIPT that times out stops the container like a failing one",
    defaultMs: 300_000,
    minMs: 1000,
    maxMs: 86_400_000,
  }),
  bootTimeout: defineDurationVar({
    name: "TS_BOOT_TIMEOUT",
    description: "How long tailscaled may take to reach Running, from its first start (restarts do not move it), before the supervisor prints its diagnostics once, as a warning, and keeps waiting (not counted while a login URL or an approval waits for you); a tailscaled that keeps dying is reported as daemon-crash",
    defaultMs: 60_000,
    minMs: 1000,
    maxMs: 3_600_000,
  }),
  exitOnBootTimeout: defineVar({
    name: "TS_EXIT_ON_BOOT_TIMEOUT",
    aliases: [],
    description: `\`true\`: exit 1 with the diagnostics when tailscaled is not Running after TS_BOOT_TIMEOUT, for hosts that restart containers (${describeRestartSettings()}; Docker --restart). \`false\`: warn and keep waiting; where nothing restarts the container (RouterOS before 7.20, or without those settings) an exit is permanent.`,
    defaultValue: false,
    defaultText: "false",
    parse: parseBoolean,
  }),
  stopGrace: defineDurationVar({
    name: "TS_STOP_GRACE",
    description: "On SIGTERM (or INT, QUIT), in any phase, how long tailscaled and every command still running (STARTUP_SCRIPT, probes, CLI calls) get to exit before they are killed; keep it under the container's stop timeout (10 s on Docker)",
    defaultMs: 5000,
    minMs: 0,
    maxMs: 60_000,
  }),
  restartLimit: defineVar({
    name: "TS_RESTART_LIMIT",
    aliases: [],
    description: "tailscaled deaths within 60 s of its running time (the waits between restarts do not count) after which the supervisor gives up (exits with diagnostics, class daemon-crash); it restarts after 1 s, 2 s, 4 s ... up to 60 s in between. 1: never restart.",
    defaultValue: 5,
    defaultText: "5",
    parse: parseCount(1, 100),
  }),
  logFormat: defineVar({
    name: "LOG_FORMAT",
    aliases: [],
    description: "`plain` (one ASCII line per event, for the RouterOS log) or `json` (JSON lines).",
    defaultValue: "plain",
    defaultText: "plain",
    parse: parseChoice(LOG_FORMATS),
  }),
  logLevel: defineVar({
    name: "LOG_LEVEL",
    aliases: [],
    description: "Least severe level logged: `debug`, `info`, `warn` or `error`. `debug` also relays tailscaled's `[v1]`/`[v2]` lines.",
    defaultValue: "info",
    defaultText: "info",
    parse: parseChoice(LOG_LEVELS.filter((level) => level !== "fatal")),
  }),
  tailscaledLog: defineVar({
    name: "TS_TAILSCALED_LOG",
    aliases: [],
    description: "Which of tailscaled's lines the log shows: `important` (state changes, health warnings as they appear and clear, failures; the rest is kept in a ring on tmpfs, `qjs /supervisor.mjs logs`) or `all` (every line, as tailscaled prints it).",
    defaultValue: "important",
    defaultText: "important",
    parse: parseChoice(TAILSCALED_LOG_MODES),
  }),
} as const;

/** The name of a setting. */
export type SettingKey = keyof typeof ENV_VARS;

/** The settings in table order. */
export const SETTING_KEYS = Object.keys(ENV_VARS) as SettingKey[];

/** Every variable name the supervisor understands, aliases included. */
export const KNOWN_VARIABLE_NAMES: readonly string[] = SETTING_KEYS.flatMap((key) => [ENV_VARS[key].name, ...ENV_VARS[key].aliases]);

/** The value of a setting once read: parsed, or its default. */
export type SettingValue<K extends SettingKey> = (typeof ENV_VARS)[K] extends EnvVarSpec<infer T, infer D> ? T | D : never;

// The flags of `tailscale up` (v1.102, Linux) users put in TS_EXTRA_ARGS, how each takes effect, and their parser.
import { clipText } from "../text/clip.ts";

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
}

const config = (field: string, toJson?: (value: string) => unknown): FlagTarget => (toJson === undefined ? { kind: "config", field } : { kind: "config", field, toJson });
const setting = (variable: string): FlagTarget => ({ kind: "setting", variable });
const refused = (why: string, fix: string): FlagTarget => ({ kind: "refused", why, fix });
const CLI_ONLY: FlagTarget = { kind: "cli-only" };
const isTrue = (value: string): boolean => value === "true";
const inverted = (value: string): boolean => !isTrue(value);
const FLAGS_FIX = "use flags of `tailscale up` only (tailscale up --help), booleans as --flag or --flag=false";
const KEY_FIX = "put the key in TS_AUTHKEY (or TS_AUTHKEY=file:/path), where it is kept secret and used only when needed";

// ipn.ConfigVAlpha reads exitNode as an IP address or else as a stable node ID, never as a name.
const EXIT_NODE_IN_FILE: FlagCondition = {
  test: (value) => value === "" || /^[0-9.]+$/.test(value) || /^[0-9A-Fa-f:.]+$/.test(value),
  otherwise: "the config file takes an exit node only as an IP address",
};

/** Every flag `tailscale up` accepts on Linux (cmd/tailscale/cli/up.go, v1.102.3). */
export const UP_FLAGS: readonly UpFlag[] = [
  { name: "accept-routes", kind: "bool", target: config("acceptRoutes", isTrue) },
  { name: "accept-dns", kind: "bool", target: setting("TS_ACCEPT_DNS") },
  { name: "advertise-exit-node", kind: "bool", target: config("AdvertiseExitNode", isTrue) },
  { name: "advertise-routes", kind: "string", target: setting("TS_ROUTES") },
  { name: "advertise-tags", kind: "string", target: CLI_ONLY },
  { name: "advertise-connector", kind: "bool", target: config("AppConnector", (value) => ({ Advertise: isTrue(value) })) },
  { name: "exit-node", kind: "string", target: { kind: "config", field: "exitNode", onlyIf: EXIT_NODE_IN_FILE } },
  { name: "exit-node-allow-lan-access", kind: "bool", target: config("allowLANWhileUsingExitNode", isTrue) },
  { name: "hostname", kind: "string", target: setting("TS_HOSTNAME") },
  { name: "login-server", kind: "string", target: setting("TS_LOGIN_SERVER") },
  { name: "netfilter-mode", kind: "string", target: setting("TS_NETFILTER_MODE") },
  { name: "operator", kind: "string", target: config("OperatorUser") },
  { name: "report-posture", kind: "bool", target: config("PostureChecking", isTrue) },
  { name: "shields-up", kind: "bool", target: config("ShieldsUp", isTrue) },
  { name: "snat-subnet-routes", kind: "bool", target: config("DisableSNAT", inverted) },
  { name: "ssh", kind: "bool", target: config("RunSSHServer", isTrue) },
  { name: "stateful-filtering", kind: "bool", target: config("NoStatefulFiltering", inverted) },
  { name: "force-reauth", kind: "bool", target: CLI_ONLY },
  { name: "accept-risk", kind: "string", target: CLI_ONLY },
  { name: "client-id", kind: "string", target: CLI_ONLY },
  { name: "audience", kind: "string", target: CLI_ONLY },
  { name: "id-token", kind: "string", target: CLI_ONLY, secret: true },
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

/** A flag as given: its spec and its value ("true"/"false" for booleans). */
export interface GivenFlag {
  readonly flag: UpFlag;
  readonly value: string;
}

/** What is wrong with an argument (never showing a secret) and how to put it right. */
export interface FlagProblem {
  readonly problem: string;
  readonly fix: string;
}

/** The flags found, and the problems (secret values are found by findSecretParts). */
export interface UpFlagsParse {
  readonly flags: readonly GivenFlag[];
  readonly problems: readonly FlagProblem[];
}

// strconv.ParseBool, which Go's flag package uses.
const BOOL_WORDS: Readonly<Record<string, "true" | "false">> = { "1": "true", t: "true", T: "true", TRUE: "true", true: "true", True: "true", "0": "false", f: "false", F: "false", FALSE: "false", false: "false", False: "false" };
const MAX_WORD_SHOWN = 40;

/** True for a flag name that carries a secret, in any spelling: --authkey, -AUTH_KEY, --client-secret, --id-token ... */
export function isSecretFlagName(name: string): boolean {
  return /authkey|secret|token|password|passwd/.test(name.toLowerCase().replace(/[-_]/g, ""));
}

const MIN_KEY_LENGTH = 10;

/** True for a word that looks like a key or token rather than a flag value a person would type. */
export function looksLikeKey(word: string): boolean {
  return /^[A-Za-z0-9_+/=-]{20,}$/.test(word) || /\b(?:ts|hs)key-/.test(word);
}

/** A secret among argument words: the value after `=` of a key flag, or a whole word (a key flag's separate value, or a key-shaped word). */
export interface SecretPart {
  readonly index: number;
  readonly afterEquals: boolean;
}

/** A flag word split into name and value: `-name`, `--name`, with `=value` or not; undefined for other words. */
function splitFlagWord(word: string): { readonly name: string; readonly value: string | undefined } | undefined {
  // Plain string operations: a regex per word costs several microseconds under qjs.
  if (word.charCodeAt(0) !== 45) return undefined;
  const nameStart = word.charCodeAt(1) === 45 ? 2 : 1;
  const first = word.charCodeAt(nameStart);
  if (Number.isNaN(first) || first === 45 || first === 61) return undefined;
  const equals = word.indexOf("=", nameStart);
  return equals < 0 ? { name: word.slice(nameStart), value: undefined } : { name: word.slice(nameStart, equals), value: word.slice(equals + 1) };
}

// Words worth a closer look for secrets; a text without any of these has only key-shaped words to check.
const SECRET_HINT = /auth|secret|token|passw/i;

/** Where the secrets are among argument words, whatever the flags' spelling. Linear in the number of words. */
export function findSecretParts(words: readonly string[]): SecretPart[] {
  const parts: SecretPart[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] ?? "";
    const flag = splitFlagWord(word);
    if (flag === undefined) {
      if (word.length >= MIN_KEY_LENGTH && looksLikeKey(word)) parts.push({ index, afterEquals: false });
      continue;
    }
    if (!SECRET_HINT.test(flag.name) || (FLAGS_BY_NAME.get(flag.name)?.secret !== true && !isSecretFlagName(flag.name))) continue;
    if (flag.value !== undefined && flag.value !== "") parts.push({ index, afterEquals: true });
    // `--authkey KEY`, or `--authkey= KEY` (the key after a stray blank or quote): the next word.
    else if (index + 1 < words.length) parts.push({ index: index + 1, afterEquals: false });
  }
  return parts;
}

/** The secret text of a part: the word, or what follows its first `=`. */
export function secretOfPart(words: readonly string[], part: SecretPart): string {
  const word = words[part.index] ?? "";
  return part.afterEquals ? word.slice(word.indexOf("=") + 1) : word;
}

/** Parses `tailscale up` arguments the way Go's flag package would (linear in their number). */
export function parseUpFlags(args: readonly string[]): UpFlagsParse {
  const flags: GivenFlag[] = [];
  const problems: FlagProblem[] = [];
  const problem = (text: string, fix = FLAGS_FIX): void => void problems.push({ problem: text, fix });
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    const split = splitFlagWord(arg);
    if (split === undefined) {
      problem(`${describeWord(arg)} is not a flag (tailscale up takes no other arguments)`);
      continue;
    }
    const name = split.name;
    let value = split.value;
    const flag = FLAGS_BY_NAME.get(name);
    const secret = flag === undefined ? isSecretFlagName(name) : flag.secret === true;
    // A value of its own word: for every flag but a boolean (an unknown flag's too, when it may be a secret's).
    if (value === undefined && (flag === undefined ? secret && index + 1 < args.length : flag.kind !== "bool")) {
      index += 1;
      value = args[index];
    }
    // A quoted "name" may run on into other words (`'--authkey KEY'`): only its first word is shown.
    const shownName = clipText(name.split(/\s/, 1)[0] ?? "", MAX_WORD_SHOWN);
    if (flag === undefined) {
      const lower = FLAGS_BY_NAME.get(name.toLowerCase());
      if (secret) problem(`--${shownName} is not a flag of tailscale up, and a key does not belong in the extra arguments`, KEY_FIX);
      else problem(`--${shownName} is not a flag of tailscale up${lower === undefined ? "" : ` (flags are lower case: --${lower.name})`}`);
      continue;
    }
    if (value === undefined) {
      if (flag.kind !== "bool") {
        problem(`--${flag.name} needs a value`, `write --${flag.name}=VALUE`);
        continue;
      }
      value = "true";
    }
    if (flag.kind === "bool") {
      const word = BOOL_WORDS[value];
      if (word === undefined) {
        problem(`--${flag.name} takes true or false`, `write --${flag.name} or --${flag.name}=false`);
        continue;
      }
      value = word;
    }
    flags.push({ flag, value });
  }
  return { flags, problems };
}

function describeWord(word: string): string {
  if (word === "") return "an empty word";
  return looksLikeKey(word) ? "a word that looks like a key (not shown)" : clipText(word, MAX_WORD_SHOWN);
}

/** A flag as it takes effect: on `tailscale up`'s command line, and in the config file when it has a field there. */
export interface UpPreference {
  readonly name: string;
  readonly value: string;
  /** The ipn.ConfigVAlpha field and its JSON value; undefined when only `tailscale up` can apply the flag. */
  readonly configField: { readonly name: string; readonly value: unknown } | undefined;
  /** Why the config file cannot carry it (when `configField` is undefined). */
  readonly cliOnlyReason?: string;
}

/** The preference a config-file or CLI-only flag stands for; undefined for the other kinds. */
export function toUpPreference(given: GivenFlag): UpPreference | undefined {
  const { flag, value } = given;
  const target = flag.target;
  if (target.kind === "cli-only") return { name: flag.name, value, configField: undefined, cliOnlyReason: `--${flag.name} has no config-file equivalent` };
  if (target.kind !== "config") return undefined;
  if (target.onlyIf !== undefined && !target.onlyIf.test(value)) return { name: flag.name, value, configField: undefined, cliOnlyReason: `--${flag.name}=${clipText(value, MAX_WORD_SHOWN)}: ${target.onlyIf.otherwise}` };
  return { name: flag.name, value, configField: { name: target.field, value: target.toJson === undefined ? value : target.toJson(value) } };
}

/** The preference as `tailscale up` takes it on its command line. */
export function formatUpPreference(preference: UpPreference): string {
  return `--${preference.name}=${preference.value}`;
}

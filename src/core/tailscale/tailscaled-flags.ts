// The flags of tailscaled v1.102.3 users put in TS_TAILSCALED_EXTRA_ARGS, the feature each needs, and
// the ones the supervisor sets itself. tailscaled exits at once on a flag it does not define ("flag
// provided but not defined": its build left the feature out), which would be a crash loop.
import { clipText } from "../text/clip.ts";
import { describeStrayWord, looksLikeKey, splitFlagWord } from "./flag-words.ts";

/** One flag of tailscaled (cmd/tailscaled/tailscaled.go, proxy.go, syspolicy.go, feature/syslog). */
export interface TailscaledFlag {
  readonly name: string;
  /** Booleans take no separate value word (Go's flag package). */
  readonly kind: "bool" | "value";
  /** The feature whose build defines it (featuretags). */
  readonly feature?: string;
  /** Set by the supervisor itself, or not for a container: refused with the reason and the fix. */
  readonly refused?: { readonly why: string; readonly fix: string };
}

const owned = (variable: string): NonNullable<TailscaledFlag["refused"]> => ({ why: "the supervisor sets it itself", fix: `set ${variable} instead` });

/** Every flag tailscaled defines on Linux, when its feature is built in. */
export const TAILSCALED_FLAGS: readonly TailscaledFlag[] = [
  { name: "verbose", kind: "value" },
  { name: "no-logs-no-support", kind: "bool" },
  { name: "debug", kind: "value", feature: "debug" },
  { name: "bird-socket", kind: "value", feature: "bird" },
  { name: "encrypt-state", kind: "bool", feature: "tpm" },
  { name: "hardware-attestation", kind: "bool", feature: "tpm" },
  { name: "socks5-server", kind: "value", feature: "outboundproxy" },
  { name: "outbound-http-proxy-listen", kind: "value", feature: "outboundproxy" },
  { name: "syspolicy-file", kind: "value", feature: "syspolicy" },
  { name: "syslog", kind: "bool", feature: "syslog" },
  { name: "tun", kind: "value", refused: owned("TS_USERSPACE") },
  { name: "port", kind: "value", refused: owned("TS_PORT") },
  { name: "statedir", kind: "value", refused: owned("TS_STATE_DIR") },
  { name: "state", kind: "value", refused: owned("TS_STATE_DIR") },
  { name: "socket", kind: "value", refused: owned("TS_SOCKET") },
  { name: "config", kind: "value", refused: { why: "the supervisor writes tailscaled's config file itself", fix: "set the variables, or put tailscale up flags in TS_EXTRA_ARGS" } },
  { name: "version", kind: "bool", refused: { why: "tailscaled would print its version and exit", fix: "remove it; docker run IMAGE version prints it" } },
  { name: "cleanup", kind: "bool", refused: { why: "tailscaled would clean up and exit", fix: "remove it" } },
];

const FLAGS_BY_NAME = new Map(TAILSCALED_FLAGS.map((flag) => [flag.name, flag]));
const MAX_WORD_SHOWN = 40;

/** The flags found and the problems, each with its fix (secret values never quoted). */
export interface TailscaledFlagsParse {
  readonly flags: readonly TailscaledFlag[];
  readonly problems: ReadonlyArray<{ readonly problem: string; readonly fix: string }>;
}

/** Parses tailscaled arguments as Go's flag package does. */
export function parseTailscaledFlags(args: readonly string[]): TailscaledFlagsParse {
  const flags: TailscaledFlag[] = [];
  const problems: Array<{ problem: string; fix: string }> = [];
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index] ?? "";
    const split = splitFlagWord(word);
    if (split === undefined) {
      const shown = describeStrayWord(word);
      problems.push({ problem: `${shown} is not a flag (tailscaled takes no other arguments and would exit)`, fix: "use flags of tailscaled only (tailscaled --help)" });
      continue;
    }
    const flag = FLAGS_BY_NAME.get(split.name);
    if (flag === undefined) {
      problems.push({ problem: `--${clipText(split.name, MAX_WORD_SHOWN)} is not a flag of tailscaled v1.102.3 (it would exit: "flag provided but not defined")`, fix: "remove it, or see tailscaled --help" });
      continue;
    }
    // A value of its own word, unless given with `=`.
    if (flag.kind === "value" && split.value === undefined) {
      index += 1;
      if (index >= args.length) problems.push({ problem: `--${flag.name} needs a value`, fix: `write --${flag.name}=VALUE` });
    }
    if (flag.refused !== undefined) problems.push({ problem: `--${flag.name} cannot be given here: ${flag.refused.why}`, fix: flag.refused.fix });
    else flags.push(flag);
  }
  return { flags, problems };
}

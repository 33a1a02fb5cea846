// Parsing `tailscale up` arguments the way Go's flag package does, with problems that never show a secret.
import { clipText } from "../text/clip.ts";
import { describeStrayWord, isSecretFlagName, looksLikeKey, splitFlagWord } from "./flag-words.ts";
import { findUpFlag, KEY_FIX, type GivenFlag } from "./up-flags.ts";

const FLAGS_FIX = "use flags of `tailscale up` only (tailscale up --help), booleans as --flag or --flag=false";

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

/** Parses `tailscale up` arguments the way Go's flag package would (linear in their number). */
export function parseUpFlags(args: readonly string[]): UpFlagsParse {
  const flags: GivenFlag[] = [];
  const problems: FlagProblem[] = [];
  const problem = (text: string, fix = FLAGS_FIX): void => void problems.push({ problem: text, fix });
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    const split = splitFlagWord(arg);
    if (split === undefined) {
      problem(`${describeStrayWord(arg)} is not a flag (tailscale up takes no other arguments)`);
      continue;
    }
    const name = split.name;
    let value = split.value;
    const flag = findUpFlag(name);
    const secret = flag === undefined ? isSecretFlagName(name) : flag.secret === true;
    // A value of its own word: for every flag but a boolean (an unknown flag's too, when it may be a secret's).
    if (value === undefined && (flag === undefined ? secret && index + 1 < args.length : flag.kind !== "bool")) {
      index += 1;
      value = args[index];
    }
    // A quoted "name" may run on into other words (`'--authkey KEY'`): only its first word is shown.
    const shownName = clipText(name.split(/\s/, 1)[0] ?? "", MAX_WORD_SHOWN);
    if (flag === undefined) {
      const lower = findUpFlag(name.toLowerCase());
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



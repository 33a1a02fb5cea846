// Parsers for single env values: each returns the typed value or the problems with their fixes.
import { describeDuration, describeDurationIn, readDuration } from "../../text/duration.ts";
import { splitShellWords } from "./shell-split.ts";

/** What was wrong with a value and how to put it right. */
export interface ValueProblem {
  readonly problem: string;
  readonly fix: string;
}

/** A parsed value or every problem found in it. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly ValueProblem[] };

/** Parses one raw env string. `name` is the variable as the user wrote it, for fix texts. */
export type ValueParser<T> = (raw: string, name: string) => Parsed<T>;

export function accept<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function reject<T>(problem: string, fix: string): Parsed<T> {
  return { ok: false, problems: [{ problem, fix }] };
}

/** Words a boolean takes (compared in lower case, surrounding white space ignored); the README says the same. */
export const TRUE_WORDS: readonly string[] = ["true", "1"];
export const FALSE_WORDS: readonly string[] = ["false", "0"];

/** Strict boolean: true/false/1/0 (any case); anything else is an error, never a silent default. */
export const parseBoolean: ValueParser<boolean> = (raw, name) => {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return accept(true);
  if (FALSE_WORDS.includes(word)) return accept(false);
  return reject("is not a boolean", `set ${name} to true or false`);
};

/** A boolean (as "true"/"false", spelled as parseBoolean takes it) or one more word such as `auto`. */
export function parseBooleanOr<const W extends string>(other: W): ValueParser<"true" | "false" | W> {
  return (raw, name) => {
    const word = raw.trim().toLowerCase();
    if (word === other) return accept(other);
    if (TRUE_WORDS.includes(word)) return accept("true");
    if (FALSE_WORDS.includes(word)) return accept("false");
    return reject(`is not true, false or ${other}`, `set ${name} to true, false or ${other}`);
  };
}

/** One of a fixed set of words (case-insensitive, stored lower case). */
export function parseChoice<const T extends string>(choices: readonly T[]): ValueParser<T> {
  return (raw, name) => {
    const word = raw.trim().toLowerCase();
    const match = choices.find((choice) => choice === word);
    return match === undefined ? reject(`is not one of ${choices.join(", ")}`, `set ${name} to ${joinOr(choices)}`) : accept(match);
  };
}

/** UDP port 0-65535 (0 lets tailscaled pick one). */
export const parsePort: ValueParser<number> = (raw, name) => {
  const text = raw.trim();
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65535) {
    return reject("is not a port number", `set ${name} to a number from 0 to 65535 (41641 is Tailscale's usual port)`);
  }
  return accept(port);
};

/** An absolute path. */
export const parseAbsolutePath: ValueParser<string> = (raw, name) => {
  const path = raw.trim();
  if (!path.startsWith("/")) return reject("is not an absolute path", `set ${name} to a path starting with /`);
  return accept(path);
};

// A DNS name as tailscale's --hostname accepts it: labels of letters, digits and '-'.
const HOSTNAME_PATTERN = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** A host name for the tailnet. */
export const parseHostname: ValueParser<string> = (raw, name) => {
  const hostname = raw.trim();
  if (HOSTNAME_PATTERN.test(hostname)) return accept(hostname);
  const suggestion = hostname.toLowerCase().replace(/[^a-z0-9.-]+/g, "-").replace(/^-+|-+$/g, "");
  // Suggested only whole, never cut: a cut could split a secret the value holds (a key pasted into
  // the wrong variable), and the half would escape redaction.
  const example = suggestion === "" || suggestion.length > 63 ? "mikrotik-ts" : suggestion;
  return reject("is not a valid host name", `use letters, digits and '-' (at most 63 per label), e.g. ${name}=${example}`);
};

/** Arguments split like a shell would; each must be a flag or a flag's value. */
export const parseArgs: ValueParser<readonly string[]> = (raw, name) => {
  const split = splitShellWords(raw);
  if (split.problem !== undefined) return reject(`cannot be split into arguments: it ${split.problem}`, `check the quotes in ${name}`);
  return accept(split.words.map((word) => word.text));
};

function joinOr(words: readonly string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/**
 * A duration as text/duration.ts reads it (`300` seconds, `90s`, `2m`, `1h`, `1m30s`), in milliseconds,
 * from `minMs` to `maxMs`. Out of range, the range is given in the unit the user wrote (`60m`, `3600`).
 */
export function parseDuration(minMs: number, maxMs: number): ValueParser<number> {
  return (raw, name) => {
    const written = readDuration(raw);
    if (written === undefined) return reject("is not a duration", `write seconds (${name}=30) or with units h, m, s (${name}=90s, 2m, 1h, 1m30s), from ${describeDuration(minMs)} to ${describeDuration(maxMs)}`);
    if (written.ms >= minMs && written.ms <= maxMs) return accept(written.ms);
    const range = `from ${describeDurationIn(minMs, written.unit)} to ${describeDurationIn(maxMs, written.unit)}`;
    return reject("is out of range", written.unit === "seconds" ? `set ${name} to seconds ${range}` : `set ${name} to a duration ${range}`);
  };
}

/** A whole number within bounds. */
export function parseCount(min: number, max: number): ValueParser<number> {
  return (raw, name) => {
    const text = raw.trim();
    const count = Number(text);
    if (!/^\d+$/.test(text) || count < min || count > max) return reject("is not a whole number in range", `set ${name} to a number from ${min} to ${max}`);
    return accept(count);
  };
}

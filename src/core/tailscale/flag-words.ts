// Argument words that are flags (`-name`, `--name=value`) and where secrets are among them, in any spelling.
import { clipText } from "../text/clip.ts";
import { findUpFlag } from "./up-flags.ts";

/** A flag word split into name and value: `-name`, `--name`, with `=value` or not; undefined for other words. */
export function splitFlagWord(word: string): { readonly name: string; readonly value: string | undefined } | undefined {
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

/** True for a flag name that carries a secret, in any spelling: --authkey, -AUTH_KEY, --client-secret, --id-token ... */
export function isSecretFlagName(name: string): boolean {
  return /authkey|secret|token|password|passwd/.test(name.toLowerCase().replace(/[-_]/g, ""));
}

const MIN_KEY_LENGTH = 10;

/** True for a word that looks like a key or token rather than a flag value a person would type. */
export function looksLikeKey(word: string): boolean {
  return /^[A-Za-z0-9_+/=-]{20,}$/.test(word) || /\b(?:ts|hs)key-/.test(word);
}

/** How much of a stray word a message quotes. */
const MAX_WORD_SHOWN = 40;

/**
 * A word that is no flag, as a message quotes it: an empty one named, a key-shaped one not shown, else
 * its start up to its first `=` (a quoting mistake can join `--some-token=VALUE` into one word, and
 * a value after `=` may be a secret no pattern knows), at most 40 characters.
 */
export function describeStrayWord(word: string): string {
  if (word === "") return "an empty word";
  if (looksLikeKey(word)) return "a word that looks like a key (not shown)";
  const equals = word.indexOf("=");
  return equals < 0 ? clipText(word, MAX_WORD_SHOWN) : `${clipText(word.slice(0, equals + 1), MAX_WORD_SHOWN)}...(${word.length} characters)`;
}

/** A secret among argument words: the value after `=` of a key flag, or a whole word (a key flag's separate value, or a key-shaped word). */
export interface SecretPart {
  readonly index: number;
  readonly afterEquals: boolean;
}

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
    if (!SECRET_HINT.test(flag.name) || (findUpFlag(flag.name)?.secret !== true && !isSecretFlagName(flag.name))) continue;
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


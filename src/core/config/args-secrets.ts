// Secrets inside argument strings (TS_EXTRA_ARGS, TS_TAILSCALED_EXTRA_ARGS): found in any spelling,
// even when the quotes are broken, so they can be registered with the redactor and never shown.
import { REDACTED } from "../log/redact.ts";
import { findSecretParts, secretOfPart } from "../tailscale/up-flags.ts";
import { splitShellWords } from "./shell-split.ts";

/** The secret values of an argument string (key flags' values, key-shaped words). */
export function findArgsSecrets(raw: string): string[] {
  const { words } = splitShellWords(raw);
  const texts = words.map((word) => word.text);
  const secrets: string[] = [];
  // Both as the shell reads them and as written (quotes and all), since either may be printed.
  for (const part of findSecretParts(texts)) secrets.push(secretOfPart(texts, part), sliceSecret(raw, words[part.index], part.afterEquals));
  return secrets;
}

/** The argument string as written, each secret replaced by [REDACTED]. */
export function redactArgsText(raw: string): string {
  const { words } = splitShellWords(raw);
  const parts = findSecretParts(words.map((word) => word.text));
  if (parts.length === 0) return raw;
  let result = "";
  let at = 0;
  for (const { index, afterEquals } of parts) {
    const word = words[index];
    if (word === undefined) continue;
    const start = afterEquals ? raw.indexOf("=", word.start) + 1 : word.start;
    if (start < at) continue;
    result += `${raw.slice(at, start)}${REDACTED}`;
    at = word.end;
  }
  return result + raw.slice(at);
}

function sliceSecret(raw: string, word: { readonly start: number; readonly end: number } | undefined, afterEquals: boolean): string {
  if (word === undefined) return "";
  return raw.slice(afterEquals ? raw.indexOf("=", word.start) + 1 : word.start, word.end);
}

// Secrets inside argument strings (TS_EXTRA_ARGS, TS_TAILSCALED_EXTRA_ARGS): key flags' values in any
// spelling and the userinfo of URLs (--login-server=https://u:p@host). Found twice, to be sure even
// when the quotes are broken: in the words as a shell reads them, and in the text split at every
// quote and blank; both as read and as written.
import { createRedactor } from "../../log/redact.ts";
import { findSecretParts, secretOfPart } from "../../tailscale/flag-words.ts";
import { findUserinfoInWord } from "../../text/url-userinfo.ts";
import { splitShellWords } from "../values/shell-split.ts";

// Quotes and backslashes as separators: a stray quote cannot hide `--auth-key SECRET` inside a word.
// (match, not split: qjs splits by a regex position by position, which is slow on 128 KiB.)
const QUOTE_BLIND_TOKEN = /[^\s'"`\\]+/g;

/** The secret values of an argument string. */
export function findArgsSecrets(raw: string): string[] {
  const { words } = splitShellWords(raw);
  const secrets: string[] = [];
  const read = words.map((word) => word.text);
  // Without quotes or backslashes, the words as written and quote-blind are the words as read.
  const quoted = /['"`\\]/.test(raw);
  const written = quoted ? words.map((word) => raw.slice(word.start, word.end)) : [];
  const blind = quoted ? (raw.match(QUOTE_BLIND_TOKEN) ?? []) : [];
  for (const list of [read, written, blind]) {
    for (const part of findSecretParts(list)) secrets.push(secretOfPart(list, part));
  }
  for (const list of [read, written]) {
    for (const word of list) {
      const userinfo = word.includes("://") ? findUserinfoInWord(word) : undefined;
      if (userinfo !== undefined) secrets.push(word.slice(userinfo.start, userinfo.end));
    }
  }
  return secrets;
}

/** The argument string as written, each secret replaced by [REDACTED]. */
export function redactArgsText(raw: string): string {
  const redactor = createRedactor();
  for (const secret of findArgsSecrets(raw)) redactor.addSecret(secret);
  return redactor.redact(raw);
}

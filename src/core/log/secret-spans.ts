// Where the secrets are in a text: registered values, the shapes of Tailscale/Headscale keys, key
// words with a value, URL passwords. As ranges of the raw text, so that text can be redacted whole
// and cut only between secrets (log/redact-cut.ts).
import { findUserinfoSpans } from "../text/url-userinfo.ts";

/** Text that replaces a secret in any output. */
export const REDACTED = "[REDACTED]";

/**
 * One secret in a text: `start`..`end` is replaced; `from` is where what identifies it starts (a
 * `tskey-auth-` prefix, `--authkey=`, `https://`): a cut between `from` and `end` would leave a piece
 * nothing recognises, so no cut falls there.
 */
export interface SecretSpan {
  readonly from: number;
  readonly start: number;
  readonly end: number;
}

// Tailscale keys carry their kind in the prefix (tskey-auth-, tskey-client-, tskey-api-); keep the
// kind so a diagnostic can still say which kind of key was used. Headscale: hskey-auth-/hskey-api-.
// Not Headscale's login URL (/register/hskey-authreq-...): the user must see it to log in. No `\b`
// in front: `%3Dtskey-auth-...` (URL-encoded) and `_tskey-...` are keys too.
const KEY_PATTERN = /((?:ts|hs)key-(?!authreq-)[a-z]+-)[A-Za-z0-9_-]+/g;
// A key word and its value, in any spelling, quoting and separator: `--authkey=K`, `-AUTH_KEY=K`,
// `authkey=K`, `"AuthKey": "K"` (what TS_DEBUG_REGISTER makes tailscaled print), `\"AuthKey\":\"K\"`
// (quotes escaped once or more, as JSON and the plain log's escaping leave them),
// `auth_key: 'K'`, `authkey%3DK`, `--client-secret=K`, `--id-token=K`. Headscale's plain hex keys have
// no prefix of their own: after such a word they are caught here. Not a `file:` reference, and not
// a path's last part (`cannot read /run/secrets/authkey: Permission denied`).
const KEY_WORD_PATTERN = /((?<![/.])(?:auth[-_]?key|client[-_]?secret|id[-_]?token)(?:\\*["'])?[ \t]*(?:[=:]|%3[dDaA])[ \t]*(?:\\*["'])?)(?!file:)(?!\[REDACTED\])[^\s"'\\]+/gi;
// A key flag with the key as the next word (`--auth-key K`): only a word that looks like a key (8+
// characters, a digit), so that prose about the flag ("--authkey cannot be ...") stays readable.
const KEY_FLAG_WORD_PATTERN = /(-{1,2}(?:auth[-_]?key|client[-_]?secret|id[-_]?token)\s+(?:\\*["'])?)(?!file:)(?!\[REDACTED\])(?=[^\s"'\\]*\d)[^\s"'\\]{8,}/gi;
// How far before a URL's userinfo its scheme may start (`https://`, at most 32 characters of scheme).
const MAX_SCHEME_REACH = 35;

/** Registered secrets (their written, JSON and escaped forms), longest first; `index`: by first characters. */
export interface KnownSecrets {
  readonly ordered: readonly string[];
  readonly index: ReadonlyMap<string, readonly string[]> | undefined;
}

/** Shortest secret worth registering; also the length of the index's keys. */
export const MIN_SECRET_LENGTH = 4;
// Beyond this many secrets, lookups go through an index by their first characters (linear in the text).
const MAX_SECRETS_BY_SCAN = 16;

/** Prepares registered secret forms for searching. */
export function prepareKnownSecrets(forms: Iterable<string>): KnownSecrets {
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length <= MAX_SECRETS_BY_SCAN) return { ordered, index: undefined };
  const index = new Map<string, string[]>();
  for (const form of ordered) {
    const prefix = form.slice(0, MIN_SECRET_LENGTH);
    const list = index.get(prefix);
    if (list === undefined) index.set(prefix, [form]);
    else list.push(form);
  }
  return { ordered, index };
}

/** Every secret in `text`, sorted by position, overlapping ones merged. Each pattern only where its fixed part occurs. */
export function findSecretSpans(text: string, known: KnownSecrets): SecretSpan[] {
  const spans: SecretSpan[] = [];
  addKnown(text, known, spans);
  if (text.includes("key-")) addMatches(KEY_PATTERN, text, spans);
  if (hasKeyWordHint(text)) {
    addMatches(KEY_WORD_PATTERN, text, spans);
    addMatches(KEY_FLAG_WORD_PATTERN, text, spans);
  }
  // The user:password@ part of any URL (text/url-userinfo.ts: linear; a regex here was quadratic).
  if (text.includes("://")) for (const { start, end } of findUserinfoSpans(text)) spans.push({ from: Math.max(0, start - MAX_SCHEME_REACH), start, end });
  return mergeSpans(spans);
}

/** The text with each span replaced by REDACTED. */
export function replaceSpans(text: string, spans: readonly SecretSpan[]): string {
  if (spans.length === 0) return text;
  let result = "";
  let copied = 0;
  for (const span of spans) {
    result += text.slice(copied, span.start) + REDACTED;
    copied = span.end;
  }
  return result + text.slice(copied);
}

/** Whether the text may hold a key word (`auth`, `secret`, `token` in any case): string methods, not a case-insensitive search (qjs). */
function hasKeyWordHint(text: string): boolean {
  const lower = text.toLowerCase();
  return lower.includes("auth") || lower.includes("secret") || lower.includes("token");
}

function addMatches(pattern: RegExp, text: string, spans: SecretSpan[]): void {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const start = match.index + (match[1]?.length ?? 0);
    spans.push({ from: match.index, start, end: match.index + match[0].length });
  }
}

function addKnown(text: string, known: KnownSecrets, spans: SecretSpan[]): void {
  if (known.ordered.length === 0) return;
  if (known.index === undefined) {
    for (const form of known.ordered) {
      for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + form.length)) spans.push({ from: at, start: at, end: at + form.length });
    }
    return;
  }
  // Longest known secret at each position, left to right: one Map lookup per character.
  for (let at = 0; at + MIN_SECRET_LENGTH <= text.length; ) {
    const found = known.index.get(text.slice(at, at + MIN_SECRET_LENGTH))?.find((form) => text.startsWith(form, at));
    if (found === undefined) {
      at += 1;
      continue;
    }
    spans.push({ from: at, start: at, end: at + found.length });
    at += found.length;
  }
}

/** Sorted by `start`; spans that overlap become one (its `from` the earliest). */
function mergeSpans(spans: SecretSpan[]): SecretSpan[] {
  if (spans.length <= 1) return spans;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretSpan[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start < last.end) {
      merged[merged.length - 1] = { from: Math.min(last.from, span.from), start: last.start, end: Math.max(last.end, span.end) };
    } else merged.push(span);
  }
  return merged;
}

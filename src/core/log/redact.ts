// Secret redaction applied to every byte the supervisor writes; a JSON line stays valid JSON.
import type { OutputPort } from "../host.ts";
import { escapeToAscii } from "../text/ascii.ts";
import { replaceUserinfo } from "../text/url-userinfo.ts";

/** Text that replaces a secret in any output. */
export const REDACTED = "[REDACTED]";

// Tailscale keys carry their kind in the prefix (tskey-auth-, tskey-client-, tskey-api-); keep the
// kind so a diagnostic can still say which kind of key was used. Headscale: hskey-auth-/hskey-api-.
// Not Headscale's login URL (/register/hskey-authreq-...): the user must see it to log in.
const KEY_PATTERN = /\b((?:ts|hs)key-(?!authreq-)[a-z]+-)[A-Za-z0-9_-]+/g;
// A key on a command line, in any spelling and quoting: `--authkey=K`, `-AUTH_KEY=K`, `--auth-key="K"`
// (also with the quote JSON-escaped), `--client-secret=K`, `--id-token=K`. Not a `file:` reference.
const KEY_FLAG_PATTERN = /(-{1,2}(?:auth[-_]?key|client[-_]?secret|id[-_]?token)=(?:\\?["'])?)(?!file:)(?!\[REDACTED\])[^\s"'\\]+/gi;
// The same with the key as the next word (`--auth-key K`): only a word that looks like a key (8+
// characters, a digit), so that prose about the flag ("--authkey cannot be ...") stays readable.
const KEY_FLAG_WORD_PATTERN = /(-{1,2}(?:auth[-_]?key|client[-_]?secret|id[-_]?token)\s+(?:\\?["'])?)(?!file:)(?!\[REDACTED\])(?=[^\s"'\\]*\d)[^\s"'\\]{8,}/gi;
const MIN_SECRET_LENGTH = 4;
// Beyond this many secrets, lookups go through an index by their first characters (linear in the text).
const MAX_SECRETS_BY_SCAN = 16;

/** Removes known secrets and anything shaped like a Tailscale/Headscale key or URL password from text. */
export interface Redactor {
  /** Registers a value that must never be printed (an auth key, the content of a key file). */
  addSecret(secret: string): void;
  redact(text: string): string;
}

/** Creates a redactor; it always knows the key shapes, and learns exact secrets as they are read. */
export function createRedactor(): Redactor {
  const forms = new Set<string>();
  let ordered: string[] | undefined;
  let index: Map<string, string[]> | undefined;
  const replaceKnown = (text: string): string => {
    if (forms.size === 0) return text;
    ordered ??= [...forms].sort((a, b) => b.length - a.length);
    if (ordered.length <= MAX_SECRETS_BY_SCAN) {
      let result = text;
      for (const form of ordered) if (result.includes(form)) result = result.split(form).join(REDACTED);
      return result;
    }
    index ??= indexByPrefix(ordered);
    return replaceIndexed(text, index);
  };
  const redactPlain = (text: string): string => {
    let result = replaceKnown(text);
    // Each pattern only where its fixed part occurs: most lines (tailscaled's) have none.
    if (result.includes("key-")) result = result.replace(KEY_PATTERN, `$1${REDACTED}`);
    if (hasFlagHint(result)) result = result.replace(KEY_FLAG_PATTERN, `$1${REDACTED}`).replace(KEY_FLAG_WORD_PATTERN, `$1${REDACTED}`);
    // The user:password@ part of any URL (text/url-userinfo.ts: linear; a regex here was quadratic).
    if (result.includes("://")) result = replaceUserinfo(result, REDACTED);
    return result;
  };
  return {
    addSecret(secret) {
      const trimmed = secret.trim();
      if (trimmed.length < MIN_SECRET_LENGTH || forms.has(trimmed)) return;
      // As written, as inside a JSON string, and as our ASCII escaping prints it.
      forms.add(trimmed);
      if (/[^\x20-\x7e]|["\\]/.test(trimmed)) {
        const json = JSON.stringify(trimmed).slice(1, -1);
        forms.add(json);
        forms.add(escapeToAscii(json));
      }
      ordered = undefined;
      index = undefined;
    },
    redact(text) {
      const result = redactPlain(text);
      if (result === text || !/(^|\n)\{/.test(text)) return result;
      // Replacing inside JSON text could cut an escape apart: redact JSON lines value by value instead.
      return text
        .split("\n")
        .map((line) => (line.startsWith("{") ? redactJsonLine(line, redactPlain) : redactPlain(line)))
        .join("\n");
    },
  };
}

/** Whether the text may hold a key flag (`-auth`, `-client`, `-id` in any case): string methods, not a case-insensitive search (qjs). */
function hasFlagHint(text: string): boolean {
  const lower = text.toLowerCase();
  return lower.includes("-auth") || lower.includes("-client") || lower.includes("-id");
}

function redactJsonLine(line: string, redactPlain: (text: string) => string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return redactPlain(line);
  }
  return escapeToAscii(JSON.stringify(redactValue(parsed, redactPlain)));
}

function redactValue(value: unknown, redactPlain: (text: string) => string): unknown {
  if (typeof value === "string") return redactPlain(value);
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, redactPlain));
  if (typeof value !== "object" || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[redactPlain(key)] = redactValue(item, redactPlain);
  return result;
}

function indexByPrefix(ordered: readonly string[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const form of ordered) {
    const prefix = form.slice(0, MIN_SECRET_LENGTH);
    const list = index.get(prefix);
    if (list === undefined) index.set(prefix, [form]);
    else list.push(form);
  }
  return index;
}

/** Longest known secret at each position, left to right: one Map lookup per character. */
function replaceIndexed(text: string, index: ReadonlyMap<string, readonly string[]>): string {
  let result = "";
  let copied = 0;
  for (let at = 0; at + MIN_SECRET_LENGTH <= text.length; ) {
    const found = index.get(text.slice(at, at + MIN_SECRET_LENGTH))?.find((form) => text.startsWith(form, at));
    if (found === undefined) {
      at += 1;
      continue;
    }
    result += text.slice(copied, at) + REDACTED;
    at += found.length;
    copied = at;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/** Wraps an output port so every write goes through the redactor. */
export function createRedactingOutput(output: OutputPort, redactor: Redactor): OutputPort {
  return {
    stdout: (text) => output.stdout(redactor.redact(text)),
    stderr: (text) => output.stderr(redactor.redact(text)),
  };
}

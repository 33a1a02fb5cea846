// Secret redaction: of every line where it enters (tailscaled's output, a command's output) and of
// every byte the supervisor writes; a JSON line stays valid JSON.
import type { OutputPort } from "../host.ts";
import { escapeToAscii } from "../text/ascii.ts";
import { findSecretSpans, MIN_SECRET_LENGTH, prepareKnownSecrets, REDACTED, replaceSpans, type KnownSecrets, type SecretSpan } from "./secret-spans.ts";

export { REDACTED, type SecretSpan } from "./secret-spans.ts";

// A JSON field name that holds a key (the same words as secret-spans.ts's KEY_WORD_PATTERN).
const KEY_WORD = /^-{0,2}(?:auth[-_]?key|client[-_]?secret|id[-_]?token)$/i;

/** Removes known secrets and anything shaped like a Tailscale/Headscale key, key word's value or URL password from text. */
export interface Redactor {
  /** Registers a value that must never be printed (an auth key, the content of a key file). */
  addSecret(secret: string): void;
  /** For output: plain text, or JSON lines redacted value by value (they stay valid JSON). */
  redact(text: string): string;
  /** Plain text (a line of tailscaled's, a command's output), every secret replaced. */
  redactText(text: string): string;
  /** The secrets of a plain text, as `redactText` replaces them. */
  findSpans(text: string): SecretSpan[];
  /** Length of the longest registered secret form (how far a cut must look ahead, log/redact-cut.ts). */
  longestSecret(): number;
}

/** Creates a redactor; it always knows the key shapes, and learns exact secrets as they are read. */
export function createRedactor(): Redactor {
  const forms = new Set<string>();
  let known: KnownSecrets | undefined;
  let longest = 0;
  const findSpans = (text: string): SecretSpan[] => findSecretSpans(text, (known ??= prepareKnownSecrets(forms)));
  const redactText = (text: string): string => replaceSpans(text, findSpans(text));
  const addForm = (form: string): void => {
    forms.add(form);
    longest = Math.max(longest, form.length);
  };
  return {
    addSecret(secret) {
      const trimmed = secret.trim();
      if (trimmed.length < MIN_SECRET_LENGTH || forms.has(trimmed)) return;
      // As written, as inside a JSON string, and as our ASCII escaping prints it.
      addForm(trimmed);
      if (/[^\x20-\x7e]|["\\]/.test(trimmed)) {
        const json = JSON.stringify(trimmed).slice(1, -1);
        addForm(json);
        addForm(escapeToAscii(json));
      }
      known = undefined;
    },
    redact(text) {
      const result = redactText(text);
      if (result === text || !/(^|\n)\{/.test(text)) return result;
      // Replacing inside JSON text could cut an escape apart: redact JSON lines value by value instead.
      return text
        .split("\n")
        .map((line) => (line.startsWith("{") ? redactJsonLine(line, redactText) : redactText(line)))
        .join("\n");
    },
    redactText,
    findSpans,
    longestSecret: () => longest,
  };
}

function redactJsonLine(line: string, redactText: (text: string) => string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return redactText(line);
  }
  return escapeToAscii(JSON.stringify(redactValue(parsed, redactText)));
}

function redactValue(value: unknown, redactText: (text: string) => string): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, redactText));
  if (typeof value !== "object" || value === null) return value;
  const result: Record<string, unknown> = {};
  // `"AuthKey": "K"` as JSON: the value of a key word is a secret (unless a `file:` reference).
  for (const [key, item] of Object.entries(value)) result[redactText(key)] = isKeyWord(key) && typeof item === "string" && item !== "" && !item.startsWith("file:") ? REDACTED : redactValue(item, redactText);
  return result;
}

function isKeyWord(key: string): boolean {
  return KEY_WORD.test(key);
}

/** Wraps an output port so every write goes through the redactor. */
export function createRedactingOutput(output: OutputPort, redactor: Redactor): OutputPort {
  return {
    stdout: (text) => output.stdout(redactor.redact(text)),
    stderr: (text) => output.stderr(redactor.redact(text)),
  };
}

// Secret redaction applied to every byte the supervisor writes.
import type { OutputPort } from "../host.ts";

/** Text that replaces a secret in any output. */
export const REDACTED = "[REDACTED]";

// Tailscale keys carry their kind in the prefix (tskey-auth-, tskey-client-, tskey-api-); keep the
// kind so a diagnostic can still say which kind of key was used. Headscale: hskey-auth-/hskey-api-.
// Not Headscale's login URL (/register/hskey-authreq-...): the user must see it to log in.
const KEY_PATTERN = /\b((?:ts|hs)key-(?!authreq-)[a-z]+-)[A-Za-z0-9_-]+/g;
// A key given on a command line: `--authkey=K`, `--auth-key K`.
const KEY_FLAG_PATTERN = /(--auth-?key[= ])(?!file:)(?!\[REDACTED\])[^\s"]+/g;
const MIN_SECRET_LENGTH = 4;

/** Removes known secrets and anything shaped like a Tailscale/Headscale key from text. */
export interface Redactor {
  /** Registers a value that must never be printed (an auth key, the content of a key file). */
  addSecret(secret: string): void;
  redact(text: string): string;
}

/** Creates a redactor; it always knows the key shapes, and learns exact secrets as they are read. */
export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  return {
    addSecret(secret) {
      const trimmed = secret.trim();
      if (trimmed.length < MIN_SECRET_LENGTH) return;
      secrets.add(trimmed);
      // The same secret as it would appear inside a JSON string.
      secrets.add(JSON.stringify(trimmed).slice(1, -1));
    },
    redact(text) {
      let result = text;
      for (const secret of secrets) result = result.split(secret).join(REDACTED);
      return result.replace(KEY_PATTERN, `$1${REDACTED}`).replace(KEY_FLAG_PATTERN, `$1${REDACTED}`);
    },
  };
}

/** Wraps an output port so every write goes through the redactor. */
export function createRedactingOutput(output: OutputPort, redactor: Redactor): OutputPort {
  return {
    stdout: (text) => output.stdout(redactor.redact(text)),
    stderr: (text) => output.stderr(redactor.redact(text)),
  };
}

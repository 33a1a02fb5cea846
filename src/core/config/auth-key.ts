// Auth keys: where the key comes from (inline or `file:/path`) and what kind of key it is.
import { createRedactor, REDACTED } from "../log/redact.ts";
import { accept, reject, type ValueParser } from "./value-parsers.ts";

/** Where the key is: written inline, or in a file read at start. */
export type AuthKeySource = { readonly kind: "inline"; readonly key: string } | { readonly kind: "file"; readonly path: string };

/** What a key is, judged from its prefix. */
export type AuthKeyKind = "auth-key" | "oauth-secret" | "api-token" | "other";

/** Parses the raw value; the key itself is never part of a problem text. */
export const parseAuthKeySource: ValueParser<AuthKeySource> = (raw, name) => {
  const text = raw.trim();
  if (text.startsWith("file:")) {
    const path = text.slice("file:".length);
    if (!path.startsWith("/")) return reject("file: must be followed by an absolute path", `write ${name}=file:/path/to/key`);
    return accept({ kind: "file", path });
  }
  if (/\s/.test(text)) return reject("contains white space", `set ${name} to the key alone, as shown by the admin console or headscale`);
  return accept({ kind: "inline", key: text });
};

/** Classifies a key: Tailscale auth key, OAuth client secret, API token, or other (e.g. Headscale). */
export function classifyAuthKey(key: string): AuthKeyKind {
  if (key.startsWith("tskey-client-")) return "oauth-secret";
  if (key.startsWith("tskey-api-")) return "api-token";
  if (key.startsWith("tskey-auth-") || key.startsWith("tskey-")) return "auth-key";
  return "other";
}

/** The key as it may be shown: its kind prefix, never its secret part. */
export function describeAuthKey(key: string): string {
  // The redactor keeps the kind prefix of a Tailscale/Headscale key; anything else goes whole.
  const shown = createRedactor().redact(key);
  return shown === key ? REDACTED : shown;
}

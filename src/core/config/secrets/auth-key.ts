// Auth keys: where the key comes from (inline or `file:/path`) and what kind of key it is.
import { REDACTED } from "../../log/redact.ts";
import { clipText } from "../../text/clip.ts";
import { accept, reject, type ValueParser } from "../values/value-parsers.ts";

/** Where the key is: written inline, or in a file read at start. */
export type AuthKeySource = { readonly kind: "inline"; readonly key: string } | { readonly kind: "file"; readonly path: string };

/** What a key is, judged from its prefix. */
export type AuthKeyKind = "auth-key" | "oauth-secret" | "api-token" | "other";

// Keys are printable ASCII (Tailscale: letters, digits, '-'; Headscale: hex); anything else is a copy-paste accident.
const KEY_CHARACTERS = /^[\x21-\x7e]+$/;
const MAX_PATH_SHOWN = 200;

/** Parses the raw value; the key itself is never part of a problem text. */
export const parseAuthKeySource: ValueParser<AuthKeySource> = (raw, name) => {
  const text = raw.trim();
  if (text.startsWith("file:")) {
    const path = text.slice("file:".length);
    if (!path.startsWith("/")) return reject("file: must be followed by an absolute path", `write ${name}=file:/path/to/key`);
    return accept({ kind: "file", path });
  }
  if (/\s/.test(text)) return reject("contains white space", `set ${name} to the key alone, as shown by the admin console or headscale`);
  if (!KEY_CHARACTERS.test(text)) return reject("contains characters a key never has (control or non-ASCII characters)", `set ${name} to the key alone, typed or pasted again`);
  return accept({ kind: "inline", key: text });
};

/** Checks a key read from a file; the problem never quotes the content. */
export function checkKeyText(key: string, path: string): string | undefined {
  if (key === "") return `the key file ${path} is empty`;
  if (/[\r\n]/.test(key)) return `the key file ${path} holds more than one line (the key must be its only line)`;
  if (/\s/.test(key)) return `the key file ${path} holds white space inside the key`;
  if (!KEY_CHARACTERS.test(key)) return `the key file ${path} holds characters a key never has (control or non-ASCII characters)`;
  return undefined;
}

/** Classifies a key: Tailscale auth key, OAuth client secret, API token, or other (e.g. Headscale). */
export function classifyAuthKey(key: string): AuthKeyKind {
  if (key.startsWith("tskey-client-")) return "oauth-secret";
  if (key.startsWith("tskey-api-")) return "api-token";
  if (key.startsWith("tskey-auth-") || key.startsWith("tskey-")) return "auth-key";
  return "other";
}

/** The key as it may be shown: its kind prefix (`tskey-auth-`), never any of the rest. */
export function describeAuthKey(key: string): string {
  const prefix = /^(?:ts|hs)key-[a-z]+-/.exec(key)?.[0];
  return prefix === undefined ? REDACTED : `${prefix}${REDACTED}`;
}

/**
 * A raw TS_AUTHKEY value as it may be shown: `file:/path` as is when the path is absolute, a key by
 * its kind only. Anything else after `file:` may be the key itself (`TS_AUTHKEY=file:<key>`, a
 * plausible slip): never shown.
 */
export function displayAuthKeyValue(raw: string): string {
  const text = raw.trim();
  if (!text.startsWith("file:")) return describeAuthKey(text);
  return isKeyFilePath(text.slice("file:".length)) ? clipText(text, MAX_PATH_SHOWN) : `file:${REDACTED}`;
}

/** The secrets a raw TS_AUTHKEY value holds: the key, or what follows `file:` when that is no absolute path. */
export function findAuthKeySecrets(raw: string): string[] {
  const text = raw.trim();
  if (!text.startsWith("file:")) return [text];
  const rest = text.slice("file:".length);
  return isKeyFilePath(rest) ? [] : [text, rest.trim()];
}

/** An absolute path (what `file:` must be followed by). */
function isKeyFilePath(path: string): boolean {
  return path.startsWith("/");
}

// The control server URL (Headscale or Tailscale): an http(s) URL, checked without a URL global.
import { REDACTED } from "../../log/redact.ts";
import { clipText } from "../../text/clip.ts";
import { accept, reject, type ValueParser } from "./value-parsers.ts";

// scheme://host[:port][/path] — host is a DNS name, IPv4 or [IPv6].
const URL_PATTERN = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?(\/[^\s?#]*)?$/i;
const SCHEME_PATTERN = /^([A-Za-z][A-Za-z0-9+.-]{0,31}):\/\//;
// user[:password]@ right after the scheme, up to the last @ (whatever it holds: it is secret).
const USERINFO_PATTERN = /^([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)[\s\S]*@/;
const MAX_SHOWN = 100;

/** A raw value as it may be shown: any user:password@ replaced. */
export function displayLoginServer(raw: string): string {
  return raw.trim().replace(USERINFO_PATTERN, `$1${REDACTED}@`);
}

/** Accepts `http(s)://host[:port][/path]`, returns it without a trailing slash. */
export const parseLoginServer: ValueParser<string> = (raw, name) => {
  const text = raw.trim();
  const match = URL_PATTERN.exec(text);
  if (match !== null && Number(match[3] ?? "0") <= 65535) return accept(text.replace(/\/+$/, ""));
  const example = `set ${name} to the http(s) URL of your control server, e.g. ${name}=https://headscale.example.com`;
  if (USERINFO_PATTERN.test(text)) {
    // The password is a secret: the fix shows the URL without it.
    return reject("holds a user name or password (user:password@), which tailscale does not use", `remove it: ${name}=${clipText(text.replace(USERINFO_PATTERN, "$1"), MAX_SHOWN)}`);
  }
  const scheme = SCHEME_PATTERN.exec(text)?.[1];
  if (scheme !== undefined && !/^https?$/i.test(scheme)) return reject(`is a ${clipText(scheme, 20)}:// URL, not http(s)`, example);
  if (scheme === undefined) {
    const schemeless = /^[A-Za-z0-9.-]+(:\d+)?(\/.*)?$/.test(text);
    return reject("has no http:// or https:// in front", schemeless ? `add the scheme: ${name}=https://${clipText(text, MAX_SHOWN)}` : example);
  }
  if (match !== null) return reject("has a port number above 65535", example);
  return reject("is not a valid http(s) URL (host: a DNS name, an IPv4 address or [IPv6]; then an optional :port and /path)", example);
};

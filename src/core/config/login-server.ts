// The control server URL (Headscale or Tailscale): an http(s) URL, checked without a URL global.
import { accept, reject, type ValueParser } from "./value-parsers.ts";

// scheme://host[:port][/path] — host is a DNS name, IPv4 or [IPv6].
const URL_PATTERN = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?(\/[^\s?#]*)?$/;

/** Accepts `http(s)://host[:port][/path]`, returns it without a trailing slash. */
export const parseLoginServer: ValueParser<string> = (raw, name) => {
  const text = raw.trim();
  const match = URL_PATTERN.exec(text);
  if (match !== null && Number(match[3] ?? "0") <= 65535) return accept(text.replace(/\/+$/, ""));
  const schemeless = /^[A-Za-z0-9.-]+(:\d+)?(\/.*)?$/.test(text);
  const fix = schemeless
    ? `add the scheme: ${name}=https://${text}`
    : `set ${name} to the http(s) URL of your control server, e.g. ${name}=https://headscale.example.com`;
  return reject("is not an http(s) URL", fix);
};

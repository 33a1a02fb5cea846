// The control server URL: an http(s) URL (host a DNS name, IPv4 or [IPv6], optional port and path),
// without a trailing slash; every refusal says what to write, and never shows a password.
import { describe, expect, it } from "vitest";
import { displayLoginServer, parseLoginServer } from "../../../../src/core/config/values/login-server.ts";

describe("parseLoginServer", () => {
  it.each([
    ["https://hs.example.com", "https://hs.example.com"],
    [" http://10.0.0.1:8080/ ", "http://10.0.0.1:8080"],
    ["HTTPS://[fd00::1]:443/hs//", "HTTPS://[fd00::1]:443/hs"],
    ["http://a", "http://a"],
    ["http://x:65535", "http://x:65535"],
  ])("%j → %j", (raw, url) => {
    expect(parseLoginServer(raw, "TS_LOGIN_SERVER")).toEqual({ ok: true, value: url });
  });

  const EXAMPLE = "set TS_LOGIN_SERVER to the http(s) URL of your control server, e.g. TS_LOGIN_SERVER=https://headscale.example.com";
  it.each([
    ["headscale.example.com", "has no http:// or https:// in front", "add the scheme: TS_LOGIN_SERVER=https://headscale.example.com"],
    ["hs.example:8080/x", "has no http:// or https:// in front", "add the scheme: TS_LOGIN_SERVER=https://hs.example:8080/x"],
    ["not a url", "has no http:// or https:// in front", EXAMPLE],
    ["ftp://x", "is a ftp:// URL, not http(s)", EXAMPLE],
    ["http://x:65536", "has a port number above 65535", EXAMPLE],
    ["https://-bad", "is not a valid http(s) URL (host: a DNS name, an IPv4 address or [IPv6]; then an optional :port and /path)", EXAMPLE],
    ["https://hs.example/?q=1", "is not a valid http(s) URL (host: a DNS name, an IPv4 address or [IPv6]; then an optional :port and /path)", EXAMPLE],
    ["https://user:SEKRIT@hs.example", "holds a user name or password (user:password@), which tailscale does not use", "remove it: TS_LOGIN_SERVER=https://hs.example"],
  ])("%j: %s", (raw, problem, fix) => {
    expect(parseLoginServer(raw, "TS_LOGIN_SERVER")).toEqual({ ok: false, problems: [{ problem, fix }] });
  });

  it("clips what it quotes", () => {
    const long = `${"a".repeat(150)}.example`;
    expect(parseLoginServer(`${long} x`, "L")).toMatchObject({ ok: false, problems: [{ fix: "set L to the http(s) URL of your control server, e.g. L=https://headscale.example.com" }] });
    expect(parseLoginServer(long.replace(".example", ":99999"), "L")).toMatchObject({ ok: false, problems: [{ fix: `add the scheme: L=https://${long.replace(".example", ":99999").slice(0, 100)}...(${long.length - 2} characters)` }] });
  });
});

describe("displayLoginServer", () => {
  it.each([
    ["https://user:pass@hs.example", "https://[REDACTED]@hs.example"],
    [" https://a@b@hs.example ", "https://[REDACTED]@hs.example"],
    ["https://hs.example", "https://hs.example"],
  ])("%j → %j", (raw, shown) => {
    expect(displayLoginServer(raw)).toBe(shown);
  });
});

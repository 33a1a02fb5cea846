// Secrets inside argument strings: key flags' values in any spelling and URL passwords, found in the
// words as read, as written, and split at every quote, so that a broken quote hides none.
import { describe, expect, it } from "vitest";
import { findArgsSecrets, redactArgsText } from "../../../../src/core/config/secrets/args-secrets.ts";

describe("findArgsSecrets", () => {
  it.each([
    ["--ssh --hostname=r1", []],
    ["--authkey=SEKRIT1 --ssh", ["SEKRIT1"]],
    ["--auth-key SEKRIT2", ["SEKRIT2"]],
    ["--login-server=https://user:SEKRIT3@hs.example", ["user:SEKRIT3"]],
  ])("%j → %j", (raw, secrets) => {
    expect(findArgsSecrets(raw)).toEqual(secrets);
  });

  it.each([
    ["a quoted value", `--authkey="SEKRIT 4"`, "SEKRIT 4"],
    ["a value quoted as written", `--authkey='SEK'RIT5`, "SEKRIT5"],
    ["an unclosed quote", `--hostname="r1 --authkey SEKRIT6`, "SEKRIT6"],
    ["a stray backslash", `--auth\\key=SEKRIT7`, "SEKRIT7"],
    ["a URL password with a space, quoted", `--login-server="https://u:SEK RIT8@h"`, "u:SEK RIT8"],
  ])("finds the secret behind %s", (_, raw, secret) => {
    const secrets = findArgsSecrets(raw);
    expect(secrets).toContain(secret);
    expect(redactArgsText(raw)).not.toMatch(/SEK/);
  });
});

describe("redactArgsText", () => {
  it.each([
    ["--authkey=SEKRIT1 --ssh", "--authkey=[REDACTED] --ssh"],
    ["--login-server=https://user:SEKRIT3@hs.example --ssh", "--login-server=https://[REDACTED]@hs.example --ssh"],
    ["--ssh", "--ssh"],
  ])("%j → %j", (raw, redacted) => {
    expect(redactArgsText(raw)).toBe(redacted);
  });
});

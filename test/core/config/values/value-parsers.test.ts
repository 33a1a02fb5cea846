// The value parsers' duration setting: the forms every duration variable takes, and the range error
// in the unit the user wrote.
import { describe, expect, it } from "vitest";
import { parseDuration, parseAbsolutePath, parseArgs, parseBoolean, parseBooleanOr, parseChoice, parseCount, parseHostname, parsePort } from "../../../../src/core/config/values/value-parsers.ts";

const bootTimeout = parseDuration(1000, 3_600_000);

describe("parseDuration (TS_BOOT_TIMEOUT's range: 1s to 1h)", () => {
  it.each([
    ["1h", 3_600_000],
    ["1m30s", 90_000],
    ["90s", 90_000],
    ["300", 300_000],
    ["60m", 3_600_000],
    ["2m", 120_000],
    ["1s", 1000],
  ])("%j → %i ms", (raw, ms) => {
    expect(bootTimeout(raw, "TS_BOOT_TIMEOUT")).toEqual({ ok: true, value: ms });
  });

  it.each([
    ["2h", "set TS_BOOT_TIMEOUT to a duration from 1s to 1h"],
    ["1h30m", "set TS_BOOT_TIMEOUT to a duration from 1s to 1h"],
    ["90m", "set TS_BOOT_TIMEOUT to a duration from 1s to 60m"],
    ["4000s", "set TS_BOOT_TIMEOUT to a duration from 1s to 3600s"],
    ["7200", "set TS_BOOT_TIMEOUT to seconds from 1 to 3600"],
    ["0", "set TS_BOOT_TIMEOUT to seconds from 1 to 3600"],
    ["500ms", "set TS_BOOT_TIMEOUT to a duration from 1000ms to 3600000ms"],
  ])("%j is out of range: %s", (raw, fix) => {
    expect(bootTimeout(raw, "TS_BOOT_TIMEOUT")).toEqual({ ok: false, problems: [{ problem: "is out of range", fix }] });
  });

  it.each(["forever", "1d", "1h 30m", "30s1m", ""])("%j is not a duration, and the fix shows the forms and the range", (raw) => {
    expect(bootTimeout(raw, "TS_BOOT_TIMEOUT")).toEqual({
      ok: false,
      problems: [{ problem: "is not a duration", fix: "write seconds (TS_BOOT_TIMEOUT=30) or with units h, m, s (TS_BOOT_TIMEOUT=90s, 2m, 1h, 1m30s), from 1s to 1h" }],
    });
  });
});

// From the module's first unit tests (issue 14), kept beside the ones above.
const value = <T>(parsed: { ok: true; value: T } | { ok: false }) => (parsed.ok ? parsed.value : "refused");

describe("parseBoolean", () => {
  it.each([
    ["true", true], [" TRUE ", true], ["1", true], ["False", false], ["0", false],
    ["yes", "refused"], ["on", "refused"], ["", "refused"], ["t", "refused"],
  ])("%j → %s", (raw, parsed) => {
    expect(value(parseBoolean(raw, "TS_X"))).toBe(parsed);
  });

  it("says how to put it right", () => {
    expect(parseBoolean("yes", "TS_ACCEPT_DNS")).toEqual({ ok: false, problems: [{ problem: "is not a boolean", fix: "set TS_ACCEPT_DNS to true or false" }] });
  });
});

describe("parseBooleanOr", () => {
  const parse = parseBooleanOr("auto");
  it.each([
    ["auto", "auto"], [" AUTO ", "auto"], ["1", "true"], ["TRUE", "true"], ["0", "false"], ["false", "false"], ["maybe", "refused"],
  ])("%j → %s", (raw, parsed) => {
    expect(value(parse(raw, "TS_USERSPACE"))).toBe(parsed);
  });

  it("says how to put it right", () => {
    expect(parse("maybe", "TS_USERSPACE")).toEqual({ ok: false, problems: [{ problem: "is not true, false or auto", fix: "set TS_USERSPACE to true, false or auto" }] });
  });
});

describe("parseChoice", () => {
  it("takes a choice in any case, stored lower case", () => {
    const parse = parseChoice(["on", "nodivert", "off"]);
    expect(value(parse(" NoDivert ", "M"))).toBe("nodivert");
    expect(parse("auto", "TS_NETFILTER_MODE")).toEqual({ ok: false, problems: [{ problem: "is not one of on, nodivert, off", fix: "set TS_NETFILTER_MODE to on, nodivert or off" }] });
    expect(parseChoice(["only"])("x", "V")).toEqual({ ok: false, problems: [{ problem: "is not one of only", fix: "set V to only" }] });
  });
});

describe("parsePort", () => {
  it.each([
    ["0", 0], ["41641", 41641], [" 65535 ", 65535], ["65536", "refused"], ["-1", "refused"], ["41641x", "refused"], ["123456", "refused"], ["", "refused"], ["1e3", "refused"],
  ])("%j → %s", (raw, parsed) => {
    expect(value(parsePort(raw, "TS_PORT"))).toBe(parsed);
  });

  it("says the range", () => {
    expect(parsePort("x", "TS_PORT")).toEqual({ ok: false, problems: [{ problem: "is not a port number", fix: "set TS_PORT to a number from 0 to 65535 (41641 is Tailscale's usual port)" }] });
  });
});

describe("parseAbsolutePath", () => {
  it.each([
    [" /var/lib/x ", "/var/lib/x"], ["/", "/"], ["var/lib", "refused"], ["", "refused"],
  ])("%j → %s", (raw, parsed) => {
    expect(value(parseAbsolutePath(raw, "TS_STATE_DIR"))).toBe(parsed);
  });

  it("says what to write", () => {
    expect(parseAbsolutePath("x", "TS_STATE_DIR")).toEqual({ ok: false, problems: [{ problem: "is not an absolute path", fix: "set TS_STATE_DIR to a path starting with /" }] });
  });
});

describe("parseHostname", () => {
  it.each([
    ["router", "router"], [" r-1.example ", "r-1.example"], ["a".repeat(63), "a".repeat(63)], ["9", "9"],
    ["a".repeat(64), "refused"], ["-bad", "refused"], ["bad-", "refused"], ["my router", "refused"], ["a..b", "refused"], ["", "refused"], [`${"a.".repeat(127)}ab`, "refused"],
  ])("%j → %s", (raw, parsed) => {
    expect(value(parseHostname(raw, "TS_HOSTNAME"))).toBe(parsed);
  });

  it.each([
    ["My Router!", "my-router"],
    ["--", "mikrotik-ts"],
    ["Ünïcode_name", "n-code-name"],
  ])("suggests a name for %j: %s", (raw, suggestion) => {
    expect(parseHostname(raw, "TS_HOSTNAME")).toEqual({ ok: false, problems: [{ problem: "is not a valid host name", fix: `use letters, digits and '-' (at most 63 per label), e.g. TS_HOSTNAME=${suggestion}` }] });
  });
});

describe("parseArgs", () => {
  it("splits like a shell, or says the quotes are wrong", () => {
    expect(parseArgs(`--a "b c" 'd'`, "TS_EXTRA_ARGS")).toEqual({ ok: true, value: ["--a", "b c", "d"] });
    expect(parseArgs("", "TS_EXTRA_ARGS")).toEqual({ ok: true, value: [] });
    expect(parseArgs(`--a "b`, "TS_EXTRA_ARGS")).toEqual({ ok: false, problems: [{ problem: expect.stringMatching(/^cannot be split into arguments: it /), fix: "check the quotes in TS_EXTRA_ARGS" }] });
  });
});

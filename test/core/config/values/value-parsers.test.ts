// Parsers of single values: strict booleans, choices, ports, paths, host names, arguments, durations, counts.
import { describe, expect, it } from "vitest";
import { parseAbsolutePath, parseArgs, parseBoolean, parseBooleanOr, parseChoice, parseCount, parseDuration, parseHostname, parsePort } from "../../../../src/core/config/values/value-parsers.ts";

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

describe("parseDuration", () => {
  const parse = parseDuration(1000, 3_600_000);
  it.each([
    ["30", 30_000], ["30s", 30_000], ["2m", 120_000], ["1500ms", 1500], ["1.5", 1500], [" 60 ", 60_000], ["3600", 3_600_000], ["1", 1000],
    ["999ms", "refused"], ["0.0015m", "refused"], ["3601", "refused"], ["1h", "refused"], ["-5", "refused"], ["", "refused"], ["5 s", "refused"], [".5", "refused"],
  ])("%j → %s", (raw, parsed) => {
    expect(value(parse(raw, "T"))).toBe(parsed);
  });

  it("rounds to whole milliseconds and says the range in seconds", () => {
    expect(value(parseDuration(0, 10_000)("0.0001", "T"))).toBe(0);
    expect(parse("0", "TS_BOOT_TIMEOUT")).toEqual({ ok: false, problems: [{ problem: "is not a duration in range", fix: "set TS_BOOT_TIMEOUT to seconds from 1 to 3600, e.g. TS_BOOT_TIMEOUT=30 or TS_BOOT_TIMEOUT=30s" }] });
  });
});

describe("parseCount", () => {
  const parse = parseCount(1, 100);
  it.each([
    ["1", 1], [" 100 ", 100], ["0", "refused"], ["101", "refused"], ["5.0", "refused"], ["-1", "refused"], ["", "refused"],
  ])("%j → %s", (raw, parsed) => {
    expect(value(parse(raw, "TS_RESTART_LIMIT"))).toBe(parsed);
  });

  it("says the range", () => {
    expect(parse("0", "TS_RESTART_LIMIT")).toEqual({ ok: false, problems: [{ problem: "is not a whole number in range", fix: "set TS_RESTART_LIMIT to a number from 1 to 100" }] });
  });
});

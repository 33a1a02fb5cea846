// The value parsers' duration setting: the forms every duration variable takes, and the range error
// in the unit the user wrote.
import { describe, expect, it } from "vitest";
import { parseDuration } from "../../../../src/core/config/values/value-parsers.ts";

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

// The one duration grammar of the settings, and how a duration is written back.
import { describe, expect, it } from "vitest";
import { describeDuration, describeDurationIn, readDuration, formatDuration } from "../../../src/core/text/duration.ts";

describe("readDuration", () => {
  it.each([
    ["300", 300_000, "seconds"],
    [" 45 ", 45_000, "seconds"],
    ["0", 0, "seconds"],
    ["0.5", 500, "seconds"],
    ["90s", 90_000, "s"],
    ["2m", 120_000, "m"],
    ["1h", 3_600_000, "h"],
    ["1m30s", 90_000, "m"],
    ["1h5m", 3_900_000, "h"],
    ["1h0m30s", 3_630_000, "h"],
    ["1h30s", 3_630_000, "h"],
    ["60m", 3_600_000, "m"],
    ["1.5s", 1500, "s"],
    ["500ms", 500, "ms"],
    ["1s500ms", 1500, "s"],
  ] as const)("%j is %i ms, written in %s", (text, ms, unit) => {
    expect(readDuration(text)).toEqual({ ms, unit });
  });

  it.each(["", " ", "s", "-1", "1d", "1 h", "1h 30m", "30s1m", "1m1m", "1M", "1.h", ".5s", "1e3", "1h-5m", "forever", "0x10", "1m30"])("%j is not a duration", (text) => {
    expect(readDuration(text)).toBeUndefined();
  });
});

describe("describeDuration: as config and the README write it", () => {
  it.each([
    [0, "0s"],
    [500, "0.5s"],
    [5000, "5s"],
    [60_000, "1m"],
    [90_000, "1m30s"],
    [300_000, "5m"],
    [3_600_000, "1h"],
    [3_630_000, "1h30s"],
    [86_400_000, "24h"],
    [90_500, "1m30.5s"],
  ])("%i ms → %s", (ms, text) => {
    expect(describeDuration(ms)).toBe(text);
  });

  it.each([0, 500, 5000, 90_000, 3_630_000, 86_400_000, 1_234_567])("reads back as itself: %i ms", (ms) => {
    expect(readDuration(describeDuration(ms))?.ms).toBe(ms);
  });
});

describe("describeDurationIn: a bound in the unit the user wrote", () => {
  it.each([
    [3_600_000, "seconds", "3600"],
    [3_600_000, "m", "60m"],
    [3_600_000, "h", "1h"],
    [3_600_000, "s", "3600s"],
    [1000, "h", "1s"],
    [1000, "m", "1s"],
    [90_000, "m", "1m30s"],
    [500, "ms", "500ms"],
  ] as const)("%i ms in %s → %s", (ms, unit, text) => {
    expect(describeDurationIn(ms, unit)).toBe(text);
  });
});

// From the module's first unit tests (issue 14), kept beside the ones above.
describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [999, "0s"],
    [45_000, "45s"],
    [60_000, "1m"],
    [150_000, "2m30s"],
    [3_600_000, "1h"],
    [3_900_000, "1h5m"],
  ])("%i ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

// Durations as people read them in a log: 45s, 2m, 2m30s, 1h5m.
import { describe, expect, it } from "vitest";
import { formatDuration } from "../../../src/core/text/duration.ts";

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

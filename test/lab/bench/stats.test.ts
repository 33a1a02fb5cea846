// The benchmarks' statistics (stats.ts): a wrong median or pairing would misreport every figure.
import { describe, expect, it } from "vitest";
import { median, pairedDiff, summarize } from "./stats.ts";

describe("bench statistics", () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
    [[-1, -3], -2],
  ])("median of %j is %d", (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it("has no median, minimum or maximum of nothing", () => {
    expect(median([])).toBeNaN();
    expect(summarize([])).toEqual({ median: Number.NaN, min: Number.NaN, max: Number.NaN });
  });

  it("summarizes median, minimum and maximum", () => {
    expect(summarize([5, 1, 9, 2])).toEqual({ median: 3.5, min: 1, max: 9 });
  });

  it("pairs rounds by index and leaves out a round missing on either side", () => {
    // Rounds: 1-0, 2-0, (missing), 10-5, (missing) → differences 1, 2, 5.
    expect(pairedDiff([1, 2, undefined, 10, 4], [0, 0, 1, 5])).toBe(2);
    expect(pairedDiff([undefined], [1])).toBeNaN();
  });

  it("is not the difference of the medians", () => {
    // The medians (2 and 2) differ by 0; in two of the three rounds the first is 1 less.
    expect(pairedDiff([1, 2, 3], [2, 3, 0])).toBe(-1);
  });
});

// The statistics every benchmark prints (`npm run bench` and its sub-commands): medians, ranges and
// the median of paired differences (one pair per round, which drift on a shared machine moves less
// than it moves two medians).

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Median, smallest and largest value. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** The summary of some values (NaN throughout for none). */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * Median of the per-round differences a − b: runs of the same round are paired by index, a round
 * missing on either side is left out.
 */
export function pairedDiff(a: ReadonlyArray<number | undefined>, b: ReadonlyArray<number | undefined>): number {
  const differences = a.flatMap((value, index) => {
    const other = b[index];
    return value === undefined || other === undefined || !Number.isFinite(value - other) ? [] : [value - other];
  });
  return median(differences);
}

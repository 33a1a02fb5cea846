// A benchmark's markdown table: one row per figure, one column per subject, each cell the median
// with its range and its ratio to the baseline subject's median; and lines comparing two subjects
// by the difference of their medians and the median of their paired differences (stats.ts).
import { median, pairedDiff, summarize } from "./stats.ts";

/** A subject's column: its label and, per figure, one value per counted round (undefined: none that round). */
export interface Column {
  readonly id: string;
  readonly label: string;
  readonly values: Record<string, ReadonlyArray<number | undefined>>;
}

/** A row: the key of its values, its title, and how a value is printed. */
export interface Row {
  readonly key: string;
  readonly title: string;
  readonly format: (value: number) => string;
}

export const seconds = (value: number): string => `${value.toFixed(3)} s`;

const present = (values: ReadonlyArray<number | undefined>): number[] => values.filter((value): value is number => value !== undefined && Number.isFinite(value));

function cell(values: ReadonlyArray<number | undefined>, row: Row, baseline: number | undefined): string {
  const counted = present(values);
  if (counted.length === 0) return "–";
  const { median: middle, min, max } = summarize(counted);
  const ratio = baseline === undefined || !Number.isFinite(baseline) ? "" : baseline === 0 ? " ×–" : ` ×${(middle / baseline).toFixed(2)}`;
  return `${row.format(middle)}${ratio} (${row.format(min)}–${row.format(max)})`;
}

/** The table; ratios to the column `baselineId` (none in its own column; none at all without it). */
export function renderFigureTable(columns: readonly Column[], rows: readonly Row[], baselineId?: string): string {
  const baseline = columns.find((column) => column.id === baselineId);
  const lines = [`| figure | ${columns.map((column) => column.label).join(" | ")} |`, `|---|${columns.map(() => "---").join("|")}|`];
  for (const row of rows) {
    const base = baseline === undefined ? undefined : median(present(baseline.values[row.key] ?? []));
    lines.push(`| ${row.title} | ${columns.map((column) => cell(column.values[row.key] ?? [], row, column.id === baselineId ? undefined : base)).join(" | ")} |`);
  }
  return lines.join("\n");
}

/** "a − b: +0.123 s (difference of medians); paired +0.100 s" for one row. */
export function compareColumns(a: Column, b: Column, row: Row): string {
  const valuesA = a.values[row.key] ?? [];
  const valuesB = b.values[row.key] ?? [];
  const signed = (value: number) => (Number.isFinite(value) ? `${value >= 0 ? "+" : ""}${row.format(value)}` : "–");
  const difference = median(present(valuesA)) - median(present(valuesB));
  return `${row.title}, ${a.label} − ${b.label}: ${signed(difference)} (difference of medians); paired ${signed(pairedDiff(valuesA, valuesB))}`;
}

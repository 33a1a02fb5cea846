// Durations as people write them in a setting (300, 90s, 2m, 1h, 1m30s) and read them back: exactly
// in `config` and the README (5m, 1m30s, 0.5s), rounded to the second in a log (45s, 2m30s, 1h5m).

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;

/** A unit a duration is written in; `seconds` is a bare number (`300`). */
export type DurationUnit = keyof typeof UNIT_MS | "seconds";

/** A duration as written: its milliseconds and the largest unit in it (`1m30s`: `m`). */
export interface WrittenDuration {
  readonly ms: number;
  readonly unit: DurationUnit;
}

const UNITS_LARGEST_FIRST = Object.keys(UNIT_MS) as Array<keyof typeof UNIT_MS>;
const BARE_SECONDS = /^\d+(?:\.\d+)?$/;
const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;

/**
 * Reads `300` (seconds), or parts with a unit each, largest first and each unit once: `1h`, `2m`,
 * `90s`, `1m30s`, `1h5m`, `1.5s`, `500ms` (as Go's durations, which Tailscale's users know).
 * Surrounding white space is ignored; anything else is undefined.
 */
export function readDuration(text: string): WrittenDuration | undefined {
  const written = text.trim();
  if (BARE_SECONDS.test(written)) return { ms: Math.round(Number(written) * 1000), unit: "seconds" };
  let ms = 0;
  let largest: keyof typeof UNIT_MS | undefined;
  let previousRank = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < written.length) {
    const match = PART.exec(written);
    if (match === null) return undefined;
    const unit = match[2] as keyof typeof UNIT_MS;
    const rank = UNITS_LARGEST_FIRST.indexOf(unit);
    if (rank <= previousRank) return undefined;
    previousRank = rank;
    largest ??= unit;
    ms += Number(match[1]) * UNIT_MS[unit];
  }
  return largest === undefined ? undefined : { ms: Math.round(ms), unit: largest };
}

/** `ms` exactly, as a setting is written: `5m`, `1m30s`, `1h30s`, `45s`, `0.5s`, `0s`. */
export function describeDuration(ms: number): string {
  const hours = Math.floor(ms / UNIT_MS.h);
  const minutes = Math.floor((ms % UNIT_MS.h) / UNIT_MS.m);
  const seconds = (ms % UNIT_MS.m) / 1000;
  const parts = [hours > 0 ? `${hours}h` : "", minutes > 0 ? `${minutes}m` : "", seconds > 0 ? `${seconds}s` : ""].join("");
  return parts === "" ? "0s" : parts;
}

/** `ms` in `unit` (`60m`, `3600` for seconds written bare) when it is a whole number of it; else exactly. */
export function describeDurationIn(ms: number, unit: DurationUnit): string {
  if (unit === "seconds") return String(ms / 1000);
  const count = ms / UNIT_MS[unit];
  return Number.isInteger(count) ? `${count}${unit}` : describeDuration(ms);
}

/** Whole seconds, minutes and hours of `ms` for a log (rounded down to the second; hours keep minutes only). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return minutes > 0 ? `${hours}h${minutes}m` : `${hours}h`;
  if (minutes > 0) return seconds > 0 ? `${minutes}m${seconds}s` : `${minutes}m`;
  return `${seconds}s`;
}

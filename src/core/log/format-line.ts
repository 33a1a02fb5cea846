// Log record formatting: one plain ASCII line for the RouterOS log, or one JSON line.
import { escapeToAscii as toAscii } from "../text/ascii.ts";

/** A log event as the core produces it, before formatting. */
export interface LogRecord {
  readonly level: LogLevel;
  readonly component: string;
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Levels in increasing severity. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Output formats a user can choose. */
export const LOG_FORMATS = ["plain", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Which of tailscaled's lines are logged (supervise/tailscaled/quiet-filter.ts); the ring keeps all. */
export const TAILSCALED_LOG_MODES = ["important", "all"] as const;
export type TailscaledLogMode = (typeof TAILSCALED_LOG_MODES)[number];

/** `LEVEL component: message key=value ...`: ASCII only, no colour, one line. */
export function formatPlainLine(record: LogRecord): string {
  const parts = [`${record.level.toUpperCase()} ${record.component}: ${toAscii(record.msg)}`];
  for (const [key, value] of Object.entries(record.fields)) {
    if (value === undefined) continue;
    parts.push(`${key}=${formatPlainValue(value)}`);
  }
  return `${parts.join(" ")}\n`;
}

/** One JSON object per line, `time` in epoch milliseconds. */
export function formatJsonLine(record: LogRecord, timeMs: number): string {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record.fields)) fields[key] = normalizeValue(value);
  const object = { time: timeMs, level: record.level, component: record.component, msg: record.msg, ...fields };
  return `${toAscii(JSON.stringify(object))}\n`;
}

function formatPlainValue(value: unknown): string {
  const normalized = normalizeValue(value);
  const text = typeof normalized === "string" ? normalized : Array.isArray(normalized) ? normalized.join(",") : JSON.stringify(normalized);
  // Anything but plain printable ASCII is quoted and escaped, JSON-style.
  return /^[\x21-\x7e]+$/.test(text) && !/["=\\]/.test(text) ? text : toAscii(JSON.stringify(text));
}

function normalizeValue(value: unknown): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === "bigint") return value.toString();
  return value;
}

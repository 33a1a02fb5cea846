// The logger: the one file that uses pino (its browser build, which runs on QuickJS).
// The browser build explicitly, so Node (tests) and qjs (bundle) run the very same logger code.
import pino from "pino/browser.js";
import { formatJsonLine, formatPlainLine, LOG_LEVELS, type LogFormat, type LogLevel, type LogRecord } from "./format-line.ts";

/** Structured logging for one component; messages are constant strings, data goes in fields. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger for a sub-component (`tailscaled`, `config`, `preflight`, ...). */
  child(component: string): Logger;
}

/** Where formatted lines go and how they look. */
export interface LoggerOptions {
  readonly format: LogFormat;
  readonly level: LogLevel;
  readonly component: string;
  /** Receives each formatted line, newline included. */
  readonly write: (line: string) => void;
  /** Epoch milliseconds for JSON lines. */
  readonly now: () => number;
}

const PINO_LEVEL_NAMES: Readonly<Record<number, LogLevel>> = { 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

/** Creates the root logger; every line is formatted here and handed to `options.write`. */
export function createLogger(options: LoggerOptions): Logger {
  const root = pino({
    level: options.level,
    timestamp: false,
    browser: {
      asObject: true,
      write: (object: object) => options.write(formatObject(object as Record<string, unknown>, options)),
    },
  });
  return wrap(root.child({ component: options.component }), options.component, options);
}

function wrap(instance: ReturnType<typeof pino>, component: string, options: LoggerOptions): Logger {
  // A message without fields (tailscaled's relayed lines, by the thousand in a burst) is formatted
  // here, to the very line pino's path gives: pino's own work per call (bindings, argument copies,
  // objects) costs ~25 us on qjs, five times the formatting. Records with fields go through pino.
  const minimum = LOG_LEVELS.indexOf(options.level);
  const direct = (level: LogLevel, msg: string): void => {
    if (LOG_LEVELS.indexOf(level) >= minimum) options.write(formatRecord({ level, component, msg, fields: NO_FIELDS }, options));
  };
  return {
    debug: (msg, fields) => (fields === undefined ? direct("debug", msg) : instance.debug(fields, msg)),
    info: (msg, fields) => (fields === undefined ? direct("info", msg) : instance.info(fields, msg)),
    warn: (msg, fields) => (fields === undefined ? direct("warn", msg) : instance.warn(fields, msg)),
    error: (msg, fields) => (fields === undefined ? direct("error", msg) : instance.error(fields, msg)),
    child: (name) => wrap(instance.child({ component: name }), name, options),
  };
}

const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});

function formatObject(object: Record<string, unknown>, options: LoggerOptions): string {
  const { level, msg, component, ...fields } = object;
  const record: LogRecord = {
    level: PINO_LEVEL_NAMES[Number(level)] ?? "info",
    component: typeof component === "string" ? component : options.component,
    msg: typeof msg === "string" ? msg : "",
    fields,
  };
  return formatRecord(record, options);
}

function formatRecord(record: LogRecord, options: LoggerOptions): string {
  return options.format === "json" ? formatJsonLine(record, options.now()) : formatPlainLine(record);
}

/** True when `value` names a log level. */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

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
  return wrap(root.child({ component: options.component }));
}

function wrap(instance: ReturnType<typeof pino>): Logger {
  return {
    debug: (msg, fields) => instance.debug(fields ?? {}, msg),
    info: (msg, fields) => instance.info(fields ?? {}, msg),
    warn: (msg, fields) => instance.warn(fields ?? {}, msg),
    error: (msg, fields) => instance.error(fields ?? {}, msg),
    child: (component) => wrap(instance.child({ component })),
  };
}

function formatObject(object: Record<string, unknown>, options: LoggerOptions): string {
  const { level, msg, component, ...fields } = object;
  const record: LogRecord = {
    level: PINO_LEVEL_NAMES[Number(level)] ?? "info",
    component: typeof component === "string" ? component : options.component,
    msg: typeof msg === "string" ? msg : "",
    fields,
  };
  return options.format === "json" ? formatJsonLine(record, options.now()) : formatPlainLine(record);
}

/** True when `value` names a log level. */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

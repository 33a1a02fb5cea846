// A Logger that keeps what it is given as objects, for tests that assert on log entries, not formatted lines.
import type { Logger } from "../../src/core/log/logger.ts";

/** One entry as logged: level, component, the constant message and its fields. */
export interface LogEntry {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly component: string;
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>> | undefined;
}

/** A capturing logger (children share its list) and the entries logged so far. */
export function createCapturedLog(component = "supervisor"): { readonly log: Logger; readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const make = (name: string): Logger => ({
    debug: (msg, fields) => void entries.push({ level: "debug", component: name, msg, fields }),
    info: (msg, fields) => void entries.push({ level: "info", component: name, msg, fields }),
    warn: (msg, fields) => void entries.push({ level: "warn", component: name, msg, fields }),
    error: (msg, fields) => void entries.push({ level: "error", component: name, msg, fields }),
    child: (child) => make(child),
  });
  return { log: make(component), entries };
}

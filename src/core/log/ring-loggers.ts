// The supervisor's loggers once the log ring exists: `log` prints each line and keeps it in the ring,
// `quiet` only keeps it (tailscaled's lines that the RouterOS log is spared, quiet-filter.ts).
import type { LogFormat, LogLevel } from "./format-line.ts";
import type { LogRing } from "./log-ring.ts";
import { createLogger, type Logger } from "./logger.ts";

/** How lines look and where the printed ones go. */
export interface RingLoggerOptions {
  readonly format: LogFormat;
  readonly level: LogLevel;
  readonly now: () => number;
  /** Prints a line (stderr through the redactor). */
  readonly print: (line: string) => void;
  readonly ring: LogRing;
}

/** `log` (component supervisor) and `quiet` (component tailscaled, every level: the ring keeps all). */
export function createRingLoggers(options: RingLoggerOptions): { readonly log: Logger; readonly quiet: Logger } {
  const { format, level, now, ring } = options;
  const print = (line: string): void => {
    options.print(line);
    ring.add(line);
  };
  const log = createLogger({ format, level, now, component: "supervisor", write: print });
  const quiet = createLogger({ format, level: "debug", now, component: "tailscaled", write: (line) => ring.add(line) });
  return { log, quiet };
}

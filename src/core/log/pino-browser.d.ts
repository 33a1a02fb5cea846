// Types for the part of pino's browser build the logger uses. Declared here rather than taken from
// pino.d.ts, which pulls in Node's types and would blind the core's no-Node type check.
declare module "pino/browser.js" {
  interface PinoBrowserLogger {
    debug(fields: object, msg: string): void;
    info(fields: object, msg: string): void;
    warn(fields: object, msg: string): void;
    error(fields: object, msg: string): void;
    child(bindings: Record<string, unknown>): PinoBrowserLogger;
  }
  interface PinoBrowserOptions {
    level: string;
    timestamp: false;
    browser: { asObject: true; write: (object: object) => void };
  }
  export default function pino(options: PinoBrowserOptions): PinoBrowserLogger;
}

// The diagnostics block printed on failure (or once as a warning): the class and the fix first, then
// the facts, then tailscaled's last lines. Plain: one log line and the block; JSON: one line holding it all.
import type { LogFormat } from "../../log/format-line.ts";
import type { Logger } from "../../log/logger.ts";
import type { FailingCheckId } from "../../preflight/preflight-check.ts";
import { collectDiagnostics, type DiagnosticsFacts } from "./collect-diagnostics.ts";
import type { DiagnosticsSeverity, Failure, FailureClass } from "./failure-classes.ts";
import { renderPlainBlock, toJsonFields } from "./render-diagnostics.ts";

export type { DiagnosticsSeverity, Failure, FailureClass } from "./failure-classes.ts";

/** Everything the block needs, and where it goes: the log's format, and (plain) the redacting stderr. */
export interface DiagnosticsContext extends DiagnosticsFacts {
  readonly format: LogFormat;
  /** Writes text to stderr through the redactor (as every output is). */
  readonly writeBlock: (text: string) => void;
}

/** Prints the block of a failure: the supervisor ends after it. */
export function reportFailure(context: DiagnosticsContext, log: Logger, failure: Failure): Promise<void> {
  return report(context, log, failure, "failure");
}

/** The same block as a warning: the supervisor goes on after it. */
export function reportWarning(context: DiagnosticsContext, log: Logger, failure: Failure): Promise<void> {
  return report(context, log, failure, "warning");
}

async function report(context: DiagnosticsContext, log: Logger, failure: Failure, severity: DiagnosticsSeverity): Promise<void> {
  const collected = await collectDiagnostics(context, failure, severity);
  const write = severity === "failure" ? log.error : log.warn;
  // A JSON consumer gets one object per line: the whole block is that line's fields.
  if (context.format === "json") return write("diagnostics", toJsonFields(collected));
  write("diagnostics", { [severity]: failure.failureClass, fix: failure.fix });
  context.writeBlock(`${renderPlainBlock(collected).join("\n")}\n`);
}

// The class of each check that can fail: total, so no failed check goes without its class.
const CHECK_CLASSES: Readonly<Record<FailingCheckId, FailureClass>> = {
  tun: "tun",
  mode: "tun",
  capabilities: "permissions",
  firewall: "firewall",
  "return-routes": "forwarding",
  "state-dir": "permissions",
};

/** The failure class of a failed preflight check. */
export function classifyCheck(id: FailingCheckId): FailureClass {
  return CHECK_CLASSES[id];
}

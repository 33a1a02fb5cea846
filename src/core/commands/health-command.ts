// `health [--explain]`: exit 0 only while Tailscale is Running and nothing waits for the user, from the
// status the supervisor records (no CLI exec: it runs every 30 s on a router, where each exec of the
// compressed tailscale binary costs seconds of CPU).
import type { Host } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import { EXIT_CODE, type Outcome } from "../outcome.ts";
import { escapeToAscii } from "../text/ascii.ts";
import { judgeHealth } from "../supervise/state/health-checks.ts";
import { locateRuntimeDir } from "../supervise/state/runtime-dir.ts";
import { readStatus } from "../supervise/state/status-file.ts";

/** `explain`: one line per check on stdout; otherwise quiet when healthy, one warning when not. */
export function runHealthCommand(host: Host, log: Logger, options: { readonly explain: boolean; readonly stdout: (text: string) => void }): Outcome {
  const dir = locateRuntimeDir(host.files);
  const status = readStatus(host.files, dir.path);
  const alive = status !== undefined && host.files.stat(`/proc/${status.supervisorPid}`).ok;
  const checks = judgeHealth(status, alive, host.clock.now());
  const failed = checks.filter((check) => !check.ok);
  if (options.explain) {
    const lines = checks.map((check) => `${check.ok ? "OK  " : "FAIL"} ${check.id}: ${check.what}${check.ok || check.fix === undefined ? "" : ` -- fix: ${check.fix}`}`);
    lines.push(`result: ${failed.length === 0 ? "healthy" : `unhealthy (${failed.map((check) => check.id).join(", ")})`}`);
    options.stdout(`${lines.map((line) => escapeToAscii(line)).join("\n")}\n`);
  } else if (failed.length > 0) {
    log.warn("unhealthy", { state: status?.state, reasons: failed.map((check) => `${check.id}: ${check.what}`).join("; "), dir: status === undefined ? dir.path : undefined });
  }
  return { exitCode: failed.length === 0 ? EXIT_CODE.ok : EXIT_CODE.failure };
}

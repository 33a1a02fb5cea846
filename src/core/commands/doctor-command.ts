// `doctor [--json] [--fix]`: every preflight check, one line each; --fix applies what the supervisor would.
import type { Config } from "../config/config.ts";
import type { Host } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import { EXIT_CODE, type Outcome } from "../outcome.ts";
import { runPreflight, type PreflightResult } from "../preflight/run-preflight.ts";
import { startReaper } from "../process/reaper.ts";

/** The options `doctor` takes. */
const DOCTOR_OPTIONS = ["--json", "--fix"];

/**
 * Runs preflight (changing nothing unless --fix) and prints the checks. Exit 0 when kernel mode can
 * work (or userspace was asked for and works); 1 when a check fails or kernel mode would fall back.
 */
export async function runDoctorCommand(host: Host, config: Config, args: readonly string[], log: Logger, stdout: (text: string) => void): Promise<Outcome> {
  const unknown = args.filter((arg) => !DOCTOR_OPTIONS.includes(arg));
  if (unknown.length > 0) {
    log.error("unknown doctor option", { options: unknown.join(" "), fix: "use doctor, doctor --json, doctor --fix" });
    return { exitCode: EXIT_CODE.config };
  }
  const reaper = startReaper(host);
  try {
    const result = await runPreflight(host, config, reaper, log.child("preflight"), { apply: args.includes("--fix") });
    stdout(args.includes("--json") ? `${JSON.stringify(toJson(result))}\n` : formatReport(result));
    return { exitCode: result.modeAsked ? EXIT_CODE.ok : EXIT_CODE.failure };
  } finally {
    reaper.stop();
  }
}

/** One line per check (`WARN tun: ... -- fix: ...`), the changes made, and the verdict. */
export function formatReport(result: PreflightResult): string {
  const lines = result.checks.map((check) => `${check.status.toUpperCase().padEnd(4)} ${check.id}: ${check.what}${check.fix === undefined ? "" : ` -- fix: ${check.fix}`}`);
  for (const change of result.changes) lines.push(`changed: ${change}`);
  for (const error of result.fixErrors) lines.push(`not fixed: ${error}`);
  lines.push(`result: ${describeVerdict(result)}`);
  return `${lines.join("\n")}\n`;
}

function describeVerdict(result: PreflightResult): string {
  if (!result.canRun) return "tailscaled cannot start until the failed checks are fixed";
  const mode = result.plan.userspace ? "userspace networking" : "kernel TUN networking";
  return result.modeAsked ? `${mode} can work` : `kernel TUN networking cannot work; falling back to ${mode}`;
}

/** The result as plain JSON (the sysctl map as an object). */
function toJson(result: PreflightResult): Record<string, unknown> {
  const { facts } = result;
  return {
    ok: result.modeAsked,
    canRun: result.canRun,
    plan: result.plan,
    checks: result.checks,
    changes: result.changes,
    fixErrors: result.fixErrors,
    facts: { ...facts, sysctls: { readOnly: facts.sysctls.readOnly, values: Object.fromEntries(facts.sysctls.values) } },
  };
}

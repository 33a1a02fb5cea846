// `doctor [--json] [--fix]`: every preflight check, one line each; --fix applies what the supervisor would.
import type { ConfigIssue } from "../config/config-issue.ts";
import type { ConfigLoad } from "../config/load-config.ts";
import type { Host } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import { EXIT_CODE, exitCodeForSignal, type Outcome } from "../outcome.ts";
import { reportConfigLoad } from "../config/report/report-config.ts";
import { runPreflight, type PreflightResult } from "../preflight/run-preflight.ts";
import type { StopRequest } from "../process/stop-request.ts";
import { escapeToAscii } from "../text/ascii.ts";
import { checkLan, type LanCheck } from "../lan/lan-checks.ts";
import { startCommands } from "../startup/start-runner.ts";
import { buildChildEnvironments } from "../config/secrets/child-environments.ts";
import type { Redactor } from "../log/redact.ts";
import { collectLive, type LiveSection } from "../live/collect-live.ts";
import { locateRuntimeDir, prepareRuntimeDir, runtimeBinDir } from "../supervise/state/runtime-dir.ts";

/** Where `doctor` writes, and the stop request its probes obey. */
export interface DoctorIo {
  readonly log: Logger;
  readonly stdout: (text: string) => void;
  readonly stop: StopRequest;
  /** Redacts what the probes print where it enters. */
  readonly redactor: Redactor;
}

/**
 * Runs preflight (changing nothing unless --fix) and prints the checks. Exit 0 when kernel mode can
 * work (or userspace was asked for and works); 1 when a check fails or kernel mode would fall back;
 * 78, with the configuration's problems as the report, when the configuration is invalid; 128+n,
 * with no report, when signal n stopped it (its probes are ended within TS_STOP_GRACE).
 */
export async function runDoctorCommand(host: Host, load: ConfigLoad, args: readonly string[], io: DoctorIo): Promise<Outcome> {
  const { log, stdout } = io;
  const json = args.includes("--json");
  if (!load.ok) {
    reportConfigLoad(log.child("config"), load);
    // Nothing can be checked without a valid configuration: the report is its problems.
    stdout(json ? `${escapeToAscii(JSON.stringify(toConfigJson(load.issues, load.warnings)))}\n` : formatConfigReport(load.issues));
    return { exitCode: EXIT_CODE.config };
  }
  const { reaper, commands, system } = await startCommands(host, load.config, io.stop, log, { redactor: io.redactor, env: buildChildEnvironments(host.env, load.secrets).probe });
  try {
    reportConfigLoad(log.child("config"), load);
    const apply = args.includes("--fix");
    const runtime = locateRuntimeDir(host.files);
    // --fix links iptables where the supervisor would, in the runtime directory it would make (mode 700).
    const runtimeProblem = apply ? prepareRuntimeDir(host.files, runtime) : undefined;
    if (runtimeProblem !== undefined) log.warn("no runtime directory", { problem: runtimeProblem });
    const result = await runPreflight(host, load.config, commands, log.child("preflight"), { apply, system, binDir: runtimeBinDir(runtime) });
    // What the LAN gets (masquerade, exit node, MagicDNS): lines of their own after preflight's; then the live node.
    const lan = io.stop.signal === undefined ? await checkLan(load.config, result, commands) : [];
    const live = io.stop.signal === undefined ? await collectLive(host, load.config, commands) : undefined;
    if (io.stop.signal !== undefined || live === undefined) {
      log.warn("doctor stopped before it was done", { signal: io.stop.signal });
      return { exitCode: exitCodeForSignal(io.stop.signal ?? 15) };
    }
    const lanFails = lan.some((check) => check.status === "fail");
    // escapeToAscii: JSON.stringify leaves non-ASCII (and U+2028) as is; the output is ASCII, as a log line is.
    stdout(json ? `${escapeToAscii(JSON.stringify({ ...toJson(result, lan), config: { ok: true, problems: [], warnings: load.warnings }, live: liveToJson(live) }))}\n` : formatReport(result, lan) + formatLive(live));
    const liveFailed = live.running && live.checks.some((check) => check.status === "fail");
    return { exitCode: result.modeAsked && !lanFails && !liveFailed ? EXIT_CODE.ok : EXIT_CODE.failure };
  } finally {
    await commands.endAll(0);
    reaper.stop();
  }
}

/** The JSON document when the configuration is invalid: the same keys, no checks, the problems under `config`. */
function toConfigJson(problems: readonly ConfigIssue[], warnings: readonly ConfigIssue[]): Record<string, unknown> {
  return { ok: false, canRun: false, config: { ok: false, problems, warnings }, plan: null, checks: [], changes: [], fixErrors: [], facts: null };
}

/** One FAIL line per configuration problem, and the verdict. */
function formatConfigReport(problems: readonly ConfigIssue[]): string {
  const lines = problems.map((issue) => `FAIL config: ${issue.variable}${issue.value === undefined ? "" : `=${issue.value}`} ${issue.problem} -- fix: ${issue.fix}`);
  lines.push("result: the configuration is invalid; nothing was checked");
  return `${lines.map((line) => escapeToAscii(line)).join("\n")}\n`;
}

/** One line per check (`WARN tun: ... -- fix: ...`), the changes made, and the verdict. */
export function formatReport(result: PreflightResult, lan: readonly LanCheck[] = []): string {
  const lines = [...result.checks, ...lan].map((check) => `${check.status.toUpperCase().padEnd(4)} ${check.id}: ${check.what}${check.fix === undefined ? "" : ` -- fix: ${check.fix}`}`);
  for (const change of result.changes) lines.push(`changed: ${change}`);
  for (const error of result.fixErrors) lines.push(`not fixed: ${error}`);
  lines.push(`result: ${describeVerdict(result)}`);
  return `${lines.map((line) => escapeToAscii(line)).join("\n")}\n`;
}

function describeVerdict(result: PreflightResult): string {
  if (!result.canRun) return "tailscaled cannot start until the failed checks are fixed";
  const mode = result.plan.userspace ? "userspace networking" : "kernel TUN networking";
  return result.modeAsked ? `${mode} can work` : `kernel TUN networking cannot work; falling back to ${mode}`;
}

/** The live section: a heading, then one line per check as the preflight's; or why there is none. */
export function formatLive(live: LiveSection): string {
  if (!live.running) return `${escapeToAscii(`live: ${live.reason}`)}\n`;
  const lines = ["live: the running node (tailscale status --json, tailscale netcheck, the supervisor's record):", ...live.checks.map((check) => `${check.status.toUpperCase().padEnd(4)} ${check.id}: ${check.what}${check.fix === undefined ? "" : ` -- fix: ${check.fix}`}`)];
  return `${lines.map((line) => escapeToAscii(line)).join("\n")}\n`;
}

/** `live` of `doctor --json`: whether tailscaled runs, its checks, and the facts they were read from. */
function liveToJson(live: LiveSection): Record<string, unknown> {
  if (!live.running) return { running: false, reason: live.reason, checks: [] };
  const { facts } = live;
  return { running: true, checks: live.checks, facts: { status: facts.status ?? null, node: facts.node, netcheck: facts.netcheck } };
}

/** The result as plain JSON (the sysctl map as an object). */
function toJson(result: PreflightResult, lan: readonly LanCheck[]): Record<string, unknown> {
  const { facts } = result;
  return {
    ok: result.modeAsked,
    canRun: result.canRun,
    plan: result.plan,
    checks: [...result.checks, ...lan],
    changes: result.changes,
    fixErrors: result.fixErrors,
    facts: { ...facts, sysctls: { readOnly: facts.sysctls.readOnly, values: Object.fromEntries(facts.sysctls.values) } },
  };
}

// The diagnostics block printed on failure (or once as a warning): the class and the fix first, then the facts, then tailscaled's last lines.
import type { Host } from "../host.ts";
import type { CommandRunner } from "../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../process/command-timeouts.ts";
import { isSuccess } from "../process/exit-status.ts";
import { findMount, readMounts } from "../system/mountinfo.ts";
import type { Logger } from "../log/logger.ts";
import { SUPERVISOR_VERSION } from "../version.ts";
import type { TroubleClass } from "./control-errors.ts";

/** Failure classes, each with a stable name users can search for (the control-server trouble classes included). */
export type FailureClass = "config" | "tun" | "permissions" | "firewall" | "forwarding" | "daemon-crash" | "auth" | "timeout" | "hook" | TroubleClass;

/** A failure ends the supervisor; a warning is printed once and the supervisor goes on. */
export type DiagnosticsSeverity = "failure" | "warning";

/** A failure as the supervisor understood it. */
export interface Failure {
  readonly failureClass: FailureClass;
  readonly cause: string;
  readonly fix: string;
}

/** What the supervisor knows that the system cannot tell. */
export interface DiagnosticsContext {
  readonly host: Host;
  readonly commands: CommandRunner;
  readonly stateDir: string;
  readonly mode: string;
  readonly tail: readonly string[];
  /** tailscaled's version as its first line said, when it got that far. */
  readonly daemonVersion?: string;
  /** The first line of the crash that ended tailscaled's last run (a long trace pushes it out of `tail`). */
  readonly crashLine?: string;
}

const MAX_TAIL_LINES = 12;
const MAX_COMMAND_LINES = 4;

/** Collects the facts and renders the block (at most ~40 lines). */
export async function buildDiagnostics(context: DiagnosticsContext, failure: Failure, severity: DiagnosticsSeverity = "failure"): Promise<string[]> {
  const { host } = context;
  const read = (path: string): string => {
    const text = host.files.readText(path);
    return text.ok ? text.value.trim() : "unreadable";
  };
  const command = async (argv: string[]): Promise<string[]> => {
    const timeoutMs = argv[0] === "uname" ? COMMAND_TIMEOUTS.uname.ms : COMMAND_TIMEOUTS.ip.ms;
    const result = await context.commands.run(argv, { label: argv.join(" "), timeoutMs });
    if (!result.ok) return [`(${result.error})`];
    if (!isSuccess(result.value.status)) return [`(${argv.join(" ")} failed)`];
    const lines = result.value.stdout.split("\n").filter((line) => line.trim() !== "");
    return lines.length > MAX_COMMAND_LINES ? [...lines.slice(0, MAX_COMMAND_LINES), `(+${lines.length - MAX_COMMAND_LINES} more)`] : lines;
  };
  const tun = host.files.stat("/dev/net/tun");
  const stateMount = findMount(readMounts(host.files), context.stateDir);
  const capEff = /^CapEff:\s*(\S+)/m.exec(read("/proc/self/status"))?.[1] ?? "unknown";
  const resolvers = [...read("/etc/resolv.conf").matchAll(/^nameserver\s+(\S+)/gm)].map((match) => match[1]).join(",") || "none";
  const daemonVersion = context.daemonVersion ?? "not started";
  const health = context.tail.filter((line) => /^health\(warnable=[^)]*\): error: /.test(line)).slice(-3);
  const tail = context.tail.slice(-MAX_TAIL_LINES);
  return [
    `=== tailscale supervisor ${severity}: ${failure.failureClass} ===`,
    `fix: ${failure.fix}`,
    `cause: ${failure.cause}`,
    ...(context.crashLine === undefined ? [] : [`crash: ${context.crashLine}`]),
    `versions: supervisor ${SUPERVISOR_VERSION}, tailscaled ${daemonVersion}; kernel ${read("/proc/sys/kernel/osrelease")}; arch ${(await command(["uname", "-m"]))[0] ?? "unknown"}`,
    `pid1: ${host.processes.selfPid === 1 ? "yes" : `no (pid ${host.processes.selfPid})`}; capabilities (CapEff): ${capEff}`,
    `mode: ${context.mode}; tun: ${tun.ok ? `${tun.value.kind} ${tun.value.rdev >> 8}:${tun.value.rdev & 0xff}` : tun.error.code}`,
    `forwarding: ipv4=${read("/proc/sys/net/ipv4/ip_forward")} ipv6=${read("/proc/sys/net/ipv6/conf/all/forwarding")}`,
    `state dir: ${context.stateDir} on ${stateMount === undefined ? "unknown" : `${stateMount.fsType} (${stateMount.mountPoint})`}`,
    `resolvers: ${resolvers}`,
    "ip route:",
    ...(await command(["ip", "route"])).map((line) => `  ${line}`),
    "ip rule:",
    ...(await command(["ip", "rule"])).map((line) => `  ${line}`),
    ...(health.length > 0 ? ["health:", ...health.map((line) => `  ${line}`)] : []),
    `last ${tail.length} tailscaled lines:`,
    ...tail.map((line) => `  ${line}`),
    "=== end of diagnostics ===",
  ];
}

/** Logs the failure in one line and prints the block (plain text: it is read in the RouterOS log). */
export async function reportFailure(context: DiagnosticsContext, log: Logger, failure: Failure): Promise<void> {
  const lines = await buildDiagnostics(context, failure);
  log.error("diagnostics", { failure: failure.failureClass, fix: failure.fix });
  context.host.output.stderr(`${lines.join("\n")}\n`);
}

/** The same block as a warning: the supervisor goes on after it. */
export async function reportWarning(context: DiagnosticsContext, log: Logger, failure: Failure): Promise<void> {
  const lines = await buildDiagnostics(context, failure, "warning");
  log.warn("diagnostics", { warning: failure.failureClass, fix: failure.fix });
  context.host.output.stderr(`${lines.join("\n")}\n`);
}

// Preflight check ids → failure classes.
const CHECK_CLASSES: Readonly<Record<string, FailureClass>> = {
  tun: "tun",
  mode: "tun",
  capabilities: "permissions",
  firewall: "firewall",
  "firewall-links": "firewall",
  forwarding: "forwarding",
  "return-routes": "forwarding",
  "state-dir": "permissions",
};

/** The failure class of a failed preflight check. */
export function classifyCheck(id: string): FailureClass {
  return CHECK_CLASSES[id] ?? "config";
}

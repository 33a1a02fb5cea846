// What the diagnostics block says, as data: the failure, the machine, the network, tailscaled's last lines.
import type { Host } from "../../host.ts";
import type { CommandRunner } from "../../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../../process/command-timeouts.ts";
import { isSuccess } from "../../process/exit-status.ts";
import { findMissingCapabilities, probeCapabilities } from "../../preflight/networking/capabilities.ts";
import type { SystemFacts } from "../../startup/system-facts.ts";
import { findMount, readMounts } from "../../system/mountinfo.ts";
import type { DiagnosticsSeverity, Failure } from "./failure-classes.ts";
import { selectLastLines, selectNotableBefore } from "./explaining-lines.ts";

/** What the supervisor knows that the system cannot tell. */
export interface DiagnosticsFacts {
  readonly host: Pick<Host, "files" | "processes">;
  readonly commands: CommandRunner;
  readonly system: SystemFacts;
  readonly stateDir: string;
  readonly mode: string;
  readonly tail: readonly string[];
  /** tailscaled's notable lines (explaining-lines.ts), however long ago. */
  readonly notable?: readonly string[];
  /** tailscaled's version as its first line said, when it got that far. */
  readonly daemonVersion?: string;
  /** The first line of the crash that ended tailscaled's last run (a long trace pushes it out of `tail`). */
  readonly crashLine?: string;
}

/** The block's content; the plain block and the JSON line are both made from it. */
export interface DiagnosticsReport {
  readonly severity: DiagnosticsSeverity;
  readonly failure: Failure;
  readonly crash: string | undefined;
  readonly versions: { readonly supervisor: string; readonly tailscaled: string; readonly kernel: string; readonly arch: string };
  readonly pid: number;
  readonly capabilities: string;
  readonly mode: string;
  readonly tun: string;
  readonly forwarding: { readonly ipv4: string; readonly ipv6: string };
  readonly stateDir: string;
  readonly resolvers: readonly string[];
  readonly ipRoute: readonly string[];
  readonly ipRule: readonly string[];
  readonly health: readonly string[];
  readonly notableLines: readonly string[];
  readonly tailscaledLines: readonly string[];
}

const MAX_COMMAND_LINES = 4;
const MAX_HEALTH_LINES = 3;

/** Reads the files and runs `ip route`, `ip rule` (each within its time limit). */
export async function collectDiagnostics(facts: DiagnosticsFacts, failure: Failure, severity: DiagnosticsSeverity): Promise<DiagnosticsReport> {
  const { host } = facts;
  const read = (path: string): string => {
    const text = host.files.readText(path);
    return text.ok ? text.value.trim() : "unreadable";
  };
  const tun = host.files.stat("/dev/net/tun");
  const stateMount = findMount(readMounts(host.files), facts.stateDir);
  const [ipRoute, ipRule] = [await runIp(facts.commands, ["route"]), await runIp(facts.commands, ["rule"])];
  const last = selectLastLines(facts.tail);
  return {
    severity,
    failure,
    crash: facts.crashLine,
    versions: { supervisor: facts.system.version, tailscaled: facts.daemonVersion ?? "not started", kernel: facts.system.kernel, arch: facts.system.arch },
    pid: host.processes.selfPid,
    capabilities: describeCapabilities(host.files),
    mode: facts.mode,
    tun: tun.ok ? `${tun.value.kind} ${tun.value.rdev >> 8}:${tun.value.rdev & 0xff}` : tun.error.code,
    forwarding: { ipv4: read("/proc/sys/net/ipv4/ip_forward"), ipv6: read("/proc/sys/net/ipv6/conf/all/forwarding") },
    stateDir: `${facts.stateDir} on ${stateMount === undefined ? "unknown" : `${stateMount.fsType} (${stateMount.mountPoint})`}`,
    resolvers: [...read("/etc/resolv.conf").matchAll(/^nameserver\s+(\S+)/gm)].flatMap((match) => (match[1] === undefined ? [] : [match[1]])),
    ipRoute,
    ipRule,
    health: facts.tail.filter((line) => /^health\(warnable=[^)]*\): error: /.test(line)).slice(-MAX_HEALTH_LINES),
    notableLines: selectNotableBefore(facts.notable ?? [], last),
    tailscaledLines: last,
  };
}

/** `NET_ADMIN, NET_RAW effective` or what kernel mode misses, from the same probe preflight uses. */
function describeCapabilities(files: Host["files"]): string {
  const capabilities = probeCapabilities(files);
  if (capabilities.kind === "unknown") return `unknown (${capabilities.error})`;
  const missing = findMissingCapabilities(capabilities, false).map((capability) => capability.name);
  return `${capabilities.effective.length} effective; ${missing.length === 0 ? "NET_ADMIN and NET_RAW among them" : `missing ${missing.join(", ")}`}`;
}

/** `ip <args>`: its first lines (tabs as spaces), or why there are none. */
async function runIp(commands: CommandRunner, args: readonly string[]): Promise<string[]> {
  const label = ["ip", ...args].join(" ");
  const result = await commands.run(["ip", ...args], { label, timeoutMs: COMMAND_TIMEOUTS.ip.ms });
  if (!result.ok) return [`(${result.error})`];
  if (!isSuccess(result.value.status)) return [`(${label} failed: ${result.value.stderr.trim().split("\n")[0] ?? ""})`];
  const lines = result.value.stdout.split("\n").filter((line) => line.trim() !== "").map((line) => line.replace(/\t/g, " "));
  return lines.length > MAX_COMMAND_LINES ? [...lines.slice(0, MAX_COMMAND_LINES), `(+${lines.length - MAX_COMMAND_LINES} more)`] : lines;
}

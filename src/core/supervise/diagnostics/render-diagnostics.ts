// The diagnostics block as plain lines for the RouterOS log (at most ~40, printable ASCII), and as fields of one JSON log line.
import { escapeToAscii } from "../../text/ascii.ts";
import type { DiagnosticsReport } from "./collect-diagnostics.ts";

/** The block, from `=== tailscale supervisor failure: <class> ===` to `=== end of diagnostics ===`. */
export function renderPlainBlock(report: DiagnosticsReport): string[] {
  const { versions, failure } = report;
  const indented = (lines: readonly string[]): string[] => lines.map((line) => `  ${line}`);
  const lines = [
    `=== tailscale supervisor ${report.severity}: ${failure.failureClass} ===`,
    `fix: ${failure.fix}`,
    `cause: ${failure.cause}`,
    ...(report.crash === undefined ? [] : [`crash: ${report.crash}`]),
    `versions: supervisor ${versions.supervisor}, tailscaled ${versions.tailscaled}; kernel ${versions.kernel}; arch ${versions.arch}`,
    `pid1: ${report.pid === 1 ? "yes" : `no (pid ${report.pid})`}; capabilities: ${report.capabilities}`,
    `mode: ${report.mode}; tun: ${report.tun}`,
    `forwarding: ipv4=${report.forwarding.ipv4} ipv6=${report.forwarding.ipv6}`,
    `state dir: ${report.stateDir}`,
    `resolvers: ${report.resolvers.length === 0 ? "none" : report.resolvers.join(",")}`,
    "ip route:",
    ...indented(report.ipRoute),
    "ip rule:",
    ...indented(report.ipRule),
    ...(report.health.length > 0 ? ["health:", ...indented(report.health)] : []),
    ...(report.notableLines.length > 0 ? ["tailscaled's notable lines before it:", ...indented(report.notableLines)] : []),
    `tailscaled's last ${report.tailscaledLines.length} lines:`,
    ...indented(report.tailscaledLines),
    "=== end of diagnostics ===",
  ];
  // Tabs (a Go trace's file lines) as spaces; any other control character escaped.
  return lines.map((line) => escapeToAscii(line.replace(/\t/g, "  ")));
}

/**
 * The fields of the one JSON line that holds the whole block (LOG_FORMAT=json): the class under
 * `failure` or `warning`, then `fix`, `cause`, `crash`, and the facts under their own keys.
 */
export function toJsonFields(report: DiagnosticsReport): Record<string, unknown> {
  return {
    [report.severity]: report.failure.failureClass,
    fix: report.failure.fix,
    cause: report.failure.cause,
    crash: report.crash,
    versions: report.versions,
    pid1: report.pid === 1,
    capabilities: report.capabilities,
    mode: report.mode,
    tun: report.tun,
    forwarding: report.forwarding,
    stateDir: report.stateDir,
    resolvers: report.resolvers,
    ipRoute: report.ipRoute,
    ipRule: report.ipRule,
    health: report.health,
    notableLines: report.notableLines,
    tailscaledLines: report.tailscaledLines,
  };
}

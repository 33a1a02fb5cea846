// `doctor`'s live section: one check per fact of the running node, each OK/WARN/FAIL with the fix.
// A list others add to: each entry reads the facts and gives its lines (none when it has nothing to say).
import type { Config } from "../config/config.ts";
import { formatDuration } from "../text/duration.ts";
import { TRAFFIC_STOPPING_WARNABLES } from "../supervise/state/health-warnings.ts";
import { APPROVE_IN_CONSOLE, APPROVE_IN_HEADSCALE, LOGIN_FIX, MACHINE_FIX, SELF_HOSTED_APPROVALS } from "../supervise/state/health-checks.ts";
import type { RecordedStatus } from "../supervise/state/status-file.ts";
import type { NetcheckFacts } from "./netcheck-report.ts";
import type { NodeFacts } from "./tailscale-status.ts";

/** One line of the live section. */
export interface LiveCheck {
  readonly id: string;
  readonly status: "ok" | "warn" | "fail";
  readonly what: string;
  readonly fix?: string;
}

/** What the checks read: the supervisor's record, `tailscale status --json`, `tailscale netcheck` (each may be missing, with why). */
export interface LiveFacts {
  readonly nowMs: number;
  readonly config: Config;
  readonly status: RecordedStatus | undefined;
  readonly node: NodeFacts | { readonly error: string };
  readonly netcheck: NetcheckFacts | { readonly error: string };
}

/** A check: its lines from the facts. */
export type LiveCheckRule = (facts: LiveFacts) => readonly LiveCheck[];

const check = (id: string, status: LiveCheck["status"], what: string, fix?: string): LiveCheck => (fix === undefined ? { id, status, what } : { id, status, what, fix });
const nodeOf = (facts: LiveFacts): NodeFacts | undefined => ("error" in facts.node ? undefined : facts.node);
const ago = (facts: LiveFacts, ms: number | undefined): string => (ms === undefined ? "unknown" : `${formatDuration(facts.nowMs - ms)} ago`);
const LOGS = "the log says why (`qjs /supervisor.mjs logs` has all of it)";
const approveFix = (config: Config): string => (config.loginServer === undefined ? APPROVE_IN_CONSOLE : APPROVE_IN_HEADSCALE);

function checkState(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  if (node === undefined) return [check("state", "fail", `no answer from tailscaled: ${"error" in facts.node ? facts.node.error : ""}`, LOGS)];
  const since = facts.status?.state === "Running" ? ` for ${formatDuration(facts.nowMs - (facts.status.runningSinceMs ?? facts.status.sinceMs))}` : "";
  if (node.backendState === "Running") return [check("state", "ok", `Running${since}`)];
  if (node.backendState === "NeedsLogin") return [check("state", "fail", "NeedsLogin: logged out", LOGIN_FIX)];
  if (node.backendState === "NeedsMachineAuth") return [check("state", "fail", "NeedsMachineAuth: waiting for the machine's approval", MACHINE_FIX)];
  return [check("state", "warn", `${node.backendState}: not Running yet`, LOGS)];
}

function checkAddresses(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  if (node === undefined) return [];
  if (node.ips.length === 0) return [check("addresses", "fail", "no tailnet address yet", LOGS)];
  return [check("addresses", "ok", `${node.ips.join(", ")}${node.dnsName === "" ? "" : ` (${node.dnsName})`}`)];
}

function checkRoutes(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  const advertised = facts.config.routes?.map((route) => route.text) ?? [];
  if (node === undefined) return [];
  if (advertised.length === 0) return [check("routes", "ok", "none advertised")];
  const pending = advertised.filter((route) => !node.granted.includes(route));
  if (pending.length === 0) return [check("routes", "ok", `advertised and approved: ${advertised.join(", ")}`)];
  const approved = advertised.filter((route) => node.granted.includes(route));
  const known = facts.config.loginServer === undefined ? "" : ` (as this node last heard: ${SELF_HOSTED_APPROVALS})`;
  return [check("routes", "warn", `advertised, not approved: ${pending.join(", ")}${approved.length > 0 ? `; approved: ${approved.join(", ")}` : ""}${known}`, approveFix(facts.config))];
}

function checkExitNode(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  if (node === undefined) return [];
  const lines: LiveCheck[] = [];
  if (facts.config.advertiseExitNode) {
    const approved = node.granted.includes("0.0.0.0/0") || node.granted.includes("::/0");
    lines.push(approved ? check("exit-node", "ok", "offered and approved") : check("exit-node", "warn", "offered, not approved (0.0.0.0/0, ::/0)", approveFix(facts.config)));
  }
  if (node.exitNode !== undefined) {
    const via = node.exitNode.ips.join(", ");
    lines.push(node.exitNode.online ? check("exit-node", "ok", `using exit node ${via}`) : check("exit-node", "fail", `using exit node ${via}, offline: no internet traffic passes`, "bring it back, or remove --exit-node"));
  }
  return lines.length > 0 ? lines : [check("exit-node", "ok", "neither offered nor used")];
}

function checkDerp(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  const netcheck = "error" in facts.netcheck ? undefined : facts.netcheck;
  const latency = netcheck?.latencyMs === undefined ? "" : ` (${netcheck.latencyMs.toFixed(1)} ms)`;
  if (node !== undefined && node.relay !== "") return [check("derp", "ok", `home relay ${node.relay}${netcheck !== undefined && netcheck.preferredDerp > 0 ? `, region ${netcheck.preferredDerp}${latency}` : ""}`)];
  if (netcheck !== undefined && netcheck.preferredDerp > 0) return [check("derp", "ok", `nearest relay region ${netcheck.preferredDerp}${latency}`)];
  return [check("derp", "warn", "no DERP relay reachable: peers without a direct path are not either", "allow TCP 443 and UDP 3478 out to the relays")];
}

function checkUdp(facts: LiveFacts): LiveCheck[] {
  if ("error" in facts.netcheck) return [check("udp", "warn", `netcheck did not answer: ${facts.netcheck.error}`)];
  if (facts.netcheck.udp) return [check("udp", "ok", "UDP works: direct connections are possible")];
  return [check("udp", "warn", "UDP blocked: peers only through a relay (slower)", `allow UDP out; for connections in, forward UDP ${facts.config.port === 0 ? "TS_PORT (set one)" : facts.config.port} to the container`)];
}

function checkPeers(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  if (node === undefined) return [];
  const online = node.peers.filter((peer) => peer.online);
  if (node.peers.length === 0) return [check("peers", "ok", "no other nodes in the tailnet")];
  const direct = online.filter((peer) => peer.direct).length;
  return [check("peers", online.length === 0 ? "warn" : "ok", `${online.length} of ${node.peers.length} online, ${direct} direct`)];
}

function checkControl(facts: LiveFacts): LiveCheck[] {
  const trouble = facts.status?.controlTrouble;
  if (trouble !== undefined) return [check("control", "warn", `unreachable for ${formatDuration(facts.nowMs - trouble.sinceMs)} (${trouble.troubleClass}): ${trouble.message}; tunnels stay up`, "the supervisor's warning in the log has the fix")];
  const lost = facts.status?.health?.find((warning) => warning.warnable === "mapresponse-timeout" || warning.warnable === "not-in-map-poll");
  if (lost !== undefined) return [check("control", "warn", lost.message)];
  if (facts.status === undefined) return [];
  return [check("control", "ok", `in contact, last answer ${ago(facts, facts.status.lastControlContactMs)}`)];
}

function checkHealth(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  const recorded = facts.status?.health ?? [];
  const messages = node?.health ?? recorded.map((warning) => warning.message);
  if (messages.length === 0) return [check("tailscaled-health", "ok", "no warnings")];
  return messages.map((message) => {
    const stopsTraffic = recorded.some((warning) => warning.message === message && TRAFFIC_STOPPING_WARNABLES.includes(warning.warnable));
    return check("tailscaled-health", stopsTraffic ? "fail" : "warn", message);
  });
}

function checkSupervisor(facts: LiveFacts): LiveCheck[] {
  const status = facts.status;
  if (status === undefined) return [check("supervisor", "warn", "no status recorded (tailscaled not started by the supervisor?)")];
  const restarts = status.restarts ?? 0;
  return [check("supervisor", restarts > 0 ? "warn" : "ok", `up ${formatDuration(facts.nowMs - (status.startedAtMs ?? status.sinceMs))}; tailscaled restarted ${restarts} times${status.tailscaledVersion === undefined ? "" : `; tailscaled ${status.tailscaledVersion}`}`, restarts > 0 ? LOGS : undefined)];
}

/** The checks, in the order printed. Add a rule here to add a line to `doctor`. */
export const LIVE_CHECKS: readonly LiveCheckRule[] = [checkState, checkAddresses, checkRoutes, checkExitNode, checkDerp, checkUdp, checkPeers, checkControl, checkHealth, checkSupervisor];

/** Every rule's lines. */
export function runLiveChecks(facts: LiveFacts): LiveCheck[] {
  return LIVE_CHECKS.flatMap((rule) => rule(facts));
}

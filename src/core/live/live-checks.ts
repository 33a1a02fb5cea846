// `doctor`'s live section: one check per fact of the running node, each OK/WARN/FAIL with the fix.
// A list others add to: each entry reads the facts and gives its lines (none when it has nothing to say).
import type { Config } from "../config/config.ts";
import { formatDuration } from "../text/duration.ts";
import { TRAFFIC_STOPPING_WARNABLES } from "../supervise/state/health-warnings.ts";
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
const approveFix = (config: Config, what: string): string => (config.loginServer === undefined ? `approve ${what} in the admin console (Machines > Edit route settings)` : `headscale nodes approve-routes --identifier NODE_ID --routes ...  (${what})`);

function checkState(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  if (node === undefined) return [check("state", "fail", `no answer from tailscaled: ${"error" in facts.node ? facts.node.error : ""}`, "see the supervisor's log (`qjs /supervisor.mjs logs`)")];
  const since = facts.status?.state === "Running" ? ` for ${formatDuration(facts.nowMs - (facts.status.runningSinceMs ?? facts.status.sinceMs))}` : "";
  if (node.backendState === "Running") return [check("state", "ok", `Running${since}`)];
  if (node.backendState === "NeedsLogin") return [check("state", "fail", "NeedsLogin: logged out", "open the login URL in the log, or set TS_AUTHKEY")];
  if (node.backendState === "NeedsMachineAuth") return [check("state", "fail", "NeedsMachineAuth: waiting for the machine's approval", "approve the machine (admin console, or Headscale)")];
  return [check("state", "warn", `${node.backendState}: not Running yet`, "wait, or read the log")];
}

function checkAddresses(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  if (node === undefined) return [];
  if (node.ips.length === 0) return [check("addresses", "fail", "no tailnet address yet", "wait for Running")];
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
  return [check("routes", "warn", `advertised, not approved: ${pending.join(", ")}${approved.length > 0 ? `; approved: ${approved.join(", ")}` : ""}`, approveFix(facts.config, pending.join(",")))];
}

function checkExitNode(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  if (node === undefined) return [];
  const lines: LiveCheck[] = [];
  if (facts.config.advertiseExitNode) {
    const approved = node.granted.includes("0.0.0.0/0") || node.granted.includes("::/0");
    lines.push(approved ? check("exit-node", "ok", "offered and approved") : check("exit-node", "warn", "offered, not approved", approveFix(facts.config, "0.0.0.0/0,::/0")));
  }
  if (node.exitNode !== undefined) {
    const via = node.exitNode.ips.join(", ");
    lines.push(node.exitNode.online ? check("exit-node", "ok", `using exit node ${via}`) : check("exit-node", "fail", `using exit node ${via}, which is offline: no internet traffic passes`, "bring the exit node back, or remove --exit-node"));
  }
  return lines.length > 0 ? lines : [check("exit-node", "ok", "neither offered nor used")];
}

function checkDerp(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  const netcheck = "error" in facts.netcheck ? undefined : facts.netcheck;
  const latency = netcheck?.latencyMs === undefined ? "" : ` (${netcheck.latencyMs.toFixed(1)} ms)`;
  if (node !== undefined && node.relay !== "") return [check("derp", "ok", `home relay ${node.relay}${netcheck !== undefined && netcheck.preferredDerp > 0 ? `, region ${netcheck.preferredDerp}${latency}` : ""}`)];
  if (netcheck !== undefined && netcheck.preferredDerp > 0) return [check("derp", "ok", `nearest relay region ${netcheck.preferredDerp}${latency}`)];
  return [check("derp", "warn", "no DERP relay reachable: peers without a direct path cannot be reached", "allow HTTPS (TCP 443) and STUN (UDP 3478) out to the relays (Headscale: its DERP server)")];
}

function checkUdp(facts: LiveFacts): LiveCheck[] {
  if ("error" in facts.netcheck) return [check("udp", "warn", `netcheck did not answer: ${facts.netcheck.error}`)];
  if (facts.netcheck.udp) return [check("udp", "ok", "UDP works: direct connections to peers are possible")];
  return [check("udp", "warn", "UDP is blocked: every peer only through a DERP relay (slower)", `allow UDP out from the container; for direct connections in, forward UDP ${facts.config.port} to it`)];
}

function checkPeers(facts: LiveFacts): LiveCheck[] {
  const node = nodeOf(facts);
  if (node === undefined) return [];
  const online = node.peers.filter((peer) => peer.online);
  if (node.peers.length === 0) return [check("peers", "ok", "no other nodes in the tailnet")];
  const direct = online.filter((peer) => peer.direct).length;
  return [check("peers", online.length === 0 ? "warn" : "ok", `${online.length} of ${node.peers.length} online; ${direct} direct, the others through a relay or idle`)];
}

function checkControl(facts: LiveFacts): LiveCheck[] {
  const trouble = facts.status?.controlTrouble;
  if (trouble !== undefined) return [check("control", "warn", `trouble reaching the control server for ${formatDuration(facts.nowMs - trouble.sinceMs)} (${trouble.troubleClass}): ${trouble.message}; the node keeps its tunnels`, "see the supervisor's warning in the log for the fix")];
  const lost = facts.status?.health?.find((warning) => warning.warnable === "mapresponse-timeout" || warning.warnable === "not-in-map-poll");
  if (lost !== undefined) return [check("control", "warn", lost.message)];
  if (facts.status === undefined) return [];
  return [check("control", "ok", `in contact; last answer ${ago(facts, facts.status.lastControlContactMs)}`)];
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
  if (status === undefined) return [check("supervisor", "warn", "no status recorded by the supervisor (tailscaled was not started by it?)")];
  const restarts = status.restarts ?? 0;
  return [check("supervisor", restarts > 0 ? "warn" : "ok", `up ${formatDuration(facts.nowMs - (status.startedAtMs ?? status.sinceMs))}; tailscaled restarted ${restarts} times${status.tailscaledVersion === undefined ? "" : `; tailscaled ${status.tailscaledVersion}`}`, restarts > 0 ? "the log says why (`tailscaled exited, restarting`)" : undefined)];
}

/** The checks, in the order printed. Add a rule here to add a line to `doctor`. */
export const LIVE_CHECKS: readonly LiveCheckRule[] = [checkState, checkAddresses, checkRoutes, checkExitNode, checkDerp, checkUdp, checkPeers, checkControl, checkHealth, checkSupervisor];

/** Every rule's lines. */
export function runLiveChecks(facts: LiveFacts): LiveCheck[] {
  return LIVE_CHECKS.flatMap((rule) => rule(facts));
}

// What `health` checks, from the status the supervisor records (status-file.ts; no CLI exec): healthy
// only when the node is Running and nothing the user must act on is pending.
import { formatDuration } from "../../text/duration.ts";
import { TRAFFIC_STOPPING_WARNABLES } from "./health-warnings.ts";
import type { RecordedStatus } from "./status-file.ts";

/** Routes or an exit node offered but not approved this long after Running: someone has to approve them. */
export const APPROVAL_GRACE_MS = 10 * 60_000;
/** The control server away this long: the node keeps its tunnels, but peers' changes no longer reach it. */
export const CONTROL_TROUBLE_GRACE_MS = 60 * 60_000;

/** Fixes `health` and `doctor` share. */
export const LOGIN_FIX = "open the login URL in the log, or set TS_AUTHKEY";
export const MACHINE_FIX = "approve the machine (admin console, or Headscale)";
export const APPROVE_IN_CONSOLE = "approve in the admin console (Machines > Edit route settings)";
export const APPROVE_IN_HEADSCALE = "headscale nodes approve-routes --identifier NODE_ID --routes ...";
const SEE_LOG = "the supervisor's warning in the log has the fix";
/** Why a node of a self-hosted control server may show approved routes as pending. */
export const SELF_HOSTED_APPROVALS = "a self-hosted control server such as Headscale 0.29 tells a node of an approval only when it reconnects: headscale nodes list-routes shows it";

/** One line of `health --explain`. */
export interface HealthCheck {
  readonly id: "supervisor" | "state" | "tailscaled-health" | "forwarding" | "routes" | "exit-node" | "control";
  readonly ok: boolean;
  readonly what: string;
  readonly fix?: string;
}

/** The status and the time every check reads. */
interface Judged {
  readonly status: RecordedStatus;
  readonly nowMs: number;
  readonly age: (sinceMs: number | undefined) => string;
}

/** Every check, in order; healthy when all are ok. Without a status (or its supervisor gone), that one check. */
export function judgeHealth(status: RecordedStatus | undefined, supervisorAlive: boolean, nowMs: number): HealthCheck[] {
  if (status === undefined) return [{ id: "supervisor", ok: false, what: "no recorded state", fix: "is the supervisor running in this container?" }];
  if (!supervisorAlive) return [{ id: "supervisor", ok: false, what: `the supervisor that recorded the state (pid ${status.supervisorPid}) is gone`, fix: "restart the container" }];
  const judged: Judged = { status, nowMs, age: (sinceMs) => formatDuration(Math.max(0, nowMs - (sinceMs ?? nowMs))) };
  const supervisor: HealthCheck = { id: "supervisor", ok: true, what: `up ${judged.age(status.startedAtMs ?? status.sinceMs)}, tailscaled restarted ${status.restarts ?? 0} times` };
  return [supervisor, judgeState(judged), judgeWarnings(judged), judgeForwarding(judged), judgeRoutes(judged), judgeExitNode(judged), judgeControl(judged)];
}

/** Running, or why not: starting, past the boot timeout, waiting for a human, failed. */
function judgeState({ status, age }: Judged): HealthCheck {
  const state = status.state;
  if (state === "Running") return { id: "state", ok: true, what: `Running for ${age(status.runningSinceMs ?? status.sinceMs)}` };
  if (state === "Failed") return { id: "state", ok: false, what: "the supervisor failed and is ending", fix: "read the diagnostics block in the log" };
  if (status.waitingFor === "login") return { id: "state", ok: false, what: `${state}: waiting for a login for ${age(status.sinceMs)}`, fix: LOGIN_FIX };
  if (status.waitingFor === "approval") return { id: "state", ok: false, what: `${state}: waiting for the machine's approval for ${age(status.sinceMs)}`, fix: MACHINE_FIX };
  const timeout = status.bootTimeoutMs === undefined ? "TS_BOOT_TIMEOUT" : `TS_BOOT_TIMEOUT ${formatDuration(status.bootTimeoutMs)}`;
  if (status.bootTimedOut === true) return { id: "state", ok: false, what: `${state} for ${age(status.sinceMs)}, not Running past ${timeout}`, fix: "read the diagnostics warning in the log" };
  return { id: "state", ok: false, what: `${state} for ${age(status.sinceMs)}: starting (within ${timeout})` };
}

/** tailscaled's health warnings of the kinds that stop traffic. */
function judgeWarnings({ status, age }: Judged): HealthCheck {
  const active = status.health ?? [];
  const stopping = active.filter((warning) => TRAFFIC_STOPPING_WARNABLES.includes(warning.warnable));
  if (stopping.length > 0) return { id: "tailscaled-health", ok: false, what: stopping.map((warning) => `${warning.warnable} for ${age(warning.sinceMs)}: ${warning.message}`).join("; "), fix: "tailscaled's health line in the log; `doctor`" };
  const others = active.length > 0 ? ` (${active.map((warning) => warning.warnable).join(", ")} active)` : "";
  return { id: "tailscaled-health", ok: true, what: `no warning that stops traffic${others}` };
}

function judgeForwarding({ status }: Judged): HealthCheck {
  if (status.forwardingBlocked === undefined) return { id: "forwarding", ok: true, what: "routed traffic can pass" };
  return { id: "forwarding", ok: false, what: status.forwardingBlocked, fix: "Docker: --sysctl net.ipv4.ip_forward=1" };
}

/** Past the approval's grace: Running for longer than APPROVAL_GRACE_MS. */
function isApprovalOverdue({ status, nowMs }: Judged): boolean {
  return status.state === "Running" && nowMs - (status.runningSinceMs ?? nowMs) > APPROVAL_GRACE_MS;
}

function judgeRoutes(judged: Judged): HealthCheck {
  const routes = judged.status.routes;
  if (routes === undefined || routes.advertised.length === 0) return { id: "routes", ok: true, what: "none advertised" };
  if (routes.pending.length === 0) return { id: "routes", ok: true, what: `approved: ${routes.approved.join(", ")}` };
  if (routes.approvalsSeen === false) return { id: "routes", ok: true, what: `${routes.pending.join(", ")} not approved when the node last heard (${SELF_HOSTED_APPROVALS})` };
  const overdue = isApprovalOverdue(judged);
  return { id: "routes", ok: !overdue, what: `${routes.pending.join(", ")} advertised, not approved ${overdue ? `for ${judged.age(judged.status.runningSinceMs)}` : "yet"}`, fix: `${APPROVE_IN_CONSOLE}, or ${APPROVE_IN_HEADSCALE}` };
}

function judgeExitNode(judged: Judged): HealthCheck {
  const exitNode = judged.status.exitNode;
  if (exitNode?.offered !== true) return { id: "exit-node", ok: true, what: "not offered" };
  if (exitNode.approved !== false) return { id: "exit-node", ok: true, what: "offered" };
  if (judged.status.routes?.approvalsSeen === false) return { id: "exit-node", ok: true, what: `offered, not approved when the node last heard (${SELF_HOSTED_APPROVALS})` };
  const overdue = isApprovalOverdue(judged);
  return { id: "exit-node", ok: !overdue, what: `offered, not approved ${overdue ? `for ${judged.age(judged.status.runningSinceMs)}` : "yet"}`, fix: `${APPROVE_IN_CONSOLE}, or ${APPROVE_IN_HEADSCALE}` };
}

function judgeControl({ status, nowMs, age }: Judged): HealthCheck {
  const trouble = status.controlTrouble;
  if (trouble === undefined) return { id: "control", ok: true, what: "no trouble reaching the control server" };
  return { id: "control", ok: nowMs - trouble.sinceMs <= CONTROL_TROUBLE_GRACE_MS, what: `${trouble.troubleClass} for ${age(trouble.sinceMs)}: ${trouble.message}`, fix: SEE_LOG };
}

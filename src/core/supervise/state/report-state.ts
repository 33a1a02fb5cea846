// Telling the user where tailscaled is: the login URL, the approval step, the Running summary; recording it for `health`.
// (RUNNING_SCRIPT is not run from here: the supervisor runs it after the summary, hooks.ts.)
import type { Config } from "../../config/config.ts";
import type { FilesPort } from "../../host.ts";
import type { Logger } from "../../log/logger.ts";
import type { CommandRunner } from "../../process/command-runner.ts";
import { fetchRunningSummary, type ApprovalWatch } from "./approval-check.ts";
import { findBlockedForwarding } from "../../preflight/forwarding.ts";
import type { ForwardingNeeds } from "../../preflight/forwarding.ts";
import type { RecordedStatus, StatusRecorder } from "./status-file.ts";
import type { BackendState } from "../tailscaled/tailscaled-events.ts";
import type { LanRouting } from "../../lan/lan-routing.ts";
import { readLanStatus } from "../../lan/lan-status.ts";
import { describeLanFields } from "../../lan/running-fields.ts";

/** The recorded state, and whether the supervisor waits for a human (login URL, approval). */
export interface StateReporter {
  record(state: RecordedStatus["state"]): void;
  current(): RecordedStatus["state"];
  isWaitingForUser(): boolean;
  setWaitingForUser(waiting: RecordedStatus["waitingFor"]): void;
}

/** A reporter keeping the state in the recorded status (status-file.ts). */
export function createStateReporter(recorder: StatusRecorder, now: () => number): StateReporter {
  return {
    record(next) {
      if (next === recorder.current().state) return;
      const running = next === "Running";
      recorder.update({ state: next, sinceMs: now(), ...(running ? { runningSinceMs: now(), bootTimedOut: false } : { runningSinceMs: undefined }) });
    },
    current: () => recorder.current().state,
    isWaitingForUser: () => recorder.current().waitingFor !== undefined,
    setWaitingForUser(waitingFor) {
      recorder.update({ waitingFor });
    },
  };
}

/** What `reportState` needs of the supervisor. */
export interface ReportContext {
  readonly log: Logger;
  readonly config: Config;
  readonly commands: CommandRunner;
  readonly files: FilesPort;
  readonly reporter: StateReporter;
  readonly daemonEnv: Readonly<Record<string, string>>;
  readonly describeMode: string;
  /** What routed traffic needs of the kernel (none in userspace networking). */
  readonly forwardingNeeds: ForwardingNeeds;
  /** The LAN's rules (masquerade, return routes' policy rules), put in place at each Running. */
  readonly lan?: LanRouting;
  /** Records routes and exit node, and asks again while they wait for approval. */
  readonly approvals: ApprovalWatch;
}

/**
 * Logs a state change once, in the words a router admin needs. Entering Running: resolves once the
 * summary line is logged (undefined for any other change).
 */
export function reportState(context: ReportContext, change: { kind: "state"; to: BackendState } | { kind: "auth-url"; url: string }): Promise<void> | undefined {
  const { log, config, reporter } = context;
  if (change.kind === "auth-url") {
    reporter.setWaitingForUser("login");
    log.warn("LOGIN REQUIRED: open this URL to add the node to your tailnet", { url: change.url, fix: "or set TS_AUTHKEY to log in without a browser" });
    return undefined;
  }
  const previous = reporter.current();
  reporter.record(change.to);
  if (change.to === previous) return undefined;
  reporter.setWaitingForUser(change.to === "NeedsMachineAuth" ? "approval" : undefined);
  if (change.to === "NeedsMachineAuth") {
    const step = config.loginServer === undefined ? "approve the machine in the Tailscale admin console (Machines)" : "approve it on the Headscale server: headscale nodes list, then headscale nodes register/approve as your version requires";
    log.warn("the node waits for approval", { fix: step });
  } else if (change.to === "Running") {
    return summarizeRunning(context);
  } else if (previous === "Running") {
    context.approvals.stop();
    log.warn("tailscale left Running", { state: change.to });
  }
  return undefined;
}

async function summarizeRunning(context: ReportContext): Promise<void> {
  const { log, config } = context;
  const advertised = config.routes?.map((route) => route.text) ?? [];
  const status = await fetchRunningSummary(context);
  if (status === "stopped") return;
  const summary = status.summary;
  if (status.error !== undefined) log.warn("no status for the Running line", { error: status.error });
  const lanStatus = status.json === undefined ? undefined : readLanStatus(status.json);
  const lanState = await context.lan?.onRunning(lanStatus?.tailnetIps);
  if (context.commands.stopping) return;
  const lanFields = describeLanFields({ advertiseExitNode: config.advertiseExitNode, status: lanStatus, masquerade: lanState?.masquerade, kernel: context.lan?.kernel ?? false });
  // The routes are advertised, but the kernel forwards nothing: say so on the Running line itself.
  const blocked = findBlockedForwarding(context.files, context.forwardingNeeds);
  const running = blocked === undefined ? log.info : log.warn;
  running(blocked === undefined ? "tailscale is running" : advertised.length > 0 ? "tailscale is running, but no subnet traffic can pass" : "tailscale is running, but no exit-node traffic can pass", {
    ips: summary?.ips,
    hostname: summary?.dnsName || summary?.hostname,
    routes: advertised.length === 0 ? "none" : advertised,
    approved: summary === undefined || advertised.length === 0 ? undefined : summary.approvedRoutes.length === 0 ? "none" : summary.approvedRoutes,
    pending: summary === undefined || summary.pendingRoutes.length === 0 ? undefined : summary.pendingRoutes,
    ...lanFields,
    mode: context.describeMode,
    forwarding: blocked?.what,
    fix: blocked?.fix,
  });
  if (summary !== undefined && summary.pendingRoutes.length > 0) {
    const fix = config.loginServer === undefined ? "approve the routes in the admin console (Machines > Edit route settings)" : "headscale nodes approve-routes --identifier NODE_ID --routes ROUTES";
    log.warn("advertised routes are not approved yet", { routes: summary.pendingRoutes, fix });
  }
  // tailscaled's health warnings are logged as they appear (tailscaled/quiet-filter.ts), not again here.
  context.approvals.noteSummary(summary, blocked?.what);
}

// Advertised routes and an offered exit node wait for someone to approve them. The Running summary
// records what `tailscale status` says; while anything waits, the supervisor asks again (after 30 s,
// 1, 2, 4, 8, 16 min, then every 30 min: one CLI exec each, only while something waits), records it
// for `health` and `doctor`, and says once when it was approved. (Headscale 0.29 tells a node of an
// approval only at its next map session: see RecordedRoutes.approvalsSeen.)
import type { Config } from "../../config/config.ts";
import type { ClockPort, TimerHandle } from "../../host.ts";
import type { Logger } from "../../log/logger.ts";
import type { CommandRunner } from "../../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../../process/command-timeouts.ts";
import { summarizeStatus, type RunningSummary } from "./running-summary.ts";
import type { StatusRecorder } from "./status-file.ts";

/** Waits between the checks; the last one repeats. */
export const APPROVAL_CHECK_DELAYS_MS: readonly number[] = [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000];

/** What a status query needs. */
export interface StatusQuery {
  readonly config: Config;
  readonly commands: CommandRunner;
  readonly daemonEnv: Readonly<Record<string, string>>;
}

/** `tailscale status --json --peers=false` read into a summary; "stopped" when a stop ended it. */
export async function fetchRunningSummary(query: StatusQuery): Promise<{ summary: RunningSummary | undefined; json?: string; error?: string } | "stopped"> {
  const { config } = query;
  const advertised = config.routes?.map((route) => route.text) ?? [];
  const status = await query.commands.run(["tailscale", `--socket=${config.socket}`, "status", "--json", "--peers=false"], { label: "tailscale status", timeoutMs: COMMAND_TIMEOUTS.status.ms, env: query.daemonEnv, maxOutputBytes: 1024 * 1024 });
  if (!status.ok) return status.reason === "stopped" ? "stopped" : { summary: undefined, error: status.error };
  return { summary: summarizeStatus(status.value.stdout, advertised), json: status.value.stdout };
}

/** Follows approvals after Running. */
export interface ApprovalWatch {
  /** A summary at Running (undefined: none could be read): recorded, and re-checked while something waits. */
  noteSummary(summary: RunningSummary | undefined, forwardingBlocked: string | undefined): void;
  /** No more checks (tailscaled left Running, or the supervisor stops). */
  stop(): void;
}

/** What the watch works with. */
export interface ApprovalDeps extends StatusQuery {
  readonly clock: ClockPort;
  readonly log: Logger;
  readonly recorder: StatusRecorder;
}

/** Creates the watch. */
export function createApprovalWatch(deps: ApprovalDeps): ApprovalWatch {
  const { clock, recorder, config } = deps;
  const advertised = config.routes?.map((route) => route.text) ?? [];
  let timer: TimerHandle | undefined;
  let checks = 0;
  let generation = 0;
  const waits = (summary: RunningSummary): boolean => summary.pendingRoutes.length > 0 || (config.advertiseExitNode && !summary.exitNodeApproved);
  const record = (summary: RunningSummary): void => {
    recorder.update({ routes: { advertised, approved: summary.approvedRoutes, pending: summary.pendingRoutes, checkedAtMs: clock.now(), approvalsSeen: config.loginServer === undefined }, exitNode: config.advertiseExitNode ? { offered: true, approved: summary.exitNodeApproved } : { offered: false } });
  };
  const schedule = (current: number): void => {
    const delay = APPROVAL_CHECK_DELAYS_MS[Math.min(checks, APPROVAL_CHECK_DELAYS_MS.length - 1)] ?? 300_000;
    checks += 1;
    timer = clock.setTimeout(() => void check(current), delay);
  };
  const check = async (current: number): Promise<void> => {
    timer = undefined;
    const before = recorder.current();
    const fetched = await fetchRunningSummary(deps);
    if (fetched === "stopped" || current !== generation) return;
    const summary = fetched.summary;
    if (summary === undefined) return schedule(current);
    record(summary);
    const approved = (before.routes?.pending ?? []).filter((route) => summary.approvedRoutes.includes(route));
    if (approved.length > 0) deps.log.info("advertised routes approved", { routes: approved });
    if (before.exitNode?.approved === false && summary.exitNodeApproved) deps.log.info("exit node approved");
    if (waits(summary)) schedule(current);
  };
  const stop = (): void => {
    generation += 1;
    checks = 0;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  return {
    noteSummary(summary, forwardingBlocked) {
      stop();
      recorder.update({ forwardingBlocked });
      if (summary === undefined) return;
      record(summary);
      if (waits(summary)) schedule(generation);
    },
    stop,
  };
}

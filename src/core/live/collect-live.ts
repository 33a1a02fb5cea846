// `doctor`'s live section: is tailscaled running here, and if so what the supervisor recorded, what
// `tailscale status --json` and `tailscale netcheck` say (both at once, each within its time limit;
// each exec of the compressed binary costs seconds on a router, so only here, never in `health`).
import type { Config } from "../config/config.ts";
import type { Host } from "../host.ts";
import type { CaptureResult, CommandRunner } from "../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../process/command-timeouts.ts";
import { isSuccess } from "../process/exit-status.ts";
import { locateRuntimeDir } from "../supervise/state/runtime-dir.ts";
import { readStatus } from "../supervise/state/status-file.ts";
import { runLiveChecks, type LiveCheck, type LiveFacts } from "./live-checks.ts";
import { parseNetcheck } from "./netcheck-report.ts";
import { parseNodeStatus } from "./tailscale-status.ts";

/** The live section: the checks, or why there are none. */
export type LiveSection = { readonly running: false; readonly reason: string } | { readonly running: true; readonly checks: readonly LiveCheck[]; readonly facts: LiveFacts };

/** Reads the running node; `running: false` when there is no tailscaled socket. */
export async function collectLive(host: Host, config: Config, commands: CommandRunner): Promise<LiveSection> {
  const status = readStatus(host.files, locateRuntimeDir(host.files).path);
  const socket = host.files.stat(config.socket);
  if (!socket.ok || socket.value.kind !== "socket") {
    const recorded = status === undefined ? "" : `; the supervisor recorded ${status.state}`;
    return { running: false, reason: `tailscaled is not running here (no socket at ${config.socket}${recorded})` };
  }
  const cli = (args: readonly string[], label: string, timeoutMs: number): Promise<CaptureResult> => commands.run(["tailscale", `--socket=${config.socket}`, ...args], { label, timeoutMs, maxOutputBytes: 4 * 1024 * 1024 });
  const [statusRun, netcheckRun] = await Promise.all([cli(["status", "--json"], "tailscale status", COMMAND_TIMEOUTS.status.ms), cli(["netcheck", "--format=json"], "tailscale netcheck", COMMAND_TIMEOUTS.netcheck.ms)]);
  const facts: LiveFacts = {
    nowMs: host.clock.now(),
    config,
    status,
    node: readOutput(statusRun, parseNodeStatus),
    netcheck: readOutput(netcheckRun, parseNetcheck),
  };
  return { running: true, checks: runLiveChecks(facts), facts };
}

/** A command's parsed stdout, or why there is none. */
function readOutput<T>(result: CaptureResult, parse: (text: string) => T | undefined): T | { readonly error: string } {
  if (!result.ok) return { error: result.error };
  if (!isSuccess(result.value.status)) return { error: result.value.stderr.trim().split("\n").at(-1) ?? "failed" };
  return parse(result.value.stdout) ?? { error: "unexpected output" };
}

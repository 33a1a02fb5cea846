// Any other arguments: run `tailscale <args>` as the old image did (`docker run IMAGE status`).
import type { Host } from "../host.ts";
import { SIGNAL } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import { EXIT_CODE, type Outcome } from "../outcome.ts";
import { exitCodeOf } from "../process/exit-status.ts";
import { startReaper } from "../process/reaper.ts";

// Signals a user may send to the container while the CLI runs; passed on to it.
const FORWARDED_SIGNALS = [SIGNAL.HUP, SIGNAL.INT, SIGNAL.TERM, SIGNAL.USR1, SIGNAL.USR2];

/** Where the CLI runs: the socket when TS_SOCKET is set, and its environment (config/secrets/child-environments.ts). */
export interface TailscaleRun {
  readonly socket: string | undefined;
  readonly env: Readonly<Record<string, string>>;
}

/** Runs the tailscale CLI with the user's arguments and exits with its code. */
export async function runTailscaleCommand(host: Host, args: readonly string[], run: TailscaleRun, log: Logger): Promise<Outcome> {
  const reaper = startReaper(host);
  const argv = ["tailscale", ...(run.socket === undefined ? [] : [`--socket=${run.socket}`]), ...args];
  log.debug("running tailscale", { argv });
  const started = reaper.spawn(argv, { env: run.env });
  if (!started.ok) {
    reaper.stop();
    log.error("cannot start tailscale", { error: started.error.message, fix: "check that tailscale is on PATH" });
    return { exitCode: EXIT_CODE.notFound };
  }
  for (const signal of FORWARDED_SIGNALS) host.signals.on(signal, () => host.processes.kill(started.value.pid, signal));
  const status = await started.value.exited;
  reaper.stop();
  const exitCode = exitCodeOf(status);
  if (exitCode === EXIT_CODE.notFound) log.error("tailscale could not be run", { exitCode, fix: "check that tailscale is on PATH" });
  return { exitCode };
}

// How `doctor` and the supervisor begin with a valid configuration: the reaper, the command runner,
// and the first log line (the machine).
import type { Config } from "../config/config.ts";
import type { Host } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import type { Redactor } from "../log/redact.ts";
import { readSystemFacts, type SystemFacts } from "./system-facts.ts";
import { createCommandRunner, type CommandRunner } from "../process/command-runner.ts";
import { startReaper, type Reaper } from "../process/reaper.ts";
import type { StopRequest } from "../process/stop-request.ts";
import { findOnPath } from "../system/path-lookup.ts";

/** The reaper and runner every child goes through, and the machine as logged. */
export interface CommandsStarted {
  readonly reaper: Reaper;
  readonly commands: CommandRunner;
  readonly system: SystemFacts;
}

/** What the runner gives its commands: the environment of those that name none (the probes'), and the redactor of their output. */
export interface RunnerChildren {
  readonly env: Readonly<Record<string, string>>;
  readonly redactor: Redactor;
}

/**
 * Starts reaping and the runner, then logs version, architecture, kernel and PID 1 as the first
 * line (before the configuration's warnings): what a failed import or a wrong architecture needs.
 */
export async function startCommands(host: Host, config: Config, stop: StopRequest, log: Logger, children: RunnerChildren): Promise<CommandsStarted> {
  const reaper = startReaper(host);
  const sessionWrapper = findOnPath(host.files, host.env["PATH"], "setsid") === undefined ? undefined : ["setsid"];
  const commands = createCommandRunner(host, reaper, { stop, stopGraceMs: config.stopGrace, sessionWrapper, defaultEnv: children.env, redactor: children.redactor });
  const system = await readSystemFacts(host, commands);
  log.child("preflight").info("system", { version: system.version, arch: system.arch, kernel: system.kernel, pid1: system.pid1 });
  return { reaper, commands, system };
}

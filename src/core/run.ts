// Runs the command the arguments ask for and returns its outcome; the entry maps it to an exit.
import { describeOptions, parseCommandLine } from "./cli.ts";
import { runConfigCommand } from "./commands/config-command.ts";
import { runDoctorCommand } from "./commands/doctor-command.ts";
import { runTailscaleCommand } from "./commands/tailscale-command.ts";
import { loadConfig } from "./config/load-config.ts";
import { readLogSettings } from "./config/log-settings.ts";
import { reportConfigLoad } from "./config/report/report-config.ts";
import type { Host, OutputPort } from "./host.ts";
import { createLogger, type Logger } from "./log/logger.ts";
import { createRedactingOutput, createRedactor, type Redactor } from "./log/redact.ts";
import { buildChildEnvironments } from "./config/secrets/child-environments.ts";
import { EXIT_CODE, type Outcome } from "./outcome.ts";
import { runHealthCommand } from "./commands/health-command.ts";
import { runLogsCommand } from "./commands/logs-command.ts";
import { runSuperviseCommand } from "./commands/supervise-command.ts";
import { SIGNAL } from "./host.ts";
import { createMailbox, type Mailbox } from "./supervise/loop/mailbox.ts";
import type { SupervisorEvent } from "./supervise/loop/events.ts";
import { createStopRequest, STOP_SIGNALS, type StopRequest } from "./process/stop-request.ts";

/** Runs the supervisor's command line against a host. Every output goes through the redactor. */
export async function runCli(host: Host): Promise<Outcome> {
  const redactor = createRedactor();
  const output = createRedactingOutput(host.output, redactor);
  const { format, level } = readLogSettings(host.env);
  const log = createLogger({ format, level, component: "supervisor", write: output.stderr, now: () => host.clock.now() });
  try {
    return await runCommand(host, log, output, redactor);
  } catch (error) {
    // An exception is a defect, not an expected outcome: log it once (redacted) and fail.
    log.error("unexpected failure", { error: error instanceof Error ? error.message : String(error) });
    return { exitCode: EXIT_CODE.failure };
  }
}

async function runCommand(host: Host, log: Logger, output: OutputPort, redactor: Redactor): Promise<Outcome> {
  const command = parseCommandLine(host.argv);
  const stdout = output.stdout;
  if (command.kind === "unknown-option") {
    // A supervisor command never passes a word it does not know to tailscale: refused before anything runs.
    log.error("unknown option", { command: command.command, options: command.unknown.join(" "), fix: describeOptions(command.command) });
    return { exitCode: EXIT_CODE.config };
  }
  // A PID 1 drops signals it has no handler for: install them before anything slow.
  const mailbox = createMailbox<SupervisorEvent>();
  const stop = createStopRequest();
  if (command.kind === "supervise") listenForSignals(host, mailbox, stop);
  if (command.kind === "doctor" || command.kind === "logs") listenForStop(host, stop);
  const load = loadConfig(host.env, host.files);
  for (const secret of load.secrets) redactor.addSecret(secret);

  if (command.kind === "tailscale") {
    const socket = load.ok && load.config.sources.socket.state === "set" ? load.config.socket : undefined;
    return runTailscaleCommand(host, command.args, { socket, env: buildChildEnvironments(host.env, load.secrets).tailscale }, log);
  }
  // Health checks run every few seconds: answer from the recorded state, quietly.
  if (command.kind === "health") return runHealthCommand(host, log.child("health"), { explain: command.explain, stdout });
  if (command.kind === "logs") return runLogsCommand(host, command.args, { log, stdout, stop });
  if (command.kind === "config") {
    reportConfigLoad(log.child("config"), load);
    return runConfigCommand(load, stdout, { json: command.json });
  }
  if (command.kind === "doctor") return runDoctorCommand(host, load, command.args, { log, stdout, stop, redactor });
  // Signals that came while the configuration was read are delivered from the event loop: let them
  // in, so a stop request during start-up is seen before anything is started.
  if (load.ok) await yieldToEventLoop(host);
  return runSuperviseCommand(host, load, { log, stderr: output.stderr, mailbox, stop, redactor });
}

function yieldToEventLoop(host: Host): Promise<void> {
  return new Promise((resolve) => host.clock.setTimeout(resolve, 0));
}

// Passed on to tailscaled once it runs; CHLD belongs to the reaper.
const FORWARDED_SIGNALS = [SIGNAL.HUP, SIGNAL.USR1, SIGNAL.USR2];

function listenForSignals(host: Host, mailbox: Mailbox<SupervisorEvent>, stop: StopRequest): void {
  listenForStop(host, stop, (signal) => mailbox.push({ kind: "signal", signal }));
  for (const signal of FORWARDED_SIGNALS) host.signals.on(signal, () => mailbox.push({ kind: "signal", signal }));
}

/** A stop signal makes the stop request (every phase sees it at once) and, for the supervisor loop, an event. */
function listenForStop(host: Host, stop: StopRequest, onSignal: (signal: number) => void = () => undefined): void {
  for (const signal of STOP_SIGNALS) {
    host.signals.on(signal, () => {
      stop.request(signal, host.clock.now());
      onSignal(signal);
    });
  }
}

// The supervision loop: run tailscaled, follow its states, log in, restart with backoff, stop on request.
import type { ExitStatus, Host, TimerHandle } from "../host.ts";
import { SIGNAL } from "../host.ts";
import { EXIT_CODE, exitCodeForSignal, type Outcome } from "../outcome.ts";
import { captureCommand } from "../process/capture-command.ts";
import { classifyControlError } from "./control-errors.ts";
import { createControlWatch, type ControlWatch } from "./control-watch.ts";
import { startDaemon, type Daemon } from "./daemon.ts";
import { reportFailure, reportWarning, type DiagnosticsContext, type Failure } from "./diagnostics.ts";
import { describeBootTimeout, describeGiveUp, describeStatus } from "./failures.ts";
import type { SupervisorEvent } from "./events.ts";
import type { CliCall, LoginPhase } from "./login-plan.ts";
import { reportState, type ReportContext } from "./report-state.ts";
import { explainRefusal } from "./login-errors.ts";
import type { TailscaledEvent } from "./tailscaled-events.ts";
import type { Mailbox } from "./mailbox.ts";
import { decideRestart, EMPTY_HISTORY, type RestartHistory, type RestartPolicy } from "./restart-policy.ts";
import { signalDaemon, stopDaemon } from "./stop-daemon.ts";
import { lookUpOnPath } from "../system/path-lookup.ts";

/** Everything the loop needs, decided before tailscaled first starts. */
export interface SupervisorSetup extends ReportContext {
  readonly host: Host;
  readonly mailbox: Mailbox<SupervisorEvent>;
  readonly daemonArgv: readonly string[];
  readonly daemonEnv: Readonly<Record<string, string>>;
  readonly useSetsid: boolean;
  /** The CLI call to make when tailscaled first reports it is logged out / logged in; undefined: none. */
  readonly loginCommand: (phase: LoginPhase) => CliCall | undefined;
  readonly bootTimeoutMs: number;
  /** TS_EXIT_ON_BOOT_TIMEOUT: fail at the boot deadline instead of warning once and waiting on. */
  readonly exitOnBootTimeout: boolean;
  readonly stopGraceMs: number;
  readonly restartPolicy: RestartPolicy;
  readonly verbose: boolean;
}

/** Signals forwarded to tailscaled's process group; TERM/INT/QUIT stop everything instead. */
const FORWARDED = [SIGNAL.HUP, SIGNAL.USR1, SIGNAL.USR2];
const STOPPING = [SIGNAL.TERM, SIGNAL.INT, SIGNAL.QUIT];

/**
 * Runs until a stop signal (exit 0) or a permanent failure (diagnostics, exit non-zero): a refused
 * key, tailscaled dying too often, or (with TS_EXIT_ON_BOOT_TIMEOUT) the boot deadline. Trouble
 * reaching the control server is never one: tailscaled keeps trying, the supervisor warns.
 */
export async function superviseTailscaled(setup: SupervisorSetup): Promise<Outcome> {
  const { host, log, mailbox } = setup;
  const daemonLog = log.child("tailscaled");
  const tail: string[] = [];
  const helpers: number[] = [];
  let generation = 0;
  let daemon: Daemon | undefined;
  let history: RestartHistory = EMPTY_HISTORY;
  let bootTimer: TimerHandle | undefined;
  let loginStarted = false;
  let permanentExit: number | undefined;
  let daemonVersion = "unknown";
  let bootWarned = false;
  const headscale = setup.config.loginServer !== undefined;
  const watch = createControlWatch(host.clock, log, headscale, () => mailbox.push({ kind: "trouble-check" }));
  const diagnostics = (): DiagnosticsContext => ({ host, reaper: setup.reaper, stateDir: setup.config.stateDir, mode: setup.describeMode, tail, daemonVersion });

  const start = (): Failure | undefined => {
    // Checked here rather than left to exec: `setsid` (busybox) would hide the shell's 126/127.
    const found = lookUpOnPath(host.files, host.env["PATH"], setup.daemonArgv[0] ?? "tailscaled");
    if (found.kind !== "found") {
      permanentExit = found.kind === "missing" ? 127 : 126;
      const cause = found.kind === "missing" ? "tailscaled is not on PATH" : `${found.path} is not executable`;
      return { failureClass: "daemon-crash", cause, fix: "use an image with tailscaled in /usr/local/bin, or fix PATH / the file's mode" };
    }
    generation += 1;
    const current = generation;
    loginStarted = false;
    const started = startDaemon(setup.reaper, daemonLog, {
      argv: setup.daemonArgv,
      env: setup.daemonEnv,
      useSetsid: setup.useSetsid,
      verbose: setup.verbose,
      nowMs: host.clock.now(),
      tail,
      onEvent: (event) => mailbox.push({ kind: "daemon-event", generation: current, event }),
      shouldLog: (line) => watch.shouldLog(line),
    });
    if (!started.ok) return { failureClass: "daemon-crash", cause: `tailscaled could not be started: ${started.error}`, fix: "check that tailscaled is on PATH" };
    daemon = started.daemon;
    void started.daemon.exited.then((status) => mailbox.push({ kind: "daemon-exit", generation: current, status }));
    log.info("tailscaled started", { pid: started.daemon.pid, generation: current });
    if (bootTimer !== undefined) host.clock.clearTimeout(bootTimer);
    bootTimer = host.clock.setTimeout(() => mailbox.push({ kind: "boot-deadline", generation: current }), setup.bootTimeoutMs);
    return undefined;
  };
  const runCli = (command: "up" | "login", args: readonly string[]): void => {
    const current = generation;
    log.info("running tailscale", { command });
    void captureCommand(setup.reaper, ["tailscale", ...args], setup.daemonEnv).then((result) => mailbox.push({ kind: "cli-exit", generation: current, command, result }));
  };
  const stopAll = async (): Promise<ExitStatus | undefined> => {
    if (bootTimer !== undefined) host.clock.clearTimeout(bootTimer);
    watch.stop();
    for (const pid of helpers) host.processes.kill(pid, SIGNAL.TERM);
    if (daemon === undefined) return undefined;
    const stopped = await stopDaemon(host, daemon, setup.stopGraceMs);
    daemon = undefined;
    log.info("tailscaled stopped", { killed: stopped.killed });
    return stopped.status;
  };
  const fail = async (failure: Failure, exitCode: number): Promise<Outcome> => {
    await stopAll();
    setup.reporter.record("Failed");
    await reportFailure(diagnostics(), log, failure);
    return { exitCode };
  };

  // A stop requested during preflight: do not start what would only be stopped.
  if (mailbox.take((event) => event.kind === "signal" && STOPPING.includes(event.signal as 15)) !== undefined) {
    log.info("stopping before tailscaled started");
    return { exitCode: EXIT_CODE.ok };
  }
  const startFailure = start();
  if (startFailure !== undefined) return fail(startFailure, permanentExit ?? EXIT_CODE.failure);
  for (;;) {
    const event = await mailbox.next();
    if (event.kind === "signal") {
      if (STOPPING.includes(event.signal as 15)) {
        log.info("stopping", { signal: event.signal });
        await stopAll();
        setup.reporter.record("Stopped");
        return { exitCode: EXIT_CODE.ok };
      }
      if (daemon !== undefined && FORWARDED.includes(event.signal as 1)) signalDaemon(host, daemon, event.signal);
      continue;
    }
    if (event.kind === "trouble-check") {
      watch.onCheckDue();
      continue;
    }
    if (event.kind === "restart-due") {
      const failure = start();
      if (failure !== undefined) return fail(failure, permanentExit ?? EXIT_CODE.failure);
      continue;
    }
    if ("generation" in event && event.generation !== generation) continue;
    if (event.kind === "boot-deadline") {
      if (setup.reporter.current() === "Running" || setup.reporter.isWaitingForUser()) continue;
      const timeout = describeBootTimeout(watch.current(), setup.reporter.current(), setup.bootTimeoutMs, headscale, setup.exitOnBootTimeout);
      if (setup.exitOnBootTimeout) return fail(timeout, EXIT_CODE.failure);
      // Once per supervisor: a router that restarts nothing must not lose its node over a late WAN.
      if (!bootWarned) await reportWarning(diagnostics(), log, timeout);
      bootWarned = true;
      continue;
    }
    if (event.kind === "daemon-exit") {
      const startedAtMs = daemon?.startedAtMs ?? host.clock.now();
      daemon = undefined;
      const decision = decideRestart(setup.restartPolicy, history, event.status, startedAtMs, host.clock.now());
      const code = event.status.kind === "exited" ? event.status.code : exitCodeForSignal(event.status.signal);
      setup.reporter.record("Stopped");
      if (decision.kind === "give-up") {
        return fail(describeGiveUp(decision, event.status, setup.restartPolicy.windowMs), code === 0 ? EXIT_CODE.failure : code);
      }
      history = decision.history;
      log.warn("tailscaled exited, restarting", { status: describeStatus(event.status), restartInMs: decision.delayMs, lastLine: tail[tail.length - 1] });
      host.clock.setTimeout(() => mailbox.push({ kind: "restart-due" }), decision.delayMs);
      continue;
    }
    if (event.kind === "cli-exit") {
      handleCliExit(setup, event);
      continue;
    }
    const tailscaledEvent = event.event;
    if (tailscaledEvent.kind === "control-error") {
      const verdict = classifyControlError(tailscaledEvent.message);
      if (verdict.kind === "refusal") {
        const rejection = explainRefusal(verdict.refusal, verdict.words, headscale);
        return fail({ failureClass: "auth", cause: rejection.cause, fix: rejection.fix }, EXIT_CODE.failure);
      }
      if (verdict.kind === "trouble") watch.noteTrouble(verdict.troubleClass, tailscaledEvent.message);
      continue;
    }
    if (tailscaledEvent.kind === "login-ok" || tailscaledEvent.kind === "network-down" || tailscaledEvent.kind === "network-up") {
      noteHealth(watch, tailscaledEvent);
      continue;
    }
    if (tailscaledEvent.kind === "version") {
      daemonVersion = tailscaledEvent.version;
      continue;
    }
    if (tailscaledEvent.kind === "auth-url") {
      reportState(setup, { kind: "auth-url", url: tailscaledEvent.url });
      continue;
    }
    reportState(setup, { kind: "state", to: tailscaledEvent.to });
    // The first state of each run tells whether the saved state is logged in: only then is the key used.
    const phase: LoginPhase | undefined = tailscaledEvent.to === "NeedsLogin" ? "needs-login" : tailscaledEvent.to === "Starting" || tailscaledEvent.to === "Running" ? "logged-in" : undefined;
    if (phase !== undefined && !loginStarted) {
      loginStarted = true;
      const call = setup.loginCommand(phase);
      if (call !== undefined) runCli(call.command, call.args);
    }
  }
}

/** Health changes of tailscaled that start or end a trouble. */
function noteHealth(watch: ControlWatch, event: Extract<TailscaledEvent, { kind: "login-ok" | "network-down" | "network-up" }>): void {
  if (event.kind === "login-ok") watch.noteAnswered();
  else if (event.kind === "network-down") watch.noteTrouble("network-down", event.message);
  else watch.noteNetworkUp();
}

function handleCliExit(setup: SupervisorSetup, event: Extract<SupervisorEvent, { kind: "cli-exit" }>): void {
  const { result } = event;
  if (!result.ok) {
    setup.log.error("tailscale could not be run", { command: event.command, error: result.error });
    return;
  }
  const { status, stdout, stderr } = result.value;
  const code = status.kind === "exited" ? status.code : exitCodeForSignal(status.signal);
  if (code === 0) return;
  const output = `${stdout}\n${stderr}`.split("\n").filter((line) => line.trim() !== "").slice(-3).join(" | ");
  setup.log.warn("tailscale failed", { command: event.command, exitCode: code, output });
}

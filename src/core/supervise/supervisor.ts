// The supervision loop: run tailscaled, follow its states, log in, restart with backoff, stop on request.
import type { Host } from "../host.ts";
import type { Redactor } from "../log/redact.ts";
import { SIGNAL } from "../host.ts";
import { EXIT_CODE, type Outcome } from "../outcome.ts";
import { COMMAND_TIMEOUTS } from "../process/command-timeouts.ts";
import { describeExitStatus, exitCodeOnGivingUp } from "../process/exit-status.ts";
import type { Reaper } from "../process/reaper.ts";
import { STOP_SIGNALS } from "../process/stop-request.ts";
import { classifyControlError } from "./control/control-errors.ts";
import { createControlWatch, type ControlWatch } from "./control/control-watch.ts";
import { startDaemon, type Daemon } from "./tailscaled/daemon.ts";
import { reportFailure, reportWarning, type DiagnosticsContext, type Failure } from "./diagnostics/print-diagnostics.ts";
import { describeGiveUp, judgeBootDeadline } from "./diagnostics/describe-failure.ts";
import { reportCliExit } from "./login/cli-exit.ts";
import { createBootDeadline } from "./loop/boot-deadline.ts";
import { createRunningScript } from "./state/hooks.ts";
import type { SupervisorEvent } from "./loop/events.ts";
import type { LoginDriver } from "./login/login-driver.ts";
import { createRefusalChecks } from "./login/refusal-check.ts";
import type { CliCall } from "./login/login-plan.ts";
import { reportState, type ReportContext } from "./state/report-state.ts";
import { explainRefusal } from "./login/refused-key.ts";
import type { TailscaledEvent } from "./tailscaled/tailscaled-events.ts";
import type { Mailbox } from "./loop/mailbox.ts";
import { decideRestart, EMPTY_HISTORY, type RestartHistory, type RestartPolicy } from "./loop/restart-policy.ts";
import { forwardSignal, stopDaemon } from "./tailscaled/stop-daemon.ts";
import { lookUpOnPath } from "../system/path-lookup.ts";
import type { Logger } from "../log/logger.ts";
import type { TailscaledLogMode } from "../log/format-line.ts";
import { noteControlContact, recordTrouble } from "./state/status-notes.ts";
import { createHealthWarnings } from "./state/health-warnings.ts";
import type { StatusRecorder } from "./state/status-file.ts";
import { createQuietFilter } from "./tailscaled/quiet-filter.ts";

/** Everything the loop needs, decided before tailscaled first starts. */
export interface SupervisorSetup extends ReportContext {
  readonly host: Host;
  /** Starts tailscaled; the other commands go through `commands`. */
  readonly reaper: Reaper;
  /** What the diagnostics block needs besides tailscaled's lines. */
  readonly diagnostics: Omit<DiagnosticsContext, "tail" | "notable" | "daemonVersion" | "crashLine">;
  readonly mailbox: Mailbox<SupervisorEvent>;
  readonly daemonArgv: readonly string[];
  readonly daemonEnv: Readonly<Record<string, string>>;
  readonly useSetsid: boolean;
  /** The CLI calls tailscaled's states ask for (the login, the key's retirement). */
  readonly login: LoginDriver;
  readonly bootTimeoutMs: number;
  /** TS_EXIT_ON_BOOT_TIMEOUT: fail at the boot deadline instead of warning once and waiting on. */
  readonly exitOnBootTimeout: boolean;
  readonly stopGraceMs: number;
  readonly restartPolicy: RestartPolicy;
  readonly verbose: boolean;
  /** The hooks' environment: the container's, without the key. */
  readonly hookEnv: Readonly<Record<string, string>>;
  /** Redacts tailscaled's lines where they enter. */
  readonly redactor: Redactor;
  /** What `health` and `doctor` read (state/status-file.ts). */
  readonly recorder: StatusRecorder;
  /** Where tailscaled's lines that are not logged go: the log ring. */
  readonly quiet: Logger;
  /** TS_TAILSCALED_LOG. */
  readonly tailscaledLog: TailscaledLogMode;
  /** Said on the first `tailscaled started` line: the plan (mode, netfilter, ...) and the login path. */
  readonly firstStartFields?: Readonly<Record<string, unknown>>;
}

/** Signals forwarded to tailscaled; TERM/INT/QUIT stop everything instead. */
const FORWARDED: readonly number[] = [SIGNAL.HUP, SIGNAL.USR1, SIGNAL.USR2];

/**
 * Runs until a stop signal (exit 0) or a permanent failure (diagnostics, exit non-zero): a refused
 * key, tailscaled dying too often, or (with TS_EXIT_ON_BOOT_TIMEOUT) the boot deadline. Trouble
 * reaching the control server is never one: tailscaled keeps trying, the supervisor warns.
 */
export async function superviseTailscaled(setup: SupervisorSetup): Promise<Outcome> {
  const { host, log, mailbox } = setup;
  const daemonLog = log.child("tailscaled");
  const tail: string[] = [];
  const notable: string[] = [];
  let generation = 0;
  let daemon: Daemon | undefined;
  let history: RestartHistory = EMPTY_HISTORY;
  let permanentExit: number | undefined;
  let daemonVersion = "unknown";
  // The first line of the last crash (`panic: ...`) since tailscaled was last Running.
  let crashLine: string | undefined;
  let bootWarned = false;
  const headscale = setup.config.loginServer !== undefined;
  const { recorder } = setup;
  const watch = createControlWatch(host.clock, log, headscale, () => mailbox.push({ kind: "trouble-check" }), (trouble) => recordTrouble(recorder, trouble));
  const health = createHealthWarnings();
  const filter = createQuietFilter({ mode: setup.tailscaledLog, health, now: () => host.clock.now(), controlTroubled: () => watch.current() !== undefined, onHealthChange: () => recorder.update({ health: health.active() }) });
  const boot = createBootDeadline(host.clock, setup.bootTimeoutMs, (arming) => mailbox.push({ kind: "boot-deadline", arming }));
  const runningScript = setup.config.runningScript;
  const runRunningScript = createRunningScript(host.files, setup.commands, log, runningScript === undefined ? undefined : { variable: "RUNNING_SCRIPT", path: runningScript, env: setup.hookEnv, timeoutMs: setup.config.scriptTimeout });
  const refusals = createRefusalChecks({ commands: setup.commands, clock: host.clock, log, socket: setup.config.socket, env: setup.daemonEnv, report: (checked) => mailbox.push({ kind: "refusal-checked", generation: checked.generation, checked }) });
  const diagnostics = (): DiagnosticsContext => ({ ...setup.diagnostics, tail, notable, daemonVersion, ...(crashLine === undefined ? {} : { crashLine }) });

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
    setup.login.noteStart();
    filter.reset();
    const started = startDaemon(setup.reaper, daemonLog, {
      argv: setup.daemonArgv,
      env: setup.daemonEnv,
      useSetsid: setup.useSetsid,
      verbose: setup.verbose,
      clock: host.clock,
      tail,
      notable,
      onEvent: (event) => mailbox.push({ kind: "daemon-event", generation: current, event }),
      shouldLog: (line) => watch.shouldLog(line),
      redactor: setup.redactor,
      route: (line) => filter.route(line),
      quiet: setup.quiet,
    });
    if (!started.ok) return { failureClass: "daemon-crash", cause: `tailscaled could not be started: ${started.error}`, fix: "check that tailscaled is on PATH" };
    daemon = started.daemon;
    void started.daemon.exited.then((status) => mailbox.push({ kind: "daemon-exit", generation: current, status }));
    log.info("tailscaled started", { pid: started.daemon.pid, generation: current, ...(current === 1 ? setup.firstStartFields : {}) });
    boot.noteStart();
    return undefined;
  };
  const runCli = ({ command, args, stdin }: CliCall): void => {
    const current = generation;
    log.info("running tailscale", { command });
    const timeoutMs = command === "reload-config" ? COMMAND_TIMEOUTS.status.ms : COMMAND_TIMEOUTS.login.ms;
    const options = { label: `tailscale ${command}`, timeoutMs, env: setup.daemonEnv, ...(stdin === undefined ? {} : { stdin }) };
    void setup.commands.run(["tailscale", ...args], options).then((result) => mailbox.push({ kind: "cli-exit", generation: current, command, result }));
  };
  // tailscaled and every command still running (CLI calls, RUNNING_SCRIPT), all within the grace period.
  const stopAll = async (): Promise<void> => {
    boot.stop();
    watch.stop();
    setup.approvals.stop();
    const running = daemon;
    daemon = undefined;
    const [stopped] = await Promise.all([running === undefined ? undefined : stopDaemon(host, running, setup.stopGraceMs), setup.commands.endAll(setup.stopGraceMs)]);
    if (stopped !== undefined) log.info("tailscaled stopped", { killed: stopped.killed });
    // After tailscaled (whose own cleanup runs first): the LAN's rules are the supervisor's.
    await setup.lan?.remove();
  };
  const fail = async (failure: Failure, exitCode: number): Promise<Outcome> => {
    // The lines that led to the failure, not tailscaled's shutdown noise (which is logged anyway).
    const linesBeforeStop = [...tail];
    const notableBeforeStop = [...notable];
    await stopAll();
    setup.reporter.record("Failed");
    await reportFailure({ ...diagnostics(), tail: linesBeforeStop, notable: notableBeforeStop }, log, failure);
    return { exitCode };
  };

  const startFailure = start();
  if (startFailure !== undefined) return fail(startFailure, permanentExit ?? EXIT_CODE.failure);
  for (;;) {
    const event = await mailbox.next();
    if (event.kind === "signal") {
      if (STOP_SIGNALS.includes(event.signal)) {
        log.info("stopping", { signal: event.signal });
        await stopAll();
        setup.reporter.record("Stopped");
        return { exitCode: EXIT_CODE.ok };
      }
      if (daemon !== undefined && FORWARDED.includes(event.signal)) forwardSignal(host, daemon, event.signal);
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
    if (event.kind === "boot-deadline") {
      if (!boot.isCurrent(event.arming) || setup.reporter.current() === "Running" || setup.reporter.isWaitingForUser()) continue;
      const deadline = judgeBootDeadline({ deaths: boot.deaths(), daemonRunning: daemon !== undefined, trouble: watch.current(), state: setup.reporter.current(), timeoutMs: setup.bootTimeoutMs, headscale, exiting: setup.exitOnBootTimeout });
      if (setup.exitOnBootTimeout) return fail(deadline.failure, deadline.exitCode);
      // Once per supervisor: a router that restarts nothing must not lose its node over a late WAN.
      recorder.update({ bootTimedOut: true });
      if (!bootWarned) await reportWarning(diagnostics(), log, deadline.failure);
      bootWarned = true;
      continue;
    }
    if ("generation" in event && event.generation !== generation) continue;
    if (event.kind === "daemon-exit") {
      const startedAtMs = daemon?.startedAtMs ?? host.clock.now();
      crashLine = daemon?.crashLine() ?? crashLine;
      daemon = undefined;
      boot.noteDeath(event.status);
      const decision = decideRestart(setup.restartPolicy, history, event.status, startedAtMs, host.clock.now());
      setup.reporter.record("Stopped");
      recorder.update({ restarts: (recorder.current().restarts ?? 0) + 1 });
      if (decision.kind === "give-up") return fail(describeGiveUp(decision, event.status, setup.restartPolicy.windowMs), exitCodeOnGivingUp(event.status));
      history = decision.history;
      log.warn("tailscaled exited, restarting", { status: describeExitStatus(event.status), restartInMs: decision.delayMs, lastLine: crashLine ?? tail[tail.length - 1] });
      host.clock.setTimeout(() => mailbox.push({ kind: "restart-due" }), decision.delayMs);
      continue;
    }
    if (event.kind === "cli-exit") {
      reportCliExit(log, event.command, event.result);
      continue;
    }
    if (event.kind === "refusal-checked") {
      const { refusal, words, check } = event.checked;
      if (check.kind === "confirmed") {
        const rejection = explainRefusal(refusal, words, headscale);
        return fail({ failureClass: "auth", cause: rejection.cause, fix: rejection.fix }, EXIT_CODE.failure);
      }
      log.warn("tailscaled printed a refusal of the key, but its state does not confirm it: not stopping", { error: words, ...(check.kind === "unknown" ? { checkFailed: check.error } : { state: check.state }) });
      continue;
    }
    const tailscaledEvent = event.event;
    if (tailscaledEvent.kind === "control-error") {
      const verdict = classifyControlError(tailscaledEvent.message);
      // Confirmed by the LocalAPI before anything stops (login/refusal-check.ts).
      if (verdict.kind === "refusal") refusals.note(verdict.refusal, verdict.words, generation);
      if (verdict.kind === "trouble") watch.noteTrouble(verdict.troubleClass, tailscaledEvent.message);
      continue;
    }
    if (tailscaledEvent.kind === "login-ok" || tailscaledEvent.kind === "network-down" || tailscaledEvent.kind === "network-up") {
      noteHealth(watch, tailscaledEvent);
      if (tailscaledEvent.kind === "login-ok") noteControlContact(recorder, host.clock.now());
      continue;
    }
    if (tailscaledEvent.kind === "control-contact") {
      noteControlContact(recorder, host.clock.now());
      continue;
    }
    if (tailscaledEvent.kind === "version") {
      daemonVersion = tailscaledEvent.version;
      recorder.update({ tailscaledVersion: daemonVersion });
      continue;
    }
    if (tailscaledEvent.kind === "auth-url") {
      reportState(setup, { kind: "auth-url", url: tailscaledEvent.url });
      continue;
    }
    const summarized = reportState(setup, { kind: "state", to: tailscaledEvent.to });
    if (tailscaledEvent.to === "Running") {
      boot.noteRunning();
      crashLine = undefined;
      noteControlContact(recorder, host.clock.now());
    }
    // Running: the summary line first, then RUNNING_SCRIPT (once per supervisor).
    if (summarized !== undefined) void summarized.then(runRunningScript);
    for (const call of setup.login.onState(tailscaledEvent.to)) runCli(call);
  }
}

/** Health changes of tailscaled that start or end a trouble. */
function noteHealth(watch: ControlWatch, event: Extract<TailscaledEvent, { kind: "login-ok" | "network-down" | "network-up" }>): void {
  if (event.kind === "login-ok") watch.noteAnswered();
  else if (event.kind === "network-down") watch.noteTrouble("network-down", event.message);
  else watch.noteNetworkUp();
}

// No arguments: prepare (runtime dir, startup hook, preflight, key file, login plan), then supervise tailscaled.
import type { Config } from "../config/config.ts";
import type { ConfigLoad } from "../config/load-config.ts";
import { reportConfigLoad } from "../config/report/report-config.ts";
import type { Host } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import { EXIT_CODE, type Outcome } from "../outcome.ts";
import type { CommandRunner } from "../process/command-runner.ts";
import type { Reaper } from "../process/reaper.ts";
import type { StopRequest } from "../process/stop-request.ts";
import type { SystemFacts } from "../startup/system-facts.ts";
import { runHook } from "../supervise/state/hooks.ts";
import { createLoginDriver } from "../supervise/login/login-driver.ts";
import { prepareLogin } from "../supervise/login/login-files.ts";
import type { Mailbox } from "../supervise/loop/mailbox.ts";
import type { SupervisorEvent } from "../supervise/loop/events.ts";
import { createStateReporter } from "../supervise/state/report-state.ts";
import { createStatusRecorder } from "../supervise/state/status-file.ts";
import { createApprovalWatch } from "../supervise/state/approval-check.ts";
import { DEFAULT_RESTART_POLICY } from "../supervise/loop/restart-policy.ts";
import { locateRuntimeDir, prepareRuntimeDir, runtimeBinDir, type RuntimeDir } from "../supervise/state/runtime-dir.ts";
import { superviseTailscaled } from "../supervise/supervisor.ts";
import { buildTailscaledArgs, buildTailscaledEnv } from "../supervise/tailscaled/tailscaled-args.ts";
import { buildChildEnvironments, type ChildEnvironments } from "../config/secrets/child-environments.ts";
import type { Redactor } from "../log/redact.ts";
import { findOnPath } from "../system/path-lookup.ts";
import { describePlan, runPreflight } from "../preflight/run-preflight.ts";
import { findFailedCheck } from "../preflight/preflight-check.ts";
import { findForwardingNeeds } from "../preflight/forwarding.ts";
import { hasSavedLogin } from "../supervise/login/saved-login.ts";
import { classifyCheck, reportFailure, type DiagnosticsContext, type Failure } from "../supervise/diagnostics/print-diagnostics.ts";
import { startCommands } from "../startup/start-runner.ts";
import { planLan } from "../lan/lan-plan.ts";
import { createLanRouting } from "../lan/lan-routing.ts";
import { createCommandRunner } from "../process/command-runner.ts";
import { createStopRequest } from "../process/stop-request.ts";
import { createLogRing } from "../log/log-ring.ts";
import { createRingLoggers } from "../log/ring-loggers.ts";

const KEY_FILE_NAME = "authkey";

/** What the supervisor writes to and listens on; signals already go to `mailbox` and `stop`. */
export interface SuperviseIo {
  readonly log: Logger;
  /** stderr through the redactor, for the diagnostics block. */
  readonly stderr: (text: string) => void;
  readonly mailbox: Mailbox<SupervisorEvent>;
  readonly stop: StopRequest;
  /** Redacts what enters from children (tailscaled's lines, commands' output). */
  readonly redactor: Redactor;
}

/**
 * Runs the supervisor. An invalid configuration: its problems, exit 78, nothing run. Else the
 * machine on the first line, the configuration's warnings, then the phases.
 */
export async function runSuperviseCommand(host: Host, load: ConfigLoad, io: SuperviseIo): Promise<Outcome> {
  if (!load.ok) {
    reportConfigLoad(io.log.child("config"), load);
    return { exitCode: EXIT_CODE.config };
  }
  const config = load.config;
  const environments = buildChildEnvironments(host.env, load.secrets);
  const runtime = locateRuntimeDir(host.files);
  const runtimeProblem = prepareRuntimeDir(host.files, runtime);
  // The ring only in memory-backed storage: never on a router's flash.
  const ring = createLogRing({ files: host.files, clock: host.clock, dir: runtimeProblem === undefined && runtime.onTmpfs ? runtime.path : undefined, redact: (text) => io.redactor.redact(text) });
  const { log, quiet } = createRingLoggers({ format: config.logFormat, level: config.logLevel, now: () => host.clock.now(), print: io.stderr, ring });
  const ringIo: RingIo = { ...io, log, quiet, startedAtMs: host.clock.now() };
  const { reaper, commands, system } = await startCommands(host, config, io.stop, log, { redactor: io.redactor, env: environments.probe });
  try {
    reportConfigLoad(log.child("config"), load);
    if (runtimeProblem !== undefined) log.warn("no runtime directory", { problem: runtimeProblem });
    return await prepareAndSupervise(host, config, ringIo, { reaper, commands, system, runtime, environments, runtimeDir: runtimeProblem === undefined ? runtime.path : undefined });
  } finally {
    // Nothing the supervisor started outlives it: a stop request already ended what still runs.
    await commands.endAll(config.stopGrace);
    reaper.stop();
    // The key's copy lives on tmpfs, but it need not outlive the supervisor either.
    host.files.remove(`${runtime.path}/${KEY_FILE_NAME}`);
    ring.flush();
  }
}

/** The supervisor's io once the ring exists: `log` prints and keeps, `quiet` keeps only. */
interface RingIo extends SuperviseIo {
  readonly quiet: Logger;
  readonly startedAtMs: number;
}

/** What the phases share. */
interface Prepared {
  readonly reaper: Reaper;
  readonly commands: CommandRunner;
  readonly system: SystemFacts;
  readonly runtime: RuntimeDir;
  readonly environments: ChildEnvironments;
  /** The runtime directory, when it could be made. */
  readonly runtimeDir: string | undefined;
}

async function prepareAndSupervise(host: Host, config: Config, io: RingIo, prepared: Prepared): Promise<Outcome> {
  const { log, stop } = io;
  const { commands, runtime, environments } = prepared;
  // A stop request in any phase before tailscaled: nothing more is started, exit 0.
  const stopped = (phase: string): Outcome => {
    log.info("stopping before tailscaled started", { during: phase });
    return { exitCode: EXIT_CODE.ok };
  };
  const diagnostics = (mode: string): Omit<DiagnosticsContext, "tail"> => ({ host, commands, system: prepared.system, stateDir: config.stateDir, mode, format: config.logFormat, writeBlock: io.stderr });
  const failWith = async (failure: Failure, mode: string): Promise<Outcome> => {
    await reportFailure({ ...diagnostics(mode), tail: [] }, log, failure);
    return { exitCode: EXIT_CODE.failure };
  };
  if (stop.signal !== undefined) return stopped("start-up");
  const { runtimeDir } = prepared;
  // tailscaled's log config and buffers: on tmpfs when there is one, never on flash by choice.
  const logsDir = runtimeDir !== undefined && runtime.onTmpfs ? runtimeDir : config.stateDir;
  if (config.startupScript !== undefined) {
    const hook = await runHook(host.files, commands, log.child("hook"), { variable: "STARTUP_SCRIPT", path: config.startupScript, env: environments.hook, timeoutMs: config.scriptTimeout });
    if (hook.kind === "stopped") return stopped("STARTUP_SCRIPT");
    if (hook.kind === "failed" || hook.code !== 0) {
      const cause = `${hook.kind === "failed" ? hook.error : `STARTUP_SCRIPT ${config.startupScript} exited ${hook.code}`}; nothing was started`;
      return failWith({ failureClass: "hook", cause, fix: "fix the script (its output is above), or remove STARTUP_SCRIPT" }, "not started");
    }
  }
  if (stop.signal !== undefined) return stopped("STARTUP_SCRIPT");
  const preflight = await runPreflight(host, config, commands, log.child("preflight"), { apply: true, system: prepared.system, binDir: runtimeBinDir(runtime), firewallProbe: "enough", logPlan: false });
  if (stop.signal !== undefined) return stopped("preflight");
  const plan = preflight.plan;
  const describeMode = `${plan.userspace ? "userspace networking" : "kernel TUN"}, firewall ${plan.env["TS_DEBUG_FIREWALL_MODE"] ?? "default"}`;
  // A failed check stops here (preflight.canRun is false exactly then).
  const failed = findFailedCheck(preflight.checks);
  if (failed !== undefined) return failWith({ failureClass: classifyCheck(failed.id), cause: failed.what, fix: failed.fix ?? "run `doctor` for details" }, describeMode);
  const lanDecision = planLan(config, plan.userspace, preflight.facts.firewallChoice);
  if (lanDecision.kind === "refused") {
    // A setting this container cannot honour is a configuration error (exit 78), found only now.
    const { variable, value, problem, fix } = lanDecision;
    log.child("config").error("invalid setting", { variable, value, problem, fix });
    log.child("config").error("configuration invalid, nothing started", { problems: 1 });
    return { exitCode: EXIT_CODE.config };
  }
  const daemonEnv = buildTailscaledEnv(environments.tailscale, plan, logsDir);

  const login = prepareLogin(host.files, config, { runtimeDir, onTmpfs: runtime.onTmpfs, netfilterMode: plan.netfilterMode, savedLogin: hasSavedLogin(host.files, config.stateDir) });
  if (!login.ok) {
    const fix = "give the container a writable tmpfs on /run, or mount a key file and set TS_AUTHKEY=file:/path";
    return failWith({ failureClass: "permissions", cause: `${login.problem}; nothing was started`, fix }, describeMode);
  }
  const configFile = login.files.configFile;
  if (config.authKey !== undefined && !login.inputs.runtimeDirOnTmpfs && configFile === undefined) log.warn("no tmpfs for the key file; the key goes to tailscale up through a pipe", { fix: "mount a tmpfs on /run" });
  // On the first `tailscaled started` line: how it runs, and how it logs in.
  const firstStartFields = { ...describePlan(plan), ...(configFile === undefined ? { login: "tailscale up", loginReason: login.reason } : { login: "config file", configFile }) };

  const now = host.clock.now();
  const recorder = createStatusRecorder(host.files, runtimeDir, { supervisorPid: host.processes.selfPid, state: "NoState", sinceMs: now, startedAtMs: io.startedAtMs, bootTimeoutMs: config.bootTimeout, restarts: 0, mode: describeMode, exitNode: { offered: config.advertiseExitNode } });
  return superviseTailscaled({
    host,
    log,
    config,
    reaper: prepared.reaper,
    commands,
    mailbox: io.mailbox,
    files: host.files,
    diagnostics: diagnostics(describeMode),
    daemonArgv: buildTailscaledArgs(config, plan, configFile),
    daemonEnv,
    hookEnv: environments.hook,
    redactor: io.redactor,
    useSetsid: findOnPath(host.files, host.env["PATH"], "setsid") !== undefined,
    login: createLoginDriver(config, login.plan, login.inputs, login.files, log),
    reporter: createStateReporter(recorder, () => host.clock.now()),
    approvals: createApprovalWatch({ clock: host.clock, log, recorder, config, commands, daemonEnv }),
    recorder,
    quiet: io.quiet,
    tailscaledLog: config.tailscaledLog,
    bootTimeoutMs: config.bootTimeout,
    exitOnBootTimeout: config.exitOnBootTimeout,
    stopGraceMs: config.stopGrace,
    restartPolicy: { ...DEFAULT_RESTART_POLICY, maxDeaths: config.restartLimit },
    verbose: config.logLevel === "debug",
    describeMode,
    firstStartFields,
    forwardingNeeds: findForwardingNeeds(config, plan.userspace),
    // Its rules are removed at the stop, when the supervisor's runner no longer starts anything.
    lan: createLanRouting(lanDecision.plan, commands, createCommandRunner(host, prepared.reaper, { stop: createStopRequest(), stopGraceMs: 0, sessionWrapper: undefined, defaultEnv: environments.probe, redactor: io.redactor }), log.child("lan")),
  });
}

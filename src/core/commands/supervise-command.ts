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
import { chooseLoginCommand, planLogin, type LoginInputs } from "../supervise/login/login-plan.ts";
import type { Mailbox } from "../supervise/loop/mailbox.ts";
import type { SupervisorEvent } from "../supervise/loop/events.ts";
import { createStateReporter } from "../supervise/state/report-state.ts";
import { DEFAULT_RESTART_POLICY } from "../supervise/loop/restart-policy.ts";
import { locateRuntimeDir, prepareRuntimeDir, runtimeBinDir, type RuntimeDir } from "../supervise/state/runtime-dir.ts";
import { superviseTailscaled } from "../supervise/supervisor.ts";
import { buildHookEnv, buildTailscaledArgs, buildTailscaledEnv } from "../supervise/tailscaled/tailscaled-args.ts";
import { findOnPath } from "../system/path-lookup.ts";
import { runPreflight } from "../preflight/run-preflight.ts";
import { findFailedCheck } from "../preflight/preflight-check.ts";
import { findForwardingNeeds } from "../preflight/forwarding.ts";
import { hasSavedLogin } from "../supervise/login/saved-login.ts";
import { classifyCheck, reportFailure, type DiagnosticsContext, type Failure } from "../supervise/diagnostics/print-diagnostics.ts";
import { startCommands } from "../startup/start-runner.ts";

const KEY_FILE_NAME = "authkey";
const CONFIG_FILE_NAME = "tailscaled.json";

/** What the supervisor writes to and listens on; signals already go to `mailbox` and `stop`. */
export interface SuperviseIo {
  readonly log: Logger;
  /** stderr through the redactor, for the diagnostics block. */
  readonly stderr: (text: string) => void;
  readonly mailbox: Mailbox<SupervisorEvent>;
  readonly stop: StopRequest;
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
  const { reaper, commands, system } = await startCommands(host, load.config, io.stop, io.log);
  const runtime = locateRuntimeDir(host.files);
  try {
    reportConfigLoad(io.log.child("config"), load);
    return await prepareAndSupervise(host, load.config, io, { reaper, commands, system, runtime });
  } finally {
    // Nothing the supervisor started outlives it: a stop request already ended what still runs.
    await commands.endAll(load.config.stopGrace);
    reaper.stop();
    // The key's copy lives on tmpfs, but it need not outlive the supervisor either.
    host.files.remove(`${runtime.path}/${KEY_FILE_NAME}`);
  }
}

/** What the phases share. */
interface Prepared {
  readonly reaper: Reaper;
  readonly commands: CommandRunner;
  readonly system: SystemFacts;
  readonly runtime: RuntimeDir;
}

async function prepareAndSupervise(host: Host, config: Config, io: SuperviseIo, prepared: Prepared): Promise<Outcome> {
  const { log, stop } = io;
  const { commands, runtime } = prepared;
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
  const runtimeProblem = prepareRuntimeDir(host.files, runtime);
  if (runtimeProblem !== undefined) log.warn("no runtime directory", { problem: runtimeProblem });
  const runtimeDir = runtimeProblem === undefined ? runtime.path : undefined;
  // tailscaled's log config and buffers: on tmpfs when there is one, never on flash by choice.
  const logsDir = runtimeDir !== undefined && runtime.onTmpfs ? runtimeDir : config.stateDir;
  if (config.startupScript !== undefined) {
    const hook = await runHook(host.files, commands, log.child("hook"), { variable: "STARTUP_SCRIPT", path: config.startupScript, env: buildHookEnv(host.env), timeoutMs: config.scriptTimeout });
    if (hook.kind === "stopped") return stopped("STARTUP_SCRIPT");
    if (hook.kind === "failed" || hook.code !== 0) {
      const cause = `${hook.kind === "failed" ? hook.error : `STARTUP_SCRIPT ${config.startupScript} exited ${hook.code}`}; nothing was started`;
      return failWith({ failureClass: "hook", cause, fix: "fix the script (its output is above), or remove STARTUP_SCRIPT" }, "not started");
    }
  }
  if (stop.signal !== undefined) return stopped("STARTUP_SCRIPT");
  const preflight = await runPreflight(host, config, commands, log.child("preflight"), { apply: true, system: prepared.system, binDir: runtimeBinDir(runtime), firewallProbe: "enough" });
  if (stop.signal !== undefined) return stopped("preflight");
  const plan = preflight.plan;
  const describeMode = `${plan.userspace ? "userspace networking" : "kernel TUN"}, firewall ${plan.env["TS_DEBUG_FIREWALL_MODE"] ?? "default"}`;
  // A failed check stops here (preflight.canRun is false exactly then).
  const failed = findFailedCheck(preflight.checks);
  if (failed !== undefined) return failWith({ failureClass: classifyCheck(failed.id), cause: failed.what, fix: failed.fix ?? "run `doctor` for details" }, describeMode);
  const daemonEnv = buildTailscaledEnv(host.env, plan, logsDir);

  const keyRef = writeKeyFile(host, config, runtimeDir, runtime.onTmpfs, log);
  if (!keyRef.ok) {
    const fix = "give the container a writable tmpfs on /run, or mount a key file and set TS_AUTHKEY=file:/path";
    return failWith({ failureClass: "permissions", cause: `${keyRef.problem}; nothing was started`, fix }, describeMode);
  }
  const inputs: LoginInputs = { authKeyRef: keyRef.ref, netfilterMode: plan.netfilterMode, runtimeDirOnTmpfs: runtime.onTmpfs && runtimeDir !== undefined, savedLogin: hasSavedLogin(host.files, config.stateDir) };
  const login = planLogin(config, inputs);
  let configFile: string | undefined;
  if (login.kind === "config-file" && runtimeDir !== undefined) {
    configFile = `${runtimeDir}/${CONFIG_FILE_NAME}`;
    const written = host.files.writeText(configFile, `${JSON.stringify(login.document, null, 2)}\n`, { mode: 0o600 });
    if (!written.ok) configFile = undefined;
  }
  log.info("login plan", configFile === undefined ? { path: "tailscale up", reason: login.kind === "cli" ? login.reason : "config file not writable" } : { path: "config file", file: configFile });

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
    hookEnv: buildHookEnv(host.env),
    useSetsid: findOnPath(host.files, host.env["PATH"], "setsid") !== undefined,
    loginCommand: (phase) => chooseLoginCommand(configFile === undefined ? { kind: "cli", reason: "" } : login, config, inputs, phase),
    reporter: createStateReporter(host.files, runtimeDir, host.processes.selfPid, () => host.clock.now()),
    bootTimeoutMs: config.bootTimeout,
    exitOnBootTimeout: config.exitOnBootTimeout,
    stopGraceMs: config.stopGrace,
    restartPolicy: { ...DEFAULT_RESTART_POLICY, maxDeaths: config.restartLimit },
    verbose: config.logLevel === "debug",
    describeMode,
    forwardingNeeds: findForwardingNeeds(config, plan.userspace),
  });
}

/** The key as tailscaled should read it (undefined: no key), or why its copy could not be written. */
type KeyRef = { readonly ok: true; readonly ref: string | undefined } | { readonly ok: false; readonly problem: string };

/** The key as tailscaled should read it: the user's own file, a copy on tmpfs (mode 0600), or itself; never on flash. */
function writeKeyFile(host: Host, config: Config, runtimeDir: string | undefined, onTmpfs: boolean, log: Logger): KeyRef {
  const key = config.authKey;
  if (key === undefined) return { ok: true, ref: undefined };
  if (key.file !== undefined) return { ok: true, ref: `file:${key.file}` };
  if (runtimeDir === undefined || !onTmpfs) {
    // Never write it to flash: hand it to `tailscale up` on its command line instead.
    log.warn("no tmpfs for the key file; the key goes to tailscale up instead", { fix: "mount a tmpfs on /run" });
    return { ok: true, ref: key.key };
  }
  const path = `${runtimeDir}/${KEY_FILE_NAME}`;
  const written = host.files.writeText(path, `${key.key}\n`, { mode: 0o600 });
  // Logging in without the key that was configured would be a silent lie: stop instead.
  return written.ok ? { ok: true, ref: `file:${path}` } : { ok: false, problem: `cannot write the auth key's copy ${path}: ${written.error.message}` };
}

// No arguments: prepare (runtime dir, key file, login plan, startup hook), then supervise tailscaled.
import type { Config } from "../config/config.ts";
import { SIGNAL, type Host } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import { EXIT_CODE, type Outcome } from "../outcome.ts";
import { startReaper } from "../process/reaper.ts";
import { runHook } from "../supervise/hooks.ts";
import { chooseLoginCommand, planLogin, type LoginInputs } from "../supervise/login-plan.ts";
import type { Mailbox } from "../supervise/mailbox.ts";
import type { SupervisorEvent } from "../supervise/events.ts";
import { createStateReporter } from "../supervise/report-state.ts";
import { DEFAULT_RESTART_POLICY } from "../supervise/restart-policy.ts";
import { locateRuntimeDir, prepareRuntimeDir, type RuntimeDir } from "../supervise/runtime-dir.ts";
import { superviseTailscaled } from "../supervise/supervisor.ts";
import { buildHookEnv, buildTailscaledArgs, buildTailscaledEnv } from "../supervise/tailscaled-args.ts";
import { findOnPath } from "../system/path-lookup.ts";
import { runPreflight } from "../preflight/run-preflight.ts";
import { hasSavedLogin } from "../supervise/saved-login.ts";
import { classifyCheck, reportFailure } from "../supervise/diagnostics.ts";

const KEY_FILE_NAME = "authkey";
const STOP_SIGNALS: readonly number[] = [SIGNAL.TERM, SIGNAL.INT, SIGNAL.QUIT];
const CONFIG_FILE_NAME = "tailscaled.json";

/** Runs the supervisor. Signals already go to `mailbox` (installed before the configuration was read). */
export async function runSuperviseCommand(host: Host, config: Config, log: Logger, mailbox: Mailbox<SupervisorEvent>): Promise<Outcome> {
  const reaper = startReaper(host);
  const runtime = locateRuntimeDir(host.files);
  try {
    return await prepareAndSupervise(host, config, log, mailbox, reaper, runtime);
  } finally {
    reaper.stop();
    // The key's copy lives on tmpfs, but it need not outlive the supervisor either.
    host.files.remove(`${runtime.path}/${KEY_FILE_NAME}`);
  }
}

async function prepareAndSupervise(host: Host, config: Config, log: Logger, mailbox: Mailbox<SupervisorEvent>, reaper: ReturnType<typeof startReaper>, runtime: RuntimeDir): Promise<Outcome> {
  const runtimeProblem = prepareRuntimeDir(host.files, runtime);
  if (runtimeProblem !== undefined) log.warn("no runtime directory", { problem: runtimeProblem });
  const runtimeDir = runtimeProblem === undefined ? runtime.path : undefined;
  // tailscaled's log config and buffers: on tmpfs when there is one, never on flash by choice.
  const logsDir = runtimeDir !== undefined && runtime.onTmpfs ? runtimeDir : config.stateDir;
  if (config.startupScript !== undefined) {
    const hook = await runHook(host.files, reaper, log.child("hook"), config.startupScript, buildHookEnv(host.env));
    if (!hook.ok || hook.code !== 0) {
      const cause = `STARTUP_SCRIPT ${config.startupScript} ${hook.ok ? `exited ${hook.code}` : `could not run: ${hook.error}`}; nothing was started`;
      await reportFailure({ host, reaper, stateDir: config.stateDir, mode: "not started", tail: [] }, log, { failureClass: "hook", cause, fix: "fix the script (its output is above), or remove STARTUP_SCRIPT" });
      return { exitCode: EXIT_CODE.failure };
    }
  }

  // A stop request during start-up (HUP/USR1/USR2 are for tailscaled, which is not running yet).
  if (mailbox.take((event) => event.kind === "signal" && STOP_SIGNALS.includes(event.signal)) !== undefined) return { exitCode: EXIT_CODE.ok };
  const preflight = await runPreflight(host, config, reaper, log.child("preflight"), { apply: true });
  const plan = preflight.plan;
  const describeMode = `${plan.userspace ? "userspace networking" : "kernel TUN"}, firewall ${plan.env["TS_DEBUG_FIREWALL_MODE"] ?? "default"}`;
  if (!preflight.canRun) {
    const failed = preflight.checks.find((check) => check.status === "fail");
    const failure = { failureClass: classifyCheck(failed?.id ?? ""), cause: failed?.what ?? "a preflight check failed", fix: failed?.fix ?? "run `doctor` for details" };
    await reportFailure({ host, reaper, stateDir: config.stateDir, mode: describeMode, tail: [] }, log, failure);
    return { exitCode: EXIT_CODE.failure };
  }
  const daemonEnv = buildTailscaledEnv(host.env, plan, logsDir);

  const keyRef = writeKeyFile(host, config, runtimeDir, runtime.onTmpfs, log);
  if (!keyRef.ok) {
    const failure = { failureClass: "permissions" as const, cause: `${keyRef.problem}; nothing was started`, fix: "give the container a writable tmpfs on /run, or mount a key file and set TS_AUTHKEY=file:/path" };
    await reportFailure({ host, reaper, stateDir: config.stateDir, mode: describeMode, tail: [] }, log, failure);
    return { exitCode: EXIT_CODE.failure };
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
    reaper,
    mailbox,
    files: host.files,
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

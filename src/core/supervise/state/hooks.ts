// STARTUP_SCRIPT and RUNNING_SCRIPT: run to completion within TS_SCRIPT_TIMEOUT, their output logged line by line.
import type { FilesPort } from "../../host.ts";
import type { Logger } from "../../log/logger.ts";
import type { CommandRunner } from "../../process/command-runner.ts";
import { exitCodeOf } from "../../process/exit-status.ts";

/**
 * RUNNING_SCRIPT as the supervisor runs it: after the Running summary, once per supervisor (not at
 * every return to Running); a failure is a warning, tailscale goes on.
 */
export function createRunningScript(files: FilesPort, commands: CommandRunner, log: Logger, hook: Hook | undefined): () => Promise<void> {
  let ran = false;
  return async () => {
    if (hook === undefined || ran) return;
    ran = true;
    const result = await runHook(files, commands, log.child("hook"), hook);
    if (result.kind === "exited" && result.code !== 0) log.warn("RUNNING_SCRIPT failed", { script: hook.path, exitCode: result.code });
    if (result.kind === "failed") log.warn("RUNNING_SCRIPT failed", { script: hook.path, error: result.error });
  };
}

/** A hook to run: which variable names it, its path, its environment and time limit. */
export interface Hook {
  readonly variable: "STARTUP_SCRIPT" | "RUNNING_SCRIPT";
  readonly path: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** How a hook ended: its exit code (128+n when killed), ended by a stop request, or why it gave none. */
export type HookResult =
  | { readonly kind: "exited"; readonly code: number }
  | { readonly kind: "stopped" }
  | { readonly kind: "failed"; readonly error: string };

/**
 * Runs a hook in a session of its own (a timeout or a stop ends its children too). A script without
 * the exec bit runs through `sh`: RouterOS drops the exec bit of files it bind-mounts into a container.
 */
export async function runHook(files: FilesPort, commands: CommandRunner, log: Logger, hook: Hook): Promise<HookResult> {
  const label = `${hook.variable} ${hook.path}`;
  const info = files.stat(hook.path);
  if (!info.ok) return { kind: "failed", error: `${label} cannot be run: ${info.error.message}` };
  const argv = (info.value.mode & 0o111) === 0 ? ["sh", hook.path] : [hook.path];
  log.info("running hook", { script: hook.path });
  const result = await commands.run(argv, { label, timeoutMs: hook.timeoutMs, env: hook.env, ownSession: true });
  for (const line of `${result.ok ? result.value.stdout : result.stdout}\n${result.ok ? result.value.stderr : result.stderr}`.split("\n")) if (line.trim() !== "") log.info(line);
  if (!result.ok) return result.reason === "stopped" ? { kind: "stopped" } : { kind: "failed", error: result.error };
  const code = exitCodeOf(result.value.status);
  log.info("hook finished", { script: hook.path, exitCode: code });
  return { kind: "exited", code };
}

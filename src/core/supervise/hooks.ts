// STARTUP_SCRIPT and RUNNING_SCRIPT: run to completion, their output logged line by line.
import type { FilesPort } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import { captureCommand } from "../process/capture-command.ts";
import type { Reaper } from "../process/reaper.ts";

/** How a hook ended: its exit code (128+n when killed), or why it could not run. */
export type HookResult = { readonly ok: true; readonly code: number } | { readonly ok: false; readonly error: string };

/**
 * Runs a hook script. A script without the exec bit runs through `sh`: RouterOS drops the exec bit
 * of bind-mounted files (../shared/facts/routeros.md, "Mounts").
 */
export async function runHook(files: FilesPort, reaper: Reaper, log: Logger, path: string, env: Readonly<Record<string, string>>): Promise<HookResult> {
  const info = files.stat(path);
  if (!info.ok) return { ok: false, error: info.error.message };
  const argv = (info.value.mode & 0o111) === 0 ? ["sh", path] : [path];
  log.info("running hook", { script: path });
  const result = await captureCommand(reaper, argv, env);
  if (!result.ok) return { ok: false, error: result.error };
  for (const line of `${result.value.stdout}\n${result.value.stderr}`.split("\n")) if (line.trim() !== "") log.info(line);
  const { status } = result.value;
  const code = status.kind === "exited" ? status.code : 128 + status.signal;
  log.info("hook finished", { script: path, exitCode: code });
  return { ok: true, code };
}

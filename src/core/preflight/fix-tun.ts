// Creating /dev/net/tun when it is missing (char 10:200, mode 600).
import type { FilesPort } from "../host.ts";
import type { CommandRunner } from "../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../process/command-timeouts.ts";
import { describeExitStatus, isSuccess } from "../process/exit-status.ts";
import type { FixOutcome } from "./preflight-check.ts";
import { TUN_PATH } from "./probe-tun.ts";

/**
 * Creates /dev/net and the node (char 10:200, mode 600). QuickJS has no mknod, so the image's
 * busybox (or coreutils) `mknod` does it; `-m` sets the mode regardless of the umask.
 */
export async function createTun(files: FilesPort, commands: CommandRunner): Promise<FixOutcome> {
  const dir = files.mkdir("/dev/net", 0o755);
  if (!dir.ok && dir.error.code !== "EEXIST") return { ok: false, error: `mkdir /dev/net: ${dir.error.message}` };
  const argv = ["mknod", "-m", "600", TUN_PATH, "c", "10", "200"];
  const made = await commands.run(argv, { label: argv.join(" "), timeoutMs: COMMAND_TIMEOUTS.mknod.ms });
  if (!made.ok) return { ok: false, error: made.error };
  if (!isSuccess(made.value.status)) return { ok: false, error: made.value.stderr.trim() || `mknod ended with ${describeExitStatus(made.value.status)}` };
  return { ok: true, change: `created ${TUN_PATH} (char 10:200, mode 600)` };
}

// The TUN device: is /dev/net/tun a usable char device 10:200, and creating it when it is missing.
import type { FilesPort } from "../../host.ts";
import type { CommandRunner } from "../../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../../process/command-timeouts.ts";
import { describeExitStatus, isSuccess } from "../../process/exit-status.ts";
import { findMount, type MountEntry } from "../../system/mountinfo.ts";
import type { FixOutcome } from "../preflight-check.ts";

/** Where tailscaled opens the TUN clone device. */
export const TUN_PATH = "/dev/net/tun";
/** Device number of /dev/net/tun: major 10 (misc), minor 200, as stat's rdev encodes small numbers. */
export const TUN_RDEV = (10 << 8) | 200;

/**
 * What is at /dev/net/tun. `unopenable`: the node is there but opening it fails: `code` EPERM is
 * the device cgroup's refusal; a node on a `nodev` mount (`noDevMount`) gets EACCES instead.
 */
export type TunFacts =
  | { readonly kind: "usable" }
  | { readonly kind: "missing" }
  | { readonly kind: "not-a-tun"; readonly detail: string }
  | { readonly kind: "unopenable"; readonly error: string; readonly code?: string; readonly noDevMount?: string };

/** Looks at /dev/net/tun without changing anything; `mounts` tell whether it sits on a nodev mount. */
export function probeTun(files: FilesPort, mounts: readonly MountEntry[]): TunFacts {
  const info = files.stat(TUN_PATH);
  if (!info.ok) return info.error.code === "ENOENT" ? { kind: "missing" } : { kind: "unopenable", error: info.error.message, code: info.error.code };
  if (info.value.kind !== "char-device" || info.value.rdev !== TUN_RDEV) {
    return { kind: "not-a-tun", detail: `${info.value.kind} ${info.value.rdev >> 8}:${info.value.rdev & 0xff}` };
  }
  const opened = files.tryOpenReadWrite(TUN_PATH);
  if (opened.ok) return { kind: "usable" };
  const mount = findMount(mounts, TUN_PATH);
  const unopenable = { kind: "unopenable", error: `${opened.error.code}: ${opened.error.message}`, code: opened.error.code } as const;
  return mount?.noDev === true ? { ...unopenable, noDevMount: mount.mountPoint } : unopenable;
}

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

// The TUN device: is /dev/net/tun a usable char device 10:200 (fix-tun.ts creates it when missing).
import type { FilesPort } from "../host.ts";
import { findMount, type MountEntry } from "../system/mountinfo.ts";

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

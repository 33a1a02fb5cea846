// Kernel TUN or userspace networking, from TS_USERSPACE and whether /dev/net/tun is usable.
import type { Config } from "../config/config.ts";
import type { FilesPort } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import type { DaemonPlan } from "./tailscaled-args.ts";

// /dev/net/tun is character device 10:200.
const TUN_RDEV = (10 << 8) | 200;

/** Decides the networking mode; `auto` takes kernel TUN when the device is there. */
export function planDaemon(files: FilesPort, config: Config, log: Logger): DaemonPlan {
  if (config.userspace === "true") return { userspace: true, env: {} };
  const tun = files.stat("/dev/net/tun");
  const hasTun = tun.ok && tun.value.kind === "char-device" && tun.value.rdev === TUN_RDEV;
  if (config.userspace === "auto" && !hasTun) {
    log.warn("no /dev/net/tun: using userspace networking", { fix: "Docker: --device /dev/net/tun --cap-add NET_ADMIN" });
    return { userspace: true, env: {} };
  }
  return { userspace: false, env: {} };
}

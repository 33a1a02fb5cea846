// `health`: exit 0 only while Tailscale is Running, from the state the supervisor records (no CLI exec).
import type { Host } from "../host.ts";
import type { Logger } from "../log/logger.ts";
import { EXIT_CODE, type Outcome } from "../outcome.ts";
import { locateRuntimeDir } from "../supervise/state/runtime-dir.ts";
import { readStatus } from "../supervise/state/status-file.ts";

/** Healthy when the recorded state is Running and the supervisor that recorded it is alive. */
export function runHealthCommand(host: Host, log: Logger): Outcome {
  const dir = locateRuntimeDir(host.files);
  const status = readStatus(host.files, dir.path);
  if (status === undefined) {
    log.warn("unhealthy: no recorded state", { dir: dir.path, fix: "is the supervisor running in this container?" });
    return { exitCode: EXIT_CODE.failure };
  }
  const alive = host.files.stat(`/proc/${status.supervisorPid}`).ok;
  if (status.state === "Running" && alive) return { exitCode: EXIT_CODE.ok };
  log.warn("unhealthy", { state: alive ? status.state : "supervisor gone", since: new Date(status.sinceMs).toISOString() });
  return { exitCode: EXIT_CODE.failure };
}

// Writing the sysctls preflight planned (probe-forwarding.ts decides which).
import type { FilesPort } from "../host.ts";
import type { FixOutcome } from "./preflight-check.ts";
import { sysctlPath, type SysctlWrite } from "./probe-forwarding.ts";

/** Writes one sysctl. */
export function writeSysctl(files: FilesPort, write: SysctlWrite): FixOutcome {
  const written = files.writeText(sysctlPath(write.name), `${write.value}\n`);
  return written.ok ? { ok: true, change: `${write.name}=${write.value} (was ${write.current})` } : { ok: false, error: written.error.message };
}

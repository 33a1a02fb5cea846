// The facts logged on the first line: version, architecture, kernel, whether we are PID 1.
import type { Host } from "../host.ts";
import type { CommandRunner } from "../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../process/command-timeouts.ts";
import { SUPERVISOR_VERSION } from "../version.ts";

/** What machine this is. */
export interface SystemFacts {
  readonly version: string;
  readonly arch: string;
  readonly kernel: string;
  readonly pid1: boolean;
}

/** Reads arch from /proc/sys/kernel/arch (Linux 6.1+), else `uname -m`; kernel from osrelease. */
export async function readSystemFacts(host: Pick<Host, "files" | "processes">, commands: CommandRunner): Promise<SystemFacts> {
  const kernel = host.files.readText("/proc/sys/kernel/osrelease");
  const arch = host.files.readText("/proc/sys/kernel/arch");
  let archText = arch.ok ? arch.value.trim() : "";
  if (archText === "") {
    const uname = await commands.run(["uname", "-m"], { label: "uname -m", timeoutMs: COMMAND_TIMEOUTS.uname.ms });
    archText = uname.ok ? uname.value.stdout.trim() : `unknown (${uname.error})`;
  }
  return { version: SUPERVISOR_VERSION, arch: archText || "unknown", kernel: kernel.ok ? kernel.value.trim() : "unknown", pid1: host.processes.selfPid === 1 };
}

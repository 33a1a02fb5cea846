// Runs every probe once and gathers the facts; nothing here changes the system (but the firewall write probe's own chain).
import type { Config } from "../config/config.ts";
import type { Host } from "../host.ts";
import type { CommandRunner } from "../process/command-runner.ts";
import { chooseFirewall, type FirewallChoice } from "./firewall/choose-backend.ts";
import { findMount, parseMountInfo } from "../system/mountinfo.ts";
import { probeCapabilities, type CapabilityFacts } from "./networking/capabilities.ts";
import { probeFirewall, type FirewallFacts, type ProbeDepth } from "./firewall/probe-backends.ts";
import { probeSysctls, type SysctlFacts } from "./forwarding.ts";
import { probeMemory, type MemoryFacts } from "./memory.ts";
import { probeStateDir, type StateDirFacts } from "./state-dir.ts";
import { probeTun, type TunFacts } from "./networking/tun.ts";
import { probeReturnRoutes, type ReturnRouteFacts } from "./return-routes.ts";
import type { SystemFacts } from "../startup/system-facts.ts";

/** Everything the probes found: the decisions' input and the diagnostics block's content. */
export interface PreflightFacts {
  readonly system: SystemFacts;
  readonly capabilities: CapabilityFacts;
  readonly tun: TunFacts;
  readonly devReadOnly: boolean;
  readonly firewall: FirewallFacts;
  readonly firewallChoice: FirewallChoice;
  readonly sysctls: SysctlFacts;
  readonly returnRoutes: ReturnRouteFacts | undefined;
  readonly stateDir: StateDirFacts;
  readonly memory: MemoryFacts;
}

/**
 * Probes the kernel, files and commands. `previous`: facts of a first pass whose firewall probes
 * still hold (the fixes do not change which backends work), so they are not run twice. `depth`:
 * how much of the firewall to probe (probe-backends.ts).
 */
export async function probeAll(host: Pick<Host, "files" | "env">, config: Config, commands: CommandRunner, system: SystemFacts, previous?: PreflightFacts, depth: ProbeDepth = "all"): Promise<PreflightFacts> {
  const mountinfo = host.files.readText("/proc/self/mountinfo");
  const mounts = mountinfo.ok ? parseMountInfo(mountinfo.value) : [];
  const [firewall, returnRoutes] = await Promise.all([previous?.firewall ?? probeFirewall(host, commands, depth), probeReturnRoutes(commands, config)]);
  return {
    system,
    capabilities: probeCapabilities(host.files),
    tun: probeTun(host.files, mounts),
    devReadOnly: findMount(mounts, "/dev/net")?.readOnly === true,
    firewall,
    firewallChoice: chooseFirewall(firewall),
    sysctls: probeSysctls(host.files, findMount(mounts, "/proc/sys/net")?.readOnly === true),
    returnRoutes,
    stateDir: probeStateDir(host.files, config.stateDir, mounts),
    memory: probeMemory(host.files),
  };
}

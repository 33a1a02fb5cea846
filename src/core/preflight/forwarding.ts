// Forwarding sysctls: read what routing needs (forwarding, rp_filter, accept_ra, UDP buffers), decide what to write, write it.
import type { Config } from "../config/config.ts";
import type { FilesPort } from "../host.ts";
import { findMount, readMounts } from "../system/mountinfo.ts";
import { FIXED_AT_START, createCheck, findFixError, type AppliedFix, type FixOutcome, type PreflightCheck } from "./preflight-check.ts";

/** Sysctl values by dotted name (`net.ipv4.ip_forward`); names absent from the kernel are absent here. */
export interface SysctlFacts {
  readonly values: ReadonlyMap<string, string>;
  /** /proc/sys is mounted read-only (Docker without --privileged): nothing can be written. */
  readonly readOnly: boolean;
}

/** What the advertised routes need from the kernel. */
export interface ForwardingNeeds {
  readonly ipv4: boolean;
  readonly ipv6: boolean;
}

/** One value to write. `essential`: routed traffic breaks without it; else a throughput note. */
export interface SysctlWrite {
  readonly name: string;
  readonly value: string;
  readonly current: string;
  readonly why: string;
  readonly essential: boolean;
}

/** magicsock asks for 7 MiB socket buffers (https://github.com/tailscale/tailscale/blob/main/wgengine/magicsock/magicsock_linux.go). */
export const UDP_BUFFER_BYTES = 7 * 1024 * 1024;

/** The file of a sysctl: sysctl(8) naming, dots separate levels, a slash stands for a dot inside a level (`eth0/100`). */
export const sysctlPath = (name: string): string => `/proc/sys/${name.replace(/[./]/g, (char) => (char === "." ? "/" : "."))}`;

/** Reads the sysctls preflight decides on; interfaces are listed from /proc/sys/net/ipv{4,6}/conf. */
export function probeSysctls(files: FilesPort, readOnly: boolean): SysctlFacts {
  const names = ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", "net.core.rmem_max", "net.core.wmem_max"];
  for (const [family, key] of [["ipv4", "rp_filter"], ["ipv6", "accept_ra"]] as const) {
    const interfaces = files.readDir(`/proc/sys/net/${family}/conf`);
    for (const name of interfaces.ok ? interfaces.value : []) names.push(`net.${family}.conf.${name.replaceAll(".", "/")}.${key}`);
  }
  const values = new Map<string, string>();
  for (const name of names) {
    const text = files.readText(sysctlPath(name));
    if (text.ok) values.set(name, text.value.trim());
  }
  return { values, readOnly };
}

/** The writes routing needs, given the current values. Pure. */
export function planSysctlWrites(facts: SysctlFacts, needs: ForwardingNeeds): readonly SysctlWrite[] {
  const writes: SysctlWrite[] = [];
  const want = (name: string, value: string, why: string, essential: boolean): void => {
    const current = facts.values.get(name);
    if (current !== undefined && current !== value) writes.push({ name, value, current, why, essential });
  };
  if (needs.ipv4) want("net.ipv4.ip_forward", "1", "forward IPv4 for advertised routes / exit node", true);
  if (needs.ipv6) want("net.ipv6.conf.all.forwarding", "1", "forward IPv6 for advertised routes / exit node", true);
  const rpFilters = [...facts.values].filter(([name]) => name.startsWith("net.ipv4.conf.") && name.endsWith(".rp_filter"));
  // The kernel uses max(all, interface): all=2 makes every interface loose at once, tailscale0 included.
  if (needs.ipv4 && rpFilters.some(([, value]) => value === "1")) want("net.ipv4.conf.all.rp_filter", "2", "strict reverse-path filtering drops routed replies", true);
  if (needs.ipv6) {
    for (const [name, value] of facts.values) {
      const uplink = /^net\.ipv6\.conf\.(.+)\.accept_ra$/.exec(name)?.[1];
      if (uplink === undefined || ["all", "default", "lo"].includes(uplink) || uplink.startsWith("tailscale")) continue;
      if (value === "1") want(name, "2", "keep accepting Router Advertisements with forwarding on", true);
    }
  }
  for (const name of ["net.core.rmem_max", "net.core.wmem_max"]) {
    const current = Number(facts.values.get(name));
    if (Number.isFinite(current) && current < UDP_BUFFER_BYTES) want(name, String(UDP_BUFFER_BYTES), "tailscaled's UDP throughput", false);
  }
  return writes;
}

const HOST_SYSCTL_FIX = "the host must set it: Docker `--sysctl NAME=VALUE` (or --privileged); RouterOS lets the container write /proc/sys/net, so check that nothing mounts it read-only";

/**
 * What forwarding needs: routes of a family, an exit node offered, or TS_LAN_MASQUERADE (the LAN's
 * traffic into the tailnet, both families), in kernel mode only (netstack routes by itself).
 */
export function findForwardingNeeds(config: Pick<Config, "routes" | "advertiseExitNode" | "lanMasquerade">, userspace: boolean): ForwardingNeeds {
  const both = config.advertiseExitNode || config.lanMasquerade;
  const families = new Set((config.routes ?? []).map((route) => route.family));
  return { ipv4: !userspace && (both || families.has(4)), ipv6: !userspace && (both || families.has(6)) };
}

/** One check per sysctl still to write; `applied` undefined means nothing was tried (`doctor`). */
export function checkSysctls(facts: SysctlFacts, needs: ForwardingNeeds, applied: readonly AppliedFix[] | undefined): readonly PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  if (!needs.ipv4 && !needs.ipv6) checks.push(createCheck("forwarding", "ok", "not needed (no routes advertised, no exit node, or userspace networking)"));
  else checks.push(createCheck("forwarding", "ok", `needed for ${[needs.ipv4 ? "IPv4" : "", needs.ipv6 ? "IPv6" : ""].filter(Boolean).join(" and ")}`));
  for (const write of planSysctlWrites(facts, needs)) {
    const error = findFixError(applied, write.name);
    const host = HOST_SYSCTL_FIX.replace("NAME=VALUE", `${write.name}=${write.value}`);
    const status = write.essential ? "warn" : "ok";
    const note = write.essential ? "" : "note, throughput only: ";
    if (error !== undefined) checks.push(createCheck(write.name, status, `${note}${write.name} is ${write.current} and cannot be set to ${write.value} (${error}): ${write.why}`, host));
    else if (facts.readOnly) checks.push(createCheck(write.name, status, `${note}${write.name} is ${write.current} and /proc/sys is read-only: ${write.why}`, host));
    else checks.push(createCheck(write.name, status, `${note}${write.name} is ${write.current}; it will be set to ${write.value}: ${write.why}`, FIXED_AT_START));
  }
  return checks;
}

// Without these, nothing is routed at all (rp_filter and accept_ra only hurt some traffic).
const FORWARDING_SYSCTLS = ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"];

/**
 * Forwarding that advertised routes or an exit node need and that is off right now, read again
 * (after preflight tried to turn it on), with why and the host-side fix; undefined when routed
 * traffic can pass.
 */
export function findBlockedForwarding(files: FilesPort, needs: ForwardingNeeds): { readonly what: string; readonly fix: string } | undefined {
  const readOnly = findMount(readMounts(files), "/proc/sys/net")?.readOnly === true;
  const off = planSysctlWrites(probeSysctls(files, readOnly), needs).filter((write) => FORWARDING_SYSCTLS.includes(write.name));
  if (off.length === 0) return undefined;
  const values = off.map((write) => `${write.name} is ${write.current}`).join(", ");
  return { what: `${values} and ${readOnly ? "/proc/sys is read-only" : "it could not be set"}`, fix: HOST_SYSCTL_FIX.replace("NAME=VALUE", off.map((write) => `${write.name}=${write.value}`).join(" --sysctl ")) };
}

/** Writes one sysctl. */
export function writeSysctl(files: FilesPort, write: SysctlWrite): FixOutcome {
  const written = files.writeExisting(sysctlPath(write.name), `${write.value}\n`);
  return written.ok ? { ok: true, change: `${write.name}=${write.value} (was ${write.current})` } : { ok: false, error: written.error.message };
}

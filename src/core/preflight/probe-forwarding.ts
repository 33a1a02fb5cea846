// Forwarding sysctls: read what routing needs (forwarding, rp_filter, accept_ra, UDP buffers) and plan what to write.
import type { FilesPort } from "../host.ts";

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

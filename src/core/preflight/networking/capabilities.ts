// Capabilities: the effective set from /proc/self/status by name, and what kernel mode misses.
import type { FilesPort } from "../../host.ts";

// Bit numbers of linux/capability.h, in order (0 = CHOWN ... 40 = CHECKPOINT_RESTORE).
const CAPABILITY_NAMES = [
  "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
  "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
  "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
  "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
  "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
  "CHECKPOINT_RESTORE",
] as const;

/** The effective capabilities, by name without `CAP_`, or why they could not be read. */
export type CapabilityFacts = { readonly kind: "known"; readonly effective: readonly string[] } | { readonly kind: "unknown"; readonly error: string };

/** A capability kernel mode needs and what breaks without it. */
export interface MissingCapability {
  readonly name: string;
  readonly breaks: string;
}

/**
 * Decodes a capability mask in hex (`000001fff6ffffff`) into names; bits above the table are `CAP_<n>`.
 * Two 32-bit halves, not BigInt: nothing here needs more, and qjs's BigInt printing has a defect.
 */
export function decodeCapabilities(hex: string): readonly string[] | undefined {
  if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) return undefined;
  const padded = hex.padStart(16, "0");
  const halves = [parseInt(padded.slice(8), 16), parseInt(padded.slice(0, 8), 16)];
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit += 1) {
    const half = halves[bit >> 5] ?? 0;
    if (((half >>> (bit & 31)) & 1) === 1) names.push(CAPABILITY_NAMES[bit] ?? `CAP_${bit}`);
  }
  return names;
}

/** The `CapEff:` line of a /proc/<pid>/status text, decoded. */
export function parseEffectiveCapabilities(status: string): readonly string[] | undefined {
  const line = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(status);
  return line?.[1] === undefined ? undefined : decodeCapabilities(line[1]);
}

/** Reads this process's effective capabilities. */
export function probeCapabilities(files: FilesPort): CapabilityFacts {
  const status = files.readText("/proc/self/status");
  if (!status.ok) return { kind: "unknown", error: status.error.message };
  const effective = parseEffectiveCapabilities(status.value);
  return effective === undefined ? { kind: "unknown", error: "no CapEff line in /proc/self/status" } : { kind: "known", effective };
}

/** What kernel mode needs that is missing: NET_ADMIN and NET_RAW always, MKNOD only to create the TUN node. */
export function findMissingCapabilities(facts: CapabilityFacts, tunMissing: boolean): readonly MissingCapability[] {
  if (facts.kind === "unknown") return [];
  const needed: MissingCapability[] = [
    { name: "NET_ADMIN", breaks: "the tailscale0 interface, routes, firewall rules and sysctls" },
    { name: "NET_RAW", breaks: "iptables-legacy (it opens a raw socket) and tailscaled's raw sockets" },
  ];
  if (tunMissing) needed.push({ name: "MKNOD", breaks: "creating /dev/net/tun" });
  return needed.filter((capability) => !facts.effective.includes(capability.name));
}

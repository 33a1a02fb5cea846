// Choosing the iptables backend for tailscaled, and the symlink directory that makes `iptables` resolve to it.
import type { FilesPort, HostResult } from "../host.ts";
import { findOnPath, makeDirectories } from "../system/path-lookup.ts";
import type { FixOutcome } from "./preflight-check.ts";
import { iptablesCommand, type FirewallBackend, type FirewallFacts, type IpFamily } from "./probe-firewall.ts";

/** The backend tailscaled will use, whether it also works for IPv6, and why it was chosen. */
export type FirewallChoice =
  | { readonly kind: "backend"; readonly backend: FirewallBackend; readonly ipv6: boolean; readonly reason: string }
  | { readonly kind: "none" };

/** One link of the bin dir: `iptables` → `/usr/sbin/iptables-legacy`. */
export interface FirewallLink {
  readonly name: string;
  readonly target: string;
}

/**
 * The IPv4 backend that works; with both working, the one already holding rules in this netns
 * (mixing backends hides rules from each other), else legacy: what RouterOS kernels have (nft fails
 * there), what Tailscale's own image uses, and measured faster here: tailscaled's rules go in and
 * out through `iptables-nft` several times slower (`npm run bench`, README: a graceful stop took
 * 0.31-0.42 s with nft and 0.05-0.08 s with legacy).
 */
export function chooseFirewall(facts: FirewallFacts): FirewallChoice {
  const working = facts.probes.filter((probe) => probe.family === 4 && probe.result.kind === "works");
  const rulesOf = (backend: FirewallBackend): number => {
    const result = working.find((probe) => probe.backend === backend)?.result;
    return result?.kind === "works" ? result.rules : 0;
  };
  const ipv6Works = (backend: FirewallBackend): boolean => facts.probes.some((probe) => probe.family === 6 && probe.backend === backend && probe.result.kind === "works");
  if (working.length === 0) return { kind: "none" };
  if (working.length === 1) {
    const backend = working[0]?.backend ?? "legacy";
    return { kind: "backend", backend, ipv6: ipv6Works(backend), reason: `only ${backend} works` };
  }
  const backend: FirewallBackend = rulesOf("nft") > rulesOf("legacy") ? "nft" : "legacy";
  const reason = rulesOf("legacy") === rulesOf("nft") ? "both work; legacy is the default" : `both work; ${backend} already holds this netns's rules`;
  return { kind: "backend", backend, ipv6: ipv6Works(backend), reason };
}

/** Links `iptables`, `ip6tables` and their -save/-restore to the backend's binaries found on PATH. */
export function planFirewallLinks(files: FilesPort, path: string | undefined, backend: FirewallBackend): readonly FirewallLink[] {
  const links: FirewallLink[] = [];
  for (const family of [4, 6] as const satisfies readonly IpFamily[]) {
    for (const suffix of ["", "-save", "-restore"]) {
      const target = findOnPath(files, path, iptablesCommand(family, backend, suffix));
      if (target !== undefined) links.push({ name: `${family === 4 ? "iptables" : "ip6tables"}${suffix}`, target });
    }
  }
  return links;
}

/**
 * Creates the links in `binDir` (the runtime directory's `bin`: first on tailscaled's PATH),
 * replacing wrong ones atomically by rename; unchanged links are left alone.
 */
export function linkFirewall(files: FilesPort, links: readonly FirewallLink[], binDir: string): FixOutcome | undefined {
  const made = makeDirectories(files, binDir, 0o755);
  if (!made.ok) return { ok: false, error: `mkdir ${binDir}: ${made.error.message}` };
  const changed: string[] = [];
  for (const link of links) {
    const path = `${binDir}/${link.name}`;
    const current = files.readLink(path);
    if (current.ok && current.value === link.target) continue;
    const replaced = replaceLink(files, link.target, path);
    if (!replaced.ok) return { ok: false, error: `link ${path}: ${replaced.error.message}` };
    changed.push(link.name);
  }
  return changed.length === 0 ? undefined : { ok: true, change: `linked ${changed.join(", ")} in ${binDir}` };
}

function replaceLink(files: FilesPort, target: string, path: string): HostResult<void> {
  const temporary = `${path}.new`;
  files.remove(temporary);
  const linked = files.symlink(target, temporary);
  return linked.ok ? files.rename(temporary, path) : linked;
}

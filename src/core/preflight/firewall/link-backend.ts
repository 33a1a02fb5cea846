// Linking `iptables` (and ip6tables, -save, -restore) to the chosen backend in the runtime directory's bin.
import type { FilesPort, HostResult } from "../../host.ts";
import { findOnPath, makeDirectories } from "../../system/path-lookup.ts";
import type { FixOutcome } from "../preflight-check.ts";
import { iptablesCommand, type FirewallBackend, type IpFamily } from "./probe-backends.ts";

/** One link of the bin dir: `iptables` → `/usr/sbin/iptables-legacy`. */
export interface FirewallLink {
  readonly name: string;
  readonly target: string;
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

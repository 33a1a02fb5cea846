// Firewall backends: do iptables-legacy / iptables-nft (and the ip6tables pair) work in this netns?
import type { Host } from "../host.ts";
import { captureCommand } from "../process/capture-command.ts";
import type { Reaper } from "../process/reaper.ts";
import { findOnPath } from "../system/path-lookup.ts";

/** The two iptables backends Debian and Alpine ship. */
export type FirewallBackend = "legacy" | "nft";
/** IPv4 (iptables) or IPv6 (ip6tables). */
export type IpFamily = 4 | 6;

/** How one backend did for one family. `rules`: rules already in this netns (`-A` lines of `-save`). */
export interface BackendProbe {
  readonly backend: FirewallBackend;
  readonly family: IpFamily;
  readonly result: { readonly kind: "works"; readonly rules: number } | { readonly kind: "missing" } | { readonly kind: "fails"; readonly error: string };
}

/** Results for legacy and nft, IPv4 and IPv6. */
export interface FirewallFacts {
  readonly probes: readonly BackendProbe[];
}

/** The probe chain, created and deleted again; a leftover from a crash is removed by the cleanup. */
const PROBE_CHAIN = "TS-SUPERVISOR-PROBE";
const BACKENDS: readonly FirewallBackend[] = ["legacy", "nft"];
const FAMILIES: readonly IpFamily[] = [4, 6];

/** `iptables-legacy`, `ip6tables-nft-save`, ... */
export function iptablesCommand(family: IpFamily, backend: FirewallBackend, suffix = ""): string {
  return `${family === 4 ? "iptables" : "ip6tables"}-${backend}${suffix}`;
}

/**
 * Probes every backend and family with a write, as tailscaled would write (see probeBackend). The
 * four run at once: each is a handful of iptables execs, and the supervisor waits for them before
 * tailscaled starts (test/bench/README.md measured ~0.2 s one after the other).
 */
export async function probeFirewall(host: Pick<Host, "files" | "env">, reaper: Reaper): Promise<FirewallFacts> {
  const pairs = BACKENDS.flatMap((backend) => FAMILIES.map((family) => ({ backend, family })));
  const probes = await Promise.all(pairs.map(async ({ backend, family }): Promise<BackendProbe> => ({ backend, family, result: await probeBackend(host, reaper, family, backend) })));
  return { probes };
}

/**
 * Creates a chain with a MARK rule like tailscaled's, then removes it. A read (`-S`) is not
 * enough: RouterOS kernels lack nf_tables, and on some even legacy MARK with a mask fails with
 * "Invalid argument" (see ../shared/facts/routeros.md, pain point 1).
 */
async function probeBackend(host: Pick<Host, "files" | "env">, reaper: Reaper, family: IpFamily, backend: FirewallBackend): Promise<BackendProbe["result"]> {
  const binary = findOnPath(host.files, host.env["PATH"], iptablesCommand(family, backend));
  if (binary === undefined) return { kind: "missing" };
  const steps = [
    ["-N", PROBE_CHAIN],
    ["-A", PROBE_CHAIN, "-j", "MARK", "--set-mark", "0x40000/0xff0000"],
  ];
  let error: string | undefined;
  for (const step of steps) {
    error = await runIptables(reaper, [binary, "-w", "5", "-t", "filter", ...step]);
    if (error !== undefined) break;
  }
  const flushed = await runIptables(reaper, [binary, "-w", "5", "-t", "filter", "-F", PROBE_CHAIN]);
  const deleted = await runIptables(reaper, [binary, "-w", "5", "-t", "filter", "-X", PROBE_CHAIN]);
  error ??= flushed ?? deleted;
  if (error !== undefined) return { kind: "fails", error };
  return { kind: "works", rules: await countRules(host, reaper, family, backend) };
}

/** Runs one iptables command; undefined when it succeeded, else its first error line. */
async function runIptables(reaper: Reaper, argv: readonly string[]): Promise<string | undefined> {
  const run = await captureCommand(reaper, argv);
  if (!run.ok) return run.error;
  if (run.value.status.kind === "exited" && run.value.status.code === 0) return undefined;
  const lines = run.value.stderr.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
  return lines[0]?.trim() ?? `${argv[0] ?? "iptables"} ended ${JSON.stringify(run.value.status)}`;
}

async function countRules(host: Pick<Host, "files" | "env">, reaper: Reaper, family: IpFamily, backend: FirewallBackend): Promise<number> {
  const save = findOnPath(host.files, host.env["PATH"], iptablesCommand(family, backend, "-save"));
  if (save === undefined) return 0;
  const run = await captureCommand(reaper, [save]);
  return run.ok ? run.value.stdout.split("\n").filter((line) => line.startsWith("-A ")).length : 0;
}

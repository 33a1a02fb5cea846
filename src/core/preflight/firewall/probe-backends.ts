// Firewall backends: do iptables-legacy / iptables-nft (and the ip6tables pair) work in this netns?
import type { Host } from "../../host.ts";
import type { CommandRunner } from "../../process/command-runner.ts";
import { COMMAND_TIMEOUTS } from "../../process/command-timeouts.ts";
import { isSuccess } from "../../process/exit-status.ts";
import { findOnPath } from "../../system/path-lookup.ts";

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
 * tailscaled starts (test/lab/bench/README.md measured ~0.2 s one after the other).
 */
export async function probeFirewall(host: Pick<Host, "files" | "env">, commands: CommandRunner): Promise<FirewallFacts> {
  const pairs = BACKENDS.flatMap((backend) => FAMILIES.map((family) => ({ backend, family })));
  const probes = await Promise.all(pairs.map(async ({ backend, family }): Promise<BackendProbe> => ({ backend, family, result: await probeBackend(host, commands, family, backend) })));
  return { probes };
}

/**
 * Creates a chain with a MARK rule like tailscaled's, then removes it. A read (`-S`) is not
 * enough: RouterOS kernels lack nf_tables, and on some even legacy MARK with a mask fails with
 * "Invalid argument". A command that does not finish in time ends the probe of that backend: the
 * next ones would only wait as long (the chain left behind is removed by the next probe's -F/-X).
 */
async function probeBackend(host: Pick<Host, "files" | "env">, commands: CommandRunner, family: IpFamily, backend: FirewallBackend): Promise<BackendProbe["result"]> {
  const binary = findOnPath(host.files, host.env["PATH"], iptablesCommand(family, backend));
  if (binary === undefined) return { kind: "missing" };
  const steps = [
    ["-N", PROBE_CHAIN],
    ["-A", PROBE_CHAIN, "-j", "MARK", "--set-mark", "0x40000/0xff0000"],
  ];
  let error: IptablesError | undefined;
  for (const step of steps) {
    error = await runIptables(commands, [binary, "-w", "5", "-t", "filter", ...step]);
    if (error !== undefined) break;
  }
  if (error?.final === true) return { kind: "fails", error: error.text };
  const flushed = await runIptables(commands, [binary, "-w", "5", "-t", "filter", "-F", PROBE_CHAIN]);
  const deleted = flushed?.final === true ? undefined : await runIptables(commands, [binary, "-w", "5", "-t", "filter", "-X", PROBE_CHAIN]);
  error ??= flushed ?? deleted;
  if (error !== undefined) return { kind: "fails", error: error.text };
  return { kind: "works", rules: await countRules(host, commands, family, backend) };
}

/** An iptables command's first error line; `final`: it did not run to its end (timeout, stop), so try no more. */
interface IptablesError {
  readonly text: string;
  readonly final: boolean;
}

/** Runs one iptables command; undefined when it succeeded. */
async function runIptables(commands: CommandRunner, argv: readonly string[]): Promise<IptablesError | undefined> {
  const run = await commands.run(argv, { label: argv.join(" "), timeoutMs: COMMAND_TIMEOUTS.iptables.ms });
  if (!run.ok) return { text: run.error, final: true };
  if (isSuccess(run.value.status)) return undefined;
  const lines = run.value.stderr.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
  return { text: lines[0]?.trim() ?? `${argv[0] ?? "iptables"} ended ${JSON.stringify(run.value.status)}`, final: false };
}

async function countRules(host: Pick<Host, "files" | "env">, commands: CommandRunner, family: IpFamily, backend: FirewallBackend): Promise<number> {
  const save = findOnPath(host.files, host.env["PATH"], iptablesCommand(family, backend, "-save"));
  if (save === undefined) return 0;
  const run = await commands.run([save], { label: save, timeoutMs: COMMAND_TIMEOUTS.iptables.ms, maxOutputBytes: 4 * 1024 * 1024 });
  return run.ok ? run.value.stdout.split("\n").filter((line) => line.startsWith("-A ")).length : 0;
}

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

/**
 * Where a backend's probe failed: iptables refused to create the chain, to add the MARK rule, to
 * remove them, or to read its rules (`-save`); `unfinished`: a command did not run to its end (a
 * time limit, a stop), which says nothing about the kernel.
 */
export type ProbeStep = "chain" | "rule" | "cleanup" | "read" | "unfinished";

/**
 * How one backend did for one family. `rules`: rules already in this netns (`-A` lines of `-save`).
 * `not-probed`: the supervisor's quick probe did not need it (`reason` says why).
 */
export interface BackendProbe {
  readonly backend: FirewallBackend;
  readonly family: IpFamily;
  readonly result:
    | { readonly kind: "works"; readonly rules: number }
    | { readonly kind: "missing" }
    | { readonly kind: "fails"; readonly error: string; readonly at: ProbeStep }
    | { readonly kind: "not-probed"; readonly reason: string };
}

/** Results for legacy and nft, IPv4 and IPv6. */
export interface FirewallFacts {
  readonly probes: readonly BackendProbe[];
}

/**
 * How much to probe: `all` writes to every backend and family (`doctor`); `enough` stops once the
 * choice is clear (the supervisor, before tailscaled starts): legacy written to, nft only read
 * (`iptables-nft-save`), and written to only when it already holds rules here or legacy fails.
 */
export type ProbeDepth = "all" | "enough";

/** The probe chain, created and deleted again; a leftover from a crash is removed by the cleanup. */
const PROBE_CHAIN = "TS-SUPERVISOR-PROBE";
const BACKENDS: readonly FirewallBackend[] = ["legacy", "nft"];
const FAMILIES: readonly IpFamily[] = [4, 6];
const NFT_NOT_NEEDED = "legacy works and nft holds no rules in this netns";

/** `iptables-legacy`, `ip6tables-nft-save`, ... */
export function iptablesCommand(family: IpFamily, backend: FirewallBackend, suffix = ""): string {
  return `${family === 4 ? "iptables" : "ip6tables"}-${backend}${suffix}`;
}

type Result = BackendProbe["result"];
type Probing = Pick<Host, "files" | "env">;

/**
 * Probes the backends with a write, as tailscaled would write (see writeProbe); they run at once:
 * each is a handful of iptables execs, and the supervisor waits for them before tailscaled starts.
 * With `enough`, nft's writes (several times slower than legacy's here: ~30 ms each) are left out
 * when its rules are not needed to choose (NFT_NOT_NEEDED): on RouterOS its read fails at once, and
 * on most Docker hosts it holds no rules in the container's netns.
 */
export async function probeFirewall(host: Probing, commands: CommandRunner, depth: ProbeDepth = "all"): Promise<FirewallFacts> {
  if (depth === "all") {
    const pairs = BACKENDS.flatMap((backend) => FAMILIES.map((family) => ({ backend, family })));
    return { probes: await Promise.all(pairs.map(async ({ backend, family }) => ({ backend, family, result: await probeBackend(host, commands, family, backend) }))) };
  }
  const [legacy4, legacy6, nftRead] = await Promise.all([writeProbe(host, commands, 4, "legacy"), writeProbe(host, commands, 6, "legacy"), readRules(host, commands, 4, "nft")]);
  if (legacy4.kind === "works" && (nftRead.kind !== "works" || nftRead.rules === 0)) {
    const nft4: Result = nftRead.kind === "works" ? { kind: "not-probed", reason: NFT_NOT_NEEDED } : nftRead;
    const nft6: Result = findOnPath(host.files, host.env["PATH"], iptablesCommand(6, "nft")) === undefined ? { kind: "missing" } : { kind: "not-probed", reason: NFT_NOT_NEEDED };
    return { probes: [{ backend: "legacy", family: 4, result: legacy4 }, { backend: "legacy", family: 6, result: legacy6 }, { backend: "nft", family: 4, result: nft4 }, { backend: "nft", family: 6, result: nft6 }] };
  }
  // The choice needs every fact: nft written to, legacy's rules counted.
  const [nft4, nft6, legacyRead] = await Promise.all([probeBackend(host, commands, 4, "nft"), probeBackend(host, commands, 6, "nft"), legacy4.kind === "works" ? readRules(host, commands, 4, "legacy").then(countedOrZero) : Promise.resolve(legacy4)]);
  return { probes: [{ backend: "legacy", family: 4, result: legacyRead }, { backend: "legacy", family: 6, result: legacy6 }, { backend: "nft", family: 4, result: nft4 }, { backend: "nft", family: 6, result: nft6 }] };
}

/** The write probe, then (when it works) the rules already there (none counted when the read fails). */
async function probeBackend(host: Probing, commands: CommandRunner, family: IpFamily, backend: FirewallBackend): Promise<Result> {
  const written = await writeProbe(host, commands, family, backend);
  return written.kind === "works" ? countedOrZero(await readRules(host, commands, family, backend)) : written;
}

function countedOrZero(read: Result): Result {
  return read.kind === "works" ? read : { kind: "works", rules: 0 };
}

/**
 * Creates a chain with a MARK rule like tailscaled's, then removes it (`works` with rules 0: not
 * counted). A read (`-S`) is not enough: RouterOS kernels lack nf_tables, and on some even legacy
 * MARK with a mask fails with "Invalid argument". A command that does not finish in time ends the
 * probe of that backend: the next ones would only wait as long (the chain left behind is removed by
 * the next probe's -F/-X).
 */
async function writeProbe(host: Probing, commands: CommandRunner, family: IpFamily, backend: FirewallBackend): Promise<Result> {
  const binary = findOnPath(host.files, host.env["PATH"], iptablesCommand(family, backend));
  if (binary === undefined) return { kind: "missing" };
  const steps: ReadonlyArray<{ at: ProbeStep; args: readonly string[] }> = [
    { at: "chain", args: ["-N", PROBE_CHAIN] },
    { at: "rule", args: ["-A", PROBE_CHAIN, "-j", "MARK", "--set-mark", "0x40000/0xff0000"] },
  ];
  let error: IptablesError | undefined;
  let at: ProbeStep = "chain";
  for (const step of steps) {
    at = step.at;
    error = await runIptables(commands, [binary, "-w", "5", "-t", "filter", ...step.args]);
    if (error !== undefined) break;
  }
  if (error?.final === true) return { kind: "fails", error: error.text, at: "unfinished" };
  const flushed = await runIptables(commands, [binary, "-w", "5", "-t", "filter", "-F", PROBE_CHAIN]);
  const deleted = flushed?.final === true ? undefined : await runIptables(commands, [binary, "-w", "5", "-t", "filter", "-X", PROBE_CHAIN]);
  if (error !== undefined) return { kind: "fails", error: error.text, at };
  const cleanup = flushed ?? deleted;
  if (cleanup !== undefined) return { kind: "fails", error: cleanup.text, at: cleanup.final ? "unfinished" : "cleanup" };
  return { kind: "works", rules: 0 };
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

/** The rules already in this netns (`-A` lines of `-save`): `works` with their count, `missing`, or `fails` at "read". */
async function readRules(host: Probing, commands: CommandRunner, family: IpFamily, backend: FirewallBackend): Promise<Result> {
  const save = findOnPath(host.files, host.env["PATH"], iptablesCommand(family, backend, "-save"));
  if (save === undefined) return findOnPath(host.files, host.env["PATH"], iptablesCommand(family, backend)) === undefined ? { kind: "missing" } : { kind: "works", rules: 0 };
  const run = await commands.run([save], { label: save, timeoutMs: COMMAND_TIMEOUTS.iptables.ms, maxOutputBytes: 4 * 1024 * 1024 });
  if (!run.ok) return { kind: "fails", error: run.error, at: "unfinished" };
  if (!isSuccess(run.value.status)) {
    const line = run.value.stderr.split("\n").find((candidate) => candidate.trim() !== "" && !candidate.startsWith("#"));
    return { kind: "fails", error: line?.trim() ?? `${save} ended ${JSON.stringify(run.value.status)}`, at: "read" };
  }
  return { kind: "works", rules: run.value.stdout.split("\n").filter((line) => line.startsWith("-A ")).length };
}

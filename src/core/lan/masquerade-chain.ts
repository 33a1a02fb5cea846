// TS_LAN_MASQUERADE's rules: a nat chain of the supervisor's own, jumped to by packets leaving
// tailscale0, so forwarded LAN traffic carries this node's tailnet address.
import type { CommandRunner } from "../process/command-runner.ts";
import { isSuccess } from "../process/exit-status.ts";
import { iptablesCommand, type FirewallBackend, type IpFamily } from "../preflight/firewall/probe-backends.ts";
import type { CommandLimits, RuleChange } from "./rule-change.ts";

/**
 * Ours alone (a user's own `-o tailscale0 -j MASQUERADE` is never touched). tailscaled creates,
 * flushes and deletes only ts-input, ts-forward and ts-postrouting and its own jumps to them
 * (util/linuxfw/iptables_runner.go, v1.102.3): this chain outlives tailscaled's restarts.
 */
export const MASQUERADE_CHAIN = "TS-SUPERVISOR-MASQ";
/** tailscaled's interface (`--tun=tailscale0`, tailscaled-args.ts). */
const TAILSCALE_INTERFACE = "tailscale0";
const JUMP = ["POSTROUTING", "-o", TAILSCALE_INTERFACE, "-j", MASQUERADE_CHAIN];

/**
 * Puts the chain and the jump in place unless the jump is there already (`-C`). No source match:
 * whatever the container forwards out of tailscale0 (LAN subnets advertised or not, the router's
 * own address) leaves as the node; its own traffic has that address already.
 */
export async function ensureMasquerade(commands: CommandRunner, backend: FirewallBackend, family: IpFamily, limits: CommandLimits): Promise<RuleChange> {
  const run = createNatRunner(commands, backend, family, limits);
  if ((await run(["-C", ...JUMP])).ok) return { ok: true, changed: false };
  // -N fails when a half-made chain is left from before: -F empties it either way.
  await run(["-N", MASQUERADE_CHAIN]);
  for (const args of [["-F", MASQUERADE_CHAIN], ["-A", MASQUERADE_CHAIN, "-j", "MASQUERADE"], ["-A", ...JUMP]]) {
    const result = await run(args);
    if (!result.ok) return { ok: false, error: result.error };
  }
  return { ok: true, changed: true };
}

/** Removes the jump, then the chain; what is not there is no error. `changed`: something was removed. */
export async function removeMasquerade(commands: CommandRunner, backend: FirewallBackend, family: IpFamily, limits: CommandLimits): Promise<RuleChange> {
  const run = createNatRunner(commands, backend, family, limits);
  let changed = false;
  // A jump added twice (by hand, or by two supervisors on one netns) goes too; bounded.
  for (let attempt = 0; attempt < 4 && (await run(["-D", ...JUMP])).ok; attempt += 1) changed = true;
  if (!(await run(["-F", MASQUERADE_CHAIN])).ok) return { ok: true, changed };
  const deleted = await run(["-X", MASQUERADE_CHAIN]);
  return deleted.ok ? { ok: true, changed: true } : { ok: false, error: deleted.error };
}

/** Whether the chain exists in this family's nat table (`-S CHAIN`). */
export async function hasMasqueradeChain(commands: CommandRunner, backend: FirewallBackend, family: IpFamily, limits: CommandLimits): Promise<boolean> {
  return (await createNatRunner(commands, backend, family, limits)(["-S", MASQUERADE_CHAIN])).ok;
}

type NatRun = (args: readonly string[]) => Promise<{ readonly ok: true } | { readonly ok: false; readonly error: string }>;

/** Runs `iptables-<backend> -w N -t nat ARGS`; not ok with the command's words (or why it did not run). */
function createNatRunner(commands: CommandRunner, backend: FirewallBackend, family: IpFamily, limits: CommandLimits): NatRun {
  const program = iptablesCommand(family, backend);
  return async (args) => {
    const argv = [program, "-w", String(limits.lockWaitS), "-t", "nat", ...args];
    const label = argv.join(" ");
    const result = await commands.run(argv, { label, timeoutMs: limits.timeoutMs });
    if (!result.ok) return { ok: false, error: result.error };
    if (isSuccess(result.value.status)) return { ok: true };
    return { ok: false, error: `${label}: ${result.value.stderr.trim() || result.value.stdout.trim() || "failed"}` };
  };
}

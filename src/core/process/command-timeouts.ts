// How long each command the supervisor runs may take: every exec has a bound (the README's table
// of timeouts is generated from this one). Hooks have theirs in TS_SCRIPT_TIMEOUT.

/** A command kind, its time limit, and what it is. */
export interface CommandTimeout {
  readonly ms: number;
  /** The commands it covers, for the README. */
  readonly commands: string;
}

/** Every command kind the supervisor runs by itself, with its time limit. */
export const COMMAND_TIMEOUTS = {
  iptables: { ms: 10_000, commands: "each `iptables`/`ip6tables` command of the firewall probe and of `TS_LAN_MASQUERADE`'s chain at Running (they wait up to 5 s for the xtables lock, `-w 5`), and `iptables-save`" },
  ip: { ms: 5000, commands: "`ip route get/show/replace` of the return routes, `ip rule show/add/del` of their policy rules at Running; `ip route`, `ip rule` in the diagnostics" },
  lanCleanup: { ms: 3000, commands: "at a stop, each command removing `TS_LAN_MASQUERADE`'s chain (`-w 2`) and the return routes' policy rules" },
  mknod: { ms: 5000, commands: "`mknod` creating /dev/net/tun" },
  uname: { ms: 5000, commands: "`uname -m`, when the kernel has no /proc/sys/kernel/arch (before Linux 6.1)" },
  status: { ms: 30_000, commands: "`tailscale status --json` for the Running line, again while advertised routes wait for approval, and in `doctor`'s live section (each exec of the compressed binary costs seconds on a router)" },
  netcheck: { ms: 20_000, commands: "`tailscale netcheck --format=json` in `doctor`'s live section (it probes the DERP relays)" },
  login: { ms: 300_000, commands: "`tailscale login` / `tailscale up` (tailscaled goes on with the login by itself when the CLI is ended: its state is followed from its log)" },
} as const satisfies Readonly<Record<string, CommandTimeout>>;

/** After a timeout, TERM is followed by KILL this much later. */
export const KILL_AFTER_TERM_MS = 2000;

// What the LAN gets from this node, decided once preflight is done: the masquerade (TS_LAN_MASQUERADE)
// in the backend preflight chose, and a policy rule per advertised subnet (kernel mode); or why
// TS_LAN_MASQUERADE cannot be honoured in this container.
import { LAN_MASQUERADE_NEEDS_KERNEL } from "../config/config-rules.ts";
import type { Config } from "../config/config.ts";
import type { FirewallChoice } from "../preflight/firewall/choose-backend.ts";
import type { FirewallBackend, IpFamily } from "../preflight/firewall/probe-backends.ts";

/** The LAN's share of the setup. */
export interface LanPlan {
  /** TS_LAN_MASQUERADE=true: the backend and whether ip6tables works with it; undefined: off. */
  readonly masquerade: { readonly backend: FirewallBackend; readonly ipv6: boolean } | undefined;
  /** With the masquerade off: the backend to look for a chain an earlier run left (undefined: none works). */
  readonly leftoverBackend: FirewallBackend | undefined;
  /** The subnets that get a policy rule, by family (canonical texts); empty in userspace networking. */
  readonly ruleSubnets: Readonly<Record<IpFamily, readonly string[]>>;
  /** Kernel TUN mode (userspace networking forwards nothing: no rules at all). */
  readonly kernel: boolean;
}

/** The plan, or TS_LAN_MASQUERADE refused with the reason and the fix (exit 78). */
export type LanDecision =
  | { readonly kind: "plan"; readonly plan: LanPlan }
  | { readonly kind: "refused"; readonly variable: string; readonly value: "true"; readonly problem: string; readonly fix: string };

/** Decides from the configuration, the networking mode and the firewall backend preflight chose. */
export function planLan(config: Pick<Config, "lanMasquerade" | "routes" | "sources">, userspace: boolean, choice: FirewallChoice): LanDecision {
  const variable = config.sources.lanMasquerade.variable;
  if (config.lanMasquerade && userspace) {
    const fix = `give the container /dev/net/tun and NET_ADMIN (RouterOS 7.21+ has both), or remove ${variable}`;
    return { kind: "refused", variable, value: "true", problem: `cannot be honoured: this container runs in userspace networking, and ${LAN_MASQUERADE_NEEDS_KERNEL}`, fix };
  }
  if (config.lanMasquerade && choice.kind !== "backend") {
    const fix = `install iptables with a backend this kernel supports (legacy works on RouterOS), or remove ${variable}`;
    return { kind: "refused", variable, value: "true", problem: "cannot be honoured: no iptables backend works in this container (see the firewall check)", fix };
  }
  const backend = choice.kind === "backend" ? choice : undefined;
  const subnets = userspace ? [] : (config.routes ?? []);
  return {
    kind: "plan",
    plan: {
      masquerade: config.lanMasquerade && backend !== undefined ? { backend: backend.backend, ipv6: backend.ipv6 } : undefined,
      leftoverBackend: config.lanMasquerade || userspace ? undefined : backend?.backend,
      ruleSubnets: { 4: subnets.filter((cidr) => cidr.family === 4).map((cidr) => cidr.text), 6: subnets.filter((cidr) => cidr.family === 6).map((cidr) => cidr.text) },
      kernel: !userspace,
    },
  };
}

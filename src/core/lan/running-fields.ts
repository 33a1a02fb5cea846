// The Running line's LAN fields: exit node used or offered, the masquerade, MagicDNS and the
// RouterOS DNS forward for it.
import { routerOsDnsForward, type LanStatus } from "./lan-status.ts";

/** What the fields are made of: the node's status (undefined when unknown) and what the supervisor put in place. */
export interface LanFieldsInput {
  readonly advertiseExitNode: boolean;
  readonly status: LanStatus | undefined;
  /** The masquerade in words (lan-routing.ts); undefined: not known (no LAN routing). */
  readonly masquerade: string | undefined;
  /** Kernel TUN mode: only then can the LAN reach 100.100.100.100 through the container. */
  readonly kernel: boolean;
}

/** `exitNode=used exitNodeIp=100.64.0.4`, `exitNode=offered`, `masquerade=...`, `magicDns=... routerOsDns="..."`. */
export function describeLanFields(input: LanFieldsInput): Record<string, string | undefined> {
  const exitNodeIps = input.status?.exitNodeIps;
  const suffix = input.status?.magicDnsSuffix;
  return {
    exitNode: exitNodeIps !== undefined ? "used" : input.advertiseExitNode ? "offered" : "no",
    exitNodeIp: exitNodeIps?.[0],
    masquerade: input.masquerade,
    magicDns: suffix,
    routerOsDns: suffix !== undefined && input.kernel ? routerOsDnsForward(suffix) : undefined,
  };
}

// What `tailscale status --json` says about the LAN's view of the tailnet: the exit node in use, the
// MagicDNS suffix, the node's addresses; and the RouterOS DNS forward for that suffix.

/** The parts of status JSON the LAN fields need. */
export interface LanStatus {
  /** The exit node this node uses (its tailnet addresses, without prefix lengths); undefined: none. */
  readonly exitNodeIps: readonly string[] | undefined;
  /** The MagicDNS suffix when MagicDNS is on (`tailnet.example`); undefined when off or not told. */
  readonly magicDnsSuffix: string | undefined;
  readonly tailnetIps: readonly string[];
}

/** 100.100.100.100: tailscaled answers MagicDNS there (netstack, also in kernel TUN mode). */
export const MAGIC_DNS_ADDRESS = "100.100.100.100";

/** Reads `ExitNodeStatus`, `CurrentTailnet` (MagicDNSEnabled, MagicDNSSuffix) and `Self.TailscaleIPs`; undefined when not status JSON. */
export function readLanStatus(json: string): LanStatus | undefined {
  let status: unknown;
  try {
    status = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(status) || !isRecord(status["Self"])) return undefined;
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);
  const exitNode = status["ExitNodeStatus"];
  const tailnet = status["CurrentTailnet"];
  const suffix = isRecord(tailnet) && tailnet["MagicDNSEnabled"] === true && typeof tailnet["MagicDNSSuffix"] === "string" ? tailnet["MagicDNSSuffix"].replace(/\.$/, "") : "";
  return {
    exitNodeIps: isRecord(exitNode) ? strings(exitNode["TailscaleIPs"]).map((prefix) => prefix.replace(/\/\d+$/, "")) : undefined,
    magicDnsSuffix: suffix === "" ? undefined : suffix,
    tailnetIps: strings(status["Self"]["TailscaleIPs"]),
  };
}

/** The RouterOS command that sends the router's (and so the LAN's) queries for the suffix to tailscaled. */
export function routerOsDnsForward(suffix: string): string {
  return `/ip dns static add name=${suffix} type=FWD forward-to=${MAGIC_DNS_ADDRESS} match-subdomain=yes`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

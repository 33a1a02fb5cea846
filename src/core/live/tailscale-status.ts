// What `doctor`'s live section reads from `tailscale status --json` (ipnstate.Status of the pinned
// version; test/fixtures/tailscale/status): the node's state, addresses, routes, relay, exit node, peers.

/** One peer, as far as connectivity goes. */
export interface PeerFacts {
  readonly name: string;
  readonly online: boolean;
  /** A direct UDP path (`CurAddr`), not through a DERP relay. */
  readonly direct: boolean;
}

/** The node as tailscaled sees it. */
export interface NodeFacts {
  readonly backendState: string;
  readonly ips: readonly string[];
  readonly dnsName: string;
  /** Routes and exit-node prefixes granted to this node (its AllowedIPs and PrimaryRoutes). */
  readonly granted: readonly string[];
  /** The DERP region code of its home relay ("" when none). */
  readonly relay: string;
  /** The exit node it uses, if any. */
  readonly exitNode: { readonly ips: readonly string[]; readonly online: boolean } | undefined;
  readonly peers: readonly PeerFacts[];
  readonly health: readonly string[];
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** Reads the status JSON; undefined when it is not status JSON. */
export function parseNodeStatus(json: string): NodeFacts | undefined {
  let status: Json;
  try {
    status = asObject(JSON.parse(json));
  } catch {
    return undefined;
  }
  if (typeof status["BackendState"] !== "string") return undefined;
  const self = asObject(status["Self"]);
  const exit = status["ExitNodeStatus"] === undefined || status["ExitNodeStatus"] === null ? undefined : asObject(status["ExitNodeStatus"]);
  const peers = Object.values(asObject(status["Peer"])).map((value) => {
    const peer = asObject(value);
    return { name: text(peer["HostName"]), online: peer["Online"] === true, direct: text(peer["CurAddr"]) !== "" };
  });
  return {
    backendState: text(status["BackendState"]),
    ips: strings(self["TailscaleIPs"]),
    dnsName: text(self["DNSName"]).replace(/\.$/, ""),
    granted: [...new Set([...strings(self["PrimaryRoutes"]), ...strings(self["AllowedIPs"])])],
    relay: text(self["Relay"]),
    exitNode: exit === undefined ? undefined : { ips: strings(exit["TailscaleIPs"]), online: exit["Online"] === true },
    peers,
    health: strings(status["Health"]),
  };
}

// The one summary line at Running, from `tailscale status --json` (run once per transition to Running).

/** Fields of the summary line. */
export interface RunningSummary {
  readonly ips: readonly string[];
  readonly hostname: string;
  readonly dnsName: string;
  readonly approvedRoutes: readonly string[];
  readonly pendingRoutes: readonly string[];
  /** The node may be used as an exit node (0.0.0.0/0 or ::/0 granted). */
  readonly exitNodeApproved: boolean;
  readonly health: readonly string[];
}

/** Reads what matters from status JSON; undefined when it is not status JSON. */
export function summarizeStatus(json: string, advertisedRoutes: readonly string[]): RunningSummary | undefined {
  let status: unknown;
  try {
    status = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof status !== "object" || status === null || !("Self" in status)) return undefined;
  const self = (status as { Self?: Record<string, unknown> }).Self ?? {};
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);
  // A subnet route is in use once approved: it then shows up among the node's primary routes / allowed IPs.
  const granted = new Set([...strings(self["PrimaryRoutes"]), ...strings(self["AllowedIPs"])]);
  return {
    ips: strings(self["TailscaleIPs"]),
    hostname: typeof self["HostName"] === "string" ? self["HostName"] : "",
    dnsName: typeof self["DNSName"] === "string" ? self["DNSName"].replace(/\.$/, "") : "",
    approvedRoutes: advertisedRoutes.filter((route) => granted.has(route)),
    pendingRoutes: advertisedRoutes.filter((route) => !granted.has(route)),
    exitNodeApproved: granted.has("0.0.0.0/0") || granted.has("::/0"),
    health: strings((status as { Health?: unknown }).Health),
  };
}

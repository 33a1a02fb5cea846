// What `doctor` reads from `tailscale netcheck --format=json` (netcheck.Report of the pinned version):
// whether UDP works and the nearest DERP relay with its latency.

/** The report's facts. */
export interface NetcheckFacts {
  readonly udp: boolean;
  /** The preferred DERP region's id (0: none). */
  readonly preferredDerp: number;
  /** Its round trip in ms, when measured. */
  readonly latencyMs: number | undefined;
}

/** Reads the JSON (the CLI prints a warning line before it on stderr, not stdout); undefined when it is not a report. */
export function parseNetcheck(json: string): NetcheckFacts | undefined {
  let report: unknown;
  try {
    report = JSON.parse(json.slice(Math.max(0, json.indexOf("{"))));
  } catch {
    return undefined;
  }
  if (typeof report !== "object" || report === null || typeof (report as { UDP?: unknown }).UDP !== "boolean") return undefined;
  const { UDP, PreferredDERP, RegionLatency } = report as { UDP: boolean; PreferredDERP?: unknown; RegionLatency?: Record<string, unknown> };
  const preferred = typeof PreferredDERP === "number" ? PreferredDERP : 0;
  // Go's time.Duration: nanoseconds.
  const latency = RegionLatency?.[String(preferred)];
  return { udp: UDP, preferredDerp: preferred, latencyMs: typeof latency === "number" ? latency / 1e6 : undefined };
}

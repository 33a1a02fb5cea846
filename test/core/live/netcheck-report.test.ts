// `tailscale netcheck --format=json` as doctor reads it.
import { describe, expect, it } from "vitest";
import { parseNetcheck } from "../../../src/core/live/netcheck-report.ts";

describe("parseNetcheck", () => {
  it("UDP, the preferred region and its latency (Go durations are nanoseconds)", () => {
    expect(parseNetcheck('{"UDP":true,"PreferredDERP":900,"RegionLatency":{"900":1234567}}')).toEqual({ udp: true, preferredDerp: 900, latencyMs: 1.234567 });
  });

  it("no relay reachable", () => {
    expect(parseNetcheck('{"UDP":false,"PreferredDERP":0,"RegionLatency":{}}')).toEqual({ udp: false, preferredDerp: 0, latencyMs: undefined });
  });

  it("the CLI's warning line before the JSON is skipped", () => {
    expect(parseNetcheck('# Warning: this JSON format is not yet considered a stable interface\n{"UDP":true}')?.udp).toBe(true);
  });

  it.each(["", "nope", "{}", '{"UDP":"yes"}'])("%j is not a report", (text) => {
    expect(parseNetcheck(text)).toBeUndefined();
  });
});

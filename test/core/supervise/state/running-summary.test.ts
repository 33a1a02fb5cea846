// The Running line's content from `tailscale status --json`: IPs, names, approved and pending routes, health.
import { describe, expect, it } from "vitest";
import { summarizeStatus } from "../../../../src/core/supervise/state/running-summary.ts";

describe("summarizeStatus", () => {
  it("reads IPs and which advertised routes are approved", () => {
    const json = JSON.stringify({ Self: { HostName: "r", DNSName: "r.ts.net.", TailscaleIPs: ["100.64.0.1"], AllowedIPs: ["100.64.0.1/32", "10.0.0.0/8"] }, Health: ["warn"] });
    expect(summarizeStatus(json, ["10.0.0.0/8", "192.168.0.0/16"])).toEqual({ ips: ["100.64.0.1"], hostname: "r", dnsName: "r.ts.net", approvedRoutes: ["10.0.0.0/8"], pendingRoutes: ["192.168.0.0/16"], exitNodeApproved: false, health: ["warn"] });
  });

  it("counts a primary route as approved, and skips what is not a string", () => {
    const json = JSON.stringify({ Self: { HostName: 7, DNSName: null, TailscaleIPs: ["100.64.0.1", 5], PrimaryRoutes: ["192.168.0.0/16"] }, Health: "x" });
    expect(summarizeStatus(json, ["10.0.0.0/8", "192.168.0.0/16"])).toEqual({ ips: ["100.64.0.1"], hostname: "", dnsName: "", approvedRoutes: ["192.168.0.0/16"], pendingRoutes: ["10.0.0.0/8"], health: [] });
  });

  it("a Self of null is an empty node", () => {
    expect(summarizeStatus('{"Self":null}', ["10.0.0.0/8"])).toEqual({ ips: [], hostname: "", dnsName: "", approvedRoutes: [], pendingRoutes: ["10.0.0.0/8"], health: [] });
  });

  it.each(["", "not json", "[]", "{}", "null", "7", '{"BackendState":"Running"}'])("%j is not status JSON", (text) => {
    expect(summarizeStatus(text, [])).toBeUndefined();
  });
});

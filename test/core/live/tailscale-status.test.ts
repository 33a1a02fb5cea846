// `tailscale status --json` as doctor's live section reads it, against the recorded statuses.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseNodeStatus } from "../../../src/core/live/tailscale-status.ts";

const recorded = (name: string) => readFileSync(new URL(`../../fixtures/tailscale/status/${name}`, import.meta.url), "utf8");

describe("parseNodeStatus", () => {
  it("a Running kernel-mode node: state, addresses, relay, health", () => {
    expect(parseNodeStatus(recorded("status-kernel-tun-running.json"))).toEqual({
      backendState: "Running",
      ips: ["100.64.0.1", "fd7a:115c:a1e0::1"],
      dnsName: "rec-ktun.example.test",
      granted: ["100.64.0.1/32", "fd7a:115c:a1e0::1/128"],
      relay: "stub",
      exitNode: undefined,
      peers: [],
      health: ["Subnet routing is enabled, but IP forwarding is disabled. Check that IP forwarding is enabled on your machine."],
    });
  });

  it("peers: online and direct (CurAddr) counted from the recorded tailnet", () => {
    const node = parseNodeStatus(recorded("status-running-config-routes-approved.json"));
    expect(node?.peers.length).toBeGreaterThan(3);
    expect(node?.peers.every((peer) => typeof peer.online === "boolean" && peer.direct === false)).toBe(true);
  });

  it("an exit node in use", () => {
    const json = JSON.stringify({ BackendState: "Running", Self: {}, ExitNodeStatus: { ID: "n1", Online: false, TailscaleIPs: ["100.64.0.9/32"] } });
    expect(parseNodeStatus(json)?.exitNode).toEqual({ ips: ["100.64.0.9/32"], online: false });
  });

  it.each(["", "not json", "[]", "{}", '{"BackendState":1}'])("%j is not status JSON", (text) => {
    expect(parseNodeStatus(text)).toBeUndefined();
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readLanStatus, routerOsDnsForward } from "../../../src/core/lan/lan-status.ts";
import { ROOT } from "../../support/qjs.ts";

const RECORDED = readFileSync(`${ROOT}test/fixtures/tailscale/status/status-running.json`, "utf8");

function withChanges(change: (status: Record<string, any>) => void): string {
  const status = JSON.parse(RECORDED) as Record<string, any>;
  change(status);
  return JSON.stringify(status);
}

describe("readLanStatus", () => {
  it("the recorded Running status (MagicDNS off, no exit node): the node's addresses only", () => {
    expect(readLanStatus(RECORDED)).toEqual({ exitNodeIps: undefined, magicDnsSuffix: undefined, tailnetIps: ["100.64.0.1", "fd7a:115c:a1e0::1"] });
  });

  it("an exit node in use (its addresses without prefix lengths) and MagicDNS on (the suffix without its dot)", () => {
    const json = withChanges((status) => {
      status["ExitNodeStatus"] = { ID: "4", Online: true, TailscaleIPs: ["100.64.0.4/32", "fd7a:115c:a1e0::4/128"] };
      status["CurrentTailnet"] = { Name: "x", MagicDNSSuffix: "tailnet.test.", MagicDNSEnabled: true };
    });
    expect(readLanStatus(json)).toMatchObject({ exitNodeIps: ["100.64.0.4", "fd7a:115c:a1e0::4"], magicDnsSuffix: "tailnet.test" });
  });

  it.each(["not json", "[]", '{"BackendState":"Running"}'])("%s: not status JSON", (text) => {
    expect(readLanStatus(text)).toBeUndefined();
  });
});

describe("routerOsDnsForward", () => {
  it("forwards the suffix and its subdomains to 100.100.100.100", () => {
    expect(routerOsDnsForward("tailnet.test")).toBe("/ip dns static add name=tailnet.test type=FWD forward-to=100.100.100.100 match-subdomain=yes");
  });
});

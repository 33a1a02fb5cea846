import { describe, expect, it } from "vitest";
import { describeLanFields } from "../../../src/core/lan/running-fields.ts";

const FORWARD = "/ip dns static add name=ts.example type=FWD forward-to=100.100.100.100 match-subdomain=yes";

describe("describeLanFields", () => {
  it.each([
    ["nothing known", { advertiseExitNode: false, status: undefined, masquerade: undefined, kernel: true }, { exitNode: "no" }],
    ["offered", { advertiseExitNode: true, status: undefined, masquerade: "off", kernel: true }, { exitNode: "offered", masquerade: "off" }],
    ["used, as the status says", { advertiseExitNode: false, status: { exitNodeIps: ["100.64.0.4", "fd7a::4"], magicDnsSuffix: undefined, tailnetIps: [] }, masquerade: "on (IPv4; legacy)", kernel: true }, { exitNode: "used", exitNodeIp: "100.64.0.4", masquerade: "on (IPv4; legacy)" }],
    ["MagicDNS on, kernel mode: the RouterOS forward", { advertiseExitNode: false, status: { exitNodeIps: undefined, magicDnsSuffix: "ts.example", tailnetIps: [] }, masquerade: "off", kernel: true }, { exitNode: "no", masquerade: "off", magicDns: "ts.example", routerOsDns: FORWARD }],
    ["MagicDNS on, userspace: no forward (the LAN cannot reach it)", { advertiseExitNode: false, status: { exitNodeIps: undefined, magicDnsSuffix: "ts.example", tailnetIps: [] }, masquerade: undefined, kernel: false }, { exitNode: "no", magicDns: "ts.example" }],
  ])("%s", (_name, input, expected) => {
    const fields = describeLanFields(input);
    expect(Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))).toEqual(expected);
  });
});

// Capabilities: the effective set from /proc/self/status by name, and what kernel mode misses.
import { describe, expect, it } from "vitest";
import { decodeCapabilities, findMissingCapabilities, parseEffectiveCapabilities, probeCapabilities } from "../../../../src/core/preflight/networking/capabilities.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

describe("decodeCapabilities", () => {
  it.each([
    ["0000000000000000", []],
    ["0000000000001000", ["NET_ADMIN"]],
    ["0000000000003000", ["NET_ADMIN", "NET_RAW"]],
    ["0000000008000000", ["MKNOD"]],
    ["0000010000000000", ["CHECKPOINT_RESTORE"]],
    ["0000020000000000", ["CAP_41"]],
    ["8000000000000001", ["CHOWN", "CAP_63"]],
    ["80000000", ["SETFCAP"]],
    ["100000000", ["MAC_OVERRIDE"]],
    ["1", ["CHOWN"]],
    ["A80425FB", ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE", "NET_RAW", "SYS_CHROOT", "MKNOD", "AUDIT_WRITE", "SETFCAP"]],
    ["a80425fb", ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE", "NET_RAW", "SYS_CHROOT", "MKNOD", "AUDIT_WRITE", "SETFCAP"]],
  ])("%s → %j", (hex, names) => {
    expect(decodeCapabilities(hex)).toEqual(names);
  });

  it.each(["", "xyz", "00000000000000000", " 1", "1 ", "0x1"])("refuses %j", (hex) => {
    expect(decodeCapabilities(hex)).toBeUndefined();
  });
});

describe("parseEffectiveCapabilities", () => {
  it("reads CapEff, not CapPrm or CapBnd", () => {
    expect(parseEffectiveCapabilities("CapInh:\t0000000000000000\nCapPrm:\t0000000000003000\nCapEff:\t0000000000001000\nCapBnd:\t0000000000003000\n")).toEqual(["NET_ADMIN"]);
    expect(parseEffectiveCapabilities("CapEff:0000000000002000")).toEqual(["NET_RAW"]);
    expect(parseEffectiveCapabilities("Name:\tx\n")).toBeUndefined();
    expect(parseEffectiveCapabilities("CapEff:\t00000000000010001\n")).toBeUndefined();
    expect(parseEffectiveCapabilities("CapEff:\t0000000000001000 junk\n")).toBeUndefined();
    expect(parseEffectiveCapabilities("NotCapEff:\t0000000000001000\n")).toBeUndefined();
    expect(parseEffectiveCapabilities("CapEff:\t0000000000001000 \n")).toEqual(["NET_ADMIN"]);
  });
});

describe("probeCapabilities", () => {
  it.each([
    [{ "/proc/self/status": "Name:\tqjs\nCapEff:\t0000000000003000\n" }, { kind: "known", effective: ["NET_ADMIN", "NET_RAW"] }],
    [{ "/proc/self/status": "Name:\tqjs\n" }, { kind: "unknown", error: "no CapEff line in /proc/self/status" }],
    [{}, { kind: "unknown", error: "No such file or directory" }],
  ])("%j → %j", (files, facts) => {
    expect(probeCapabilities(createFakeHost({ files }).files)).toEqual(facts);
  });
});

describe("findMissingCapabilities", () => {
  it("asks for MKNOD only when the TUN node is missing (Docker's default set has no NET_ADMIN)", () => {
    const docker = { kind: "known", effective: decodeCapabilities("a80425fb") ?? [] } as const;
    expect(findMissingCapabilities(docker, false).map((cap) => cap.name)).toEqual(["NET_ADMIN"]);
    expect(findMissingCapabilities(docker, true).map((cap) => cap.name)).toEqual(["NET_ADMIN"]);
    expect(findMissingCapabilities({ kind: "known", effective: ["NET_ADMIN", "NET_RAW"] }, true).map((cap) => cap.name)).toEqual(["MKNOD"]);
    expect(findMissingCapabilities({ kind: "known", effective: ["NET_ADMIN", "NET_RAW"] }, false)).toEqual([]);
    expect(findMissingCapabilities({ kind: "unknown", error: "x" }, true)).toEqual([]);
  });

  it("says what breaks without each", () => {
    expect(findMissingCapabilities({ kind: "known", effective: [] }, true)).toEqual([
      { name: "NET_ADMIN", breaks: "the tailscale0 interface, routes, firewall rules and sysctls" },
      { name: "NET_RAW", breaks: "iptables-legacy (it opens a raw socket) and tailscaled's raw sockets" },
      { name: "MKNOD", breaks: "creating /dev/net/tun" },
    ]);
  });
});

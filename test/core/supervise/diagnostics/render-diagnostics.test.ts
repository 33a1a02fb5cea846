// The diagnostics block as plain lines (class and fix first, printable ASCII) and as one JSON line's fields.
import { describe, expect, it } from "vitest";
import type { DiagnosticsReport } from "../../../../src/core/supervise/diagnostics/collect-diagnostics.ts";
import { renderPlainBlock, toJsonFields } from "../../../../src/core/supervise/diagnostics/render-diagnostics.ts";

const REPORT: DiagnosticsReport = {
  severity: "failure",
  failure: { failureClass: "auth", cause: "the key was refused", fix: "create a new key" },
  crash: undefined,
  versions: { supervisor: "0.1.0", tailscaled: "v1.102.3", kernel: "6.1", arch: "x86_64" },
  pid: 1,
  capabilities: "41 effective; NET_ADMIN and NET_RAW among them",
  mode: "kernel TUN, firewall iptables",
  tun: "char-device 10:200",
  forwarding: { ipv4: "1", ipv6: "0" },
  stateDir: "/var/lib/tailscale on ext4 (/var/lib/tailscale)",
  resolvers: ["10.0.0.1", "fd00::1"],
  ipRoute: ["default via 10.0.0.1 dev eth0"],
  ipRule: [],
  health: [],
  tailscaledLines: ["a", "b"],
  notableLines: [],
};

describe("renderPlainBlock", () => {
  it("class and fix first, the facts, tailscaled's lines, the end mark", () => {
    expect(renderPlainBlock(REPORT)).toEqual([
      "=== tailscale supervisor failure: auth ===",
      "fix: create a new key",
      "cause: the key was refused",
      "versions: supervisor 0.1.0, tailscaled v1.102.3; kernel 6.1; arch x86_64",
      "pid1: yes; capabilities: 41 effective; NET_ADMIN and NET_RAW among them",
      "mode: kernel TUN, firewall iptables; tun: char-device 10:200",
      "forwarding: ipv4=1 ipv6=0",
      "state dir: /var/lib/tailscale on ext4 (/var/lib/tailscale)",
      "resolvers: 10.0.0.1,fd00::1",
      "ip route:",
      "  default via 10.0.0.1 dev eth0",
      "ip rule:",
      "last 2 tailscaled lines:",
      "  a",
      "  b",
      "=== end of diagnostics ===",
    ]);
  });

  it("a warning, a crash line, health errors, no resolvers, not PID 1", () => {
    const lines = renderPlainBlock({ ...REPORT, severity: "warning", crash: "panic: boom", health: ["health(x): error: y"], resolvers: [], pid: 42 });
    expect(lines[0]).toBe("=== tailscale supervisor warning: auth ===");
    expect(lines[3]).toBe("crash: panic: boom");
    expect(lines).toContain("pid1: no (pid 42); capabilities: 41 effective; NET_ADMIN and NET_RAW among them");
    expect(lines).toContain("resolvers: none");
    expect(lines.slice(lines.indexOf("health:"), lines.indexOf("health:") + 2)).toEqual(["health:", "  health(x): error: y"]);
  });

  it("tabs become spaces, other control and non-ASCII characters are escaped", () => {
    const lines = renderPlainBlock({ ...REPORT, tailscaledLines: ["\tat main.go:1", "bell\u0007 é"] });
    expect(lines.slice(-3, -1)).toEqual(["    at main.go:1", "  bell\\u0007 \\u00e9"]);
  });
});

describe("toJsonFields", () => {
  it("the class under the severity, then every fact under its key", () => {
    expect(toJsonFields({ ...REPORT, crash: "panic: x" })).toEqual({
      failure: "auth",
      fix: "create a new key",
      cause: "the key was refused",
      crash: "panic: x",
      versions: REPORT.versions,
      pid1: true,
      capabilities: REPORT.capabilities,
      mode: REPORT.mode,
      tun: REPORT.tun,
      forwarding: REPORT.forwarding,
      stateDir: REPORT.stateDir,
      resolvers: REPORT.resolvers,
      ipRoute: REPORT.ipRoute,
      ipRule: [],
      health: [],
      tailscaledLines: ["a", "b"],
    });
    expect(toJsonFields({ ...REPORT, severity: "warning", pid: 7 })).toMatchObject({ warning: "auth", pid1: false });
    expect(toJsonFields({ ...REPORT, severity: "warning" })).not.toHaveProperty("failure");
  });
});

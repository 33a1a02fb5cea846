// What the diagnostics block says, gathered: the failure, the machine, the network (`ip route`, `ip
// rule`, each bounded), the state dir's mount, and tailscaled's last lines and health errors.
import { describe, expect, it } from "vitest";
import { collectDiagnostics, type DiagnosticsFacts } from "../../../../src/core/supervise/diagnostics/collect-diagnostics.ts";
import { createFakeCommands, type FakeAnswer } from "../../../fakes/fake-commands.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const FAILURE = { failureClass: "auth", cause: "refused", fix: "new key" } as const;
const SYSTEM = { version: "0.1.0", arch: "x86_64", kernel: "6.1", pid1: true };
const FILES = {
  "/proc/self/status": "CapEff:\t000001ffffffffff\n",
  "/proc/self/mountinfo": "1 0 8:1 / / rw - overlay overlay rw\n2 1 8:2 / /var/lib/tailscale rw - ext4 /dev/sda1 rw\n",
  "/proc/sys/net/ipv4/ip_forward": "1\n",
  "/etc/resolv.conf": "search example\nnameserver 10.0.0.1\nnameserver  fd00::1 \n#nameserver 9.9.9.9\n",
  "/dev/net/tun": { kind: "char-device", mode: 0o600, rdev: (10 << 8) | 200 } as const,
};

function facts(over: Partial<DiagnosticsFacts> = {}, files: Record<string, string | object> = FILES, answer: (argv: readonly string[]) => FakeAnswer | undefined = () => undefined) {
  const commands = createFakeCommands(answer);
  const host = createFakeHost({ files: files as Record<string, string> });
  return { commands, facts: { host, commands: commands.runner, system: SYSTEM, stateDir: "/var/lib/tailscale", mode: "kernel TUN, firewall iptables", tail: [], ...over } };
}

describe("collectDiagnostics", () => {
  it("gathers the facts of a machine", async () => {
    const { commands, facts: given } = facts({ tail: ["Program starting", "health(warnable=login-state): error: logged out", "last"], daemonVersion: "v1.102.3", crashLine: "panic: boom" }, FILES, (argv) =>
      argv[1] === "route" ? { stdout: "default via 10.0.0.1 dev eth0\n10.0.0.0/24\tdev eth0\n" } : { stdout: "0:\tfrom all lookup local\n" },
    );
    expect(await collectDiagnostics(given, FAILURE, "failure")).toEqual({
      severity: "failure",
      failure: FAILURE,
      crash: "panic: boom",
      versions: { supervisor: "0.1.0", tailscaled: "v1.102.3", kernel: "6.1", arch: "x86_64" },
      pid: 1,
      capabilities: "41 effective; NET_ADMIN and NET_RAW among them",
      mode: "kernel TUN, firewall iptables",
      tun: "char-device 10:200",
      forwarding: { ipv4: "1", ipv6: "unreadable" },
      stateDir: "/var/lib/tailscale on ext4 (/var/lib/tailscale)",
      resolvers: ["10.0.0.1", "fd00::1"],
      ipRoute: ["default via 10.0.0.1 dev eth0", "10.0.0.0/24 dev eth0"],
      ipRule: ["0: from all lookup local"],
      health: ["health(warnable=login-state): error: logged out"],
      tailscaledLines: ["Program starting", "health(warnable=login-state): error: logged out", "last"],
    });
    expect(commands.ran).toEqual([["ip", "route"], ["ip", "rule"]]);
    expect(commands.options.map((option) => [option.label, option.timeoutMs])).toEqual([["ip route", 5000], ["ip rule", 5000]]);
  });

  it("a machine it can tell little about", async () => {
    const { facts: given } = facts({}, {}, (argv) => (argv[1] === "route" ? { code: 2, stderr: "ip: not permitted\nmore\n" } : { failure: "timed-out", error: "ip rule did not finish within 5s and was ended" }));
    expect(await collectDiagnostics(given, FAILURE, "warning")).toMatchObject({
      severity: "warning",
      crash: undefined,
      versions: { tailscaled: "not started" },
      capabilities: "unknown (No such file or directory)",
      tun: "ENOENT",
      forwarding: { ipv4: "unreadable", ipv6: "unreadable" },
      stateDir: "/var/lib/tailscale on unknown",
      resolvers: [],
      ipRoute: ["(ip route failed: ip: not permitted)"],
      ipRule: ["(ip rule did not finish within 5s and was ended)"],
      health: [],
      tailscaledLines: [],
    });
  });

  it("names the capabilities kernel mode misses", async () => {
    const { facts: given } = facts({}, { ...FILES, "/proc/self/status": "CapEff:\t0000000000002000\n" });
    expect((await collectDiagnostics(given, FAILURE, "failure")).capabilities).toBe("1 effective; missing NET_ADMIN");
  });

  it("keeps 4 lines of each ip command, the last 12 tailscaled lines and the last 3 health errors", async () => {
    const tail = Array.from({ length: 20 }, (_, index) => (index % 3 === 0 ? `health(warnable=w${index}): error: e${index}` : `line ${index}`));
    const { facts: given } = facts({ tail: [...tail, "health(warnable=x): ok"] }, FILES, () => ({ stdout: "a\nb\n\nc\nd\ne\nf\n" }));
    const report = await collectDiagnostics(given, FAILURE, "failure");
    expect(report.ipRoute).toEqual(["a", "b", "c", "d", "(+2 more)"]);
    expect(report.tailscaledLines).toEqual([...tail.slice(-11), "health(warnable=x): ok"]);
    expect(report.health).toEqual(["health(warnable=w12): error: e12", "health(warnable=w15): error: e15", "health(warnable=w18): error: e18"]);
  });
});

// Every probe run once and its facts gathered: the mount table read once for all, the firewall probes
// of a first pass reused by the second.
import { describe, expect, it } from "vitest";
import { probeAll } from "../../../src/core/preflight/probe-all.ts";
import { createPreflightMachine, SYSTEM } from "../../fakes/preflight-machine.ts";

describe("probeAll", () => {
  it("gathers the facts of every probe", async () => {
    const { host, config, commands } = createPreflightMachine({ env: { TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "172.17.0.1" } });
    const facts = await probeAll(host, config, commands.runner, SYSTEM);
    expect(facts).toEqual({
      system: SYSTEM,
      capabilities: { kind: "known", effective: expect.arrayContaining(["NET_ADMIN", "NET_RAW", "MKNOD"]) },
      tun: { kind: "usable" },
      devReadOnly: false,
      firewall: {
        probes: [
          { backend: "legacy", family: 4, result: { kind: "works", rules: 0 } },
          { backend: "legacy", family: 6, result: { kind: "works", rules: 0 } },
          { backend: "nft", family: 4, result: { kind: "missing" } },
          { backend: "nft", family: 6, result: { kind: "missing" } },
        ],
      },
      firewallChoice: { kind: "backend", backend: "legacy", ipv6: true, reason: "only legacy works" },
      sysctls: { values: new Map([["net.ipv4.ip_forward", "0"], ["net.ipv6.conf.all.forwarding", "0"], ["net.core.rmem_max", "7340032"], ["net.core.wmem_max", "7340032"]]), readOnly: false },
      returnRoutes: {
        gateway: { family: 4, text: "172.17.0.1" },
        reach: { kind: "connected", source: "172.17.0.2" },
        routes: [{ cidr: { family: 4, text: "192.168.88.0/24", prefixLength: 24 }, present: false }],
        otherFamily: [],
      },
      stateDir: { path: "/var/lib/tailscale", kind: "directory", writeError: undefined, mount: { mountPoint: "/var/lib/tailscale", fsType: "ext4", source: "/dev/sda1", readOnly: false, noDev: false }, hasState: false },
      memory: { limitBytes: 268435456, limitFile: "/sys/fs/cgroup/memory.max", totalBytes: 1024 * 1024 * 1024, availableBytes: 512 * 1024 * 1024 },
    });
  });

  it("reads read-only mounts of /dev/net and /proc/sys/net from the mount table", async () => {
    const mountinfo = "1 0 0:1 / / rw - overlay overlay rw\n2 1 0:2 / /dev/net ro - tmpfs tmpfs ro\n3 1 0:3 / /proc/sys ro - proc proc rw\n";
    const { host, config, commands } = createPreflightMachine({ files: { "/proc/self/mountinfo": mountinfo } });
    const facts = await probeAll(host, config, commands.runner, SYSTEM);
    expect([facts.devReadOnly, facts.sysctls.readOnly, facts.stateDir.mount?.mountPoint]).toEqual([true, true, "/"]);
  });

  it("the mount /dev/net is on decides: a read-write /dev/net over a read-only /dev can take the node", async () => {
    const mountinfo = "1 0 0:1 / / rw - overlay overlay rw\n2 1 0:2 / /dev ro - tmpfs tmpfs ro\n3 1 0:3 / /dev/net rw - tmpfs tmpfs rw\n";
    const { host, config, commands } = createPreflightMachine({ files: { "/proc/self/mountinfo": mountinfo } });
    expect((await probeAll(host, config, commands.runner, SYSTEM)).devReadOnly).toBe(false);
  });

  it("without a mount table: no mount known, nothing read-only", async () => {
    const { host, config, commands } = createPreflightMachine({ files: { "/proc/self/mountinfo": null } });
    const facts = await probeAll(host, config, commands.runner, SYSTEM);
    expect([facts.devReadOnly, facts.sysctls.readOnly, facts.stateDir.mount]).toEqual([false, false, undefined]);
  });

  it("nothing to route: no return-route facts", async () => {
    const { host, config, commands } = createPreflightMachine();
    expect((await probeAll(host, config, commands.runner, SYSTEM)).returnRoutes).toBeUndefined();
  });

  it("a second pass reuses the first pass's firewall probes and runs every other probe again", async () => {
    const { host, config, commands } = createPreflightMachine({ env: { TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "172.17.0.1" } });
    const first = await probeAll(host, config, commands.runner, SYSTEM);
    commands.ran.length = 0;
    host.files.remove("/dev/net/tun");
    const previous = { ...first, firewall: { probes: [{ backend: "nft", family: 4, result: { kind: "works", rules: 1 } }] } } as const;
    const second = await probeAll(host, config, commands.runner, SYSTEM, previous);
    expect(commands.ran.filter((argv) => argv[0]?.includes("iptables"))).toEqual([]);
    expect(commands.ran.map((argv) => argv.join(" "))).toEqual(["ip -4 route show", "ip -4 route get 172.17.0.1"]);
    expect(second.firewall).toBe(previous.firewall);
    expect(second.firewallChoice).toEqual({ kind: "backend", backend: "nft", ipv6: false, reason: "only nft works" });
    expect(second.tun).toEqual({ kind: "missing" });
  });
});

// The fixes preflight applies, each only when the facts call for it: the state dir, the TUN node, the
// sysctls (for the mode the TUN outcome allows), the return routes, the iptables links; nothing more
// once a stop is requested.
import { describe, expect, it } from "vitest";
import { applyFixes } from "../../../src/core/preflight/apply-fixes.ts";
import { probeAll, type PreflightFacts } from "../../../src/core/preflight/probe-all.ts";
import { createPreflightMachine, SYSTEM, type PreflightMachine } from "../../fakes/preflight-machine.ts";

const BIN = "/run/tailscale-supervisor/bin";
const ROUTED = { TS_ROUTES: "192.168.88.0/24,10.0.0.0/8", TS_CONTAINER_GATEWAY: "172.17.0.1" };

async function fix(machine: PreflightMachine, change: (facts: PreflightFacts) => PreflightFacts = (facts) => facts) {
  const facts = change(await probeAll(machine.host, machine.config, machine.commands.runner, SYSTEM));
  machine.commands.ran.length = 0;
  const applied = await applyFixes(machine.host, machine.config, machine.commands.runner, facts, BIN);
  return { applied, ran: machine.commands.ran.map((argv) => argv.join(" ")), files: machine.host.files };
}

const ids = (applied: readonly { id: string }[]) => applied.map((entry) => entry.id);

describe("applyFixes", () => {
  it("a machine that needs nothing but its iptables links gets only those, and a second run changes nothing", async () => {
    const machine = createPreflightMachine();
    const first = await fix(machine);
    expect(first.applied).toEqual([{ id: "firewall-links", outcome: { ok: true, change: `linked iptables, iptables-save, ip6tables in ${BIN}` } }]);
    expect(first.ran).toEqual([]);
    expect(first.files.entries.get(`${BIN}/iptables`)).toMatchObject({ kind: "symlink", target: "/usr/sbin/iptables-legacy" });
    expect((await fix(machine)).applied).toEqual([]);
  });

  it("no working firewall backend: no links", async () => {
    const machine = createPreflightMachine({ answer: (argv) => (argv[0]?.includes("iptables") === true ? { code: 1, stderr: "iptables: Invalid argument" } : undefined) });
    const { applied, files } = await fix(machine);
    expect(applied).toEqual([]);
    expect(files.entries.has(BIN)).toBe(false);
  });

  it("a links fix that fails is told", async () => {
    const machine = createPreflightMachine();
    machine.host.files.symlink = () => ({ ok: false, error: { code: "EROFS", message: "Read-only file system" } });
    expect((await fix(machine)).applied).toEqual([{ id: "firewall-links", outcome: { ok: false, error: `link ${BIN}/iptables: Read-only file system` } }]);
  });

  it.each([
    ["missing: created", { "/var/lib/tailscale": null }, [{ id: "state-dir", outcome: { ok: true, change: "created /var/lib/tailscale" } }]],
    ["there: left alone", {}, []],
    ["a file: left alone (the check fails instead)", { "/var/lib/tailscale": "x" }, []],
  ])("the state dir %s", async (_, files, expected) => {
    const { applied } = await fix(createPreflightMachine({ files }));
    expect(applied.filter((entry) => entry.id === "state-dir")).toEqual(expected);
  });

  it("a missing TUN node is created with mknod (kernel mode wanted)", async () => {
    const { applied, ran } = await fix(createPreflightMachine({ files: { "/dev/net/tun": null } }));
    expect(applied[0]).toEqual({ id: "tun", outcome: { ok: true, change: "created /dev/net/tun (char 10:200, mode 600)" } });
    expect(ran).toEqual(["mknod -m 600 /dev/net/tun c 10 200"]);
  });

  it.each([
    ["TS_USERSPACE=true: not created", { TS_USERSPACE: "true" }, { "/dev/net/tun": null }],
    ["a node that is there but does not open: not replaced", {}, { "/dev/net/tun": { kind: "char-device", mode: 0o600, rdev: (10 << 8) | 200, openError: "EPERM" } as const }],
    ["another device there: not replaced", {}, { "/dev/net/tun": { kind: "char-device", mode: 0o600, rdev: 259 } as const }],
  ])("the TUN node, %s", async (_, env, files) => {
    const { applied, ran } = await fix(createPreflightMachine({ env, files }));
    expect(ids(applied)).not.toContain("tun");
    expect(ran.filter((command) => command.startsWith("mknod"))).toEqual([]);
  });

  it("routes in kernel mode: forwarding turned on and the UDP buffers raised, each write told", async () => {
    const low = { "/proc/sys/net/core/rmem_max": "212992\n", "/proc/sys/net/core/wmem_max": "212992\n" };
    const { applied, files } = await fix(createPreflightMachine({ env: { TS_ROUTES: "192.168.88.0/24" }, files: low }));
    expect(applied.filter((entry) => entry.id.startsWith("net."))).toEqual([
      { id: "net.ipv4.ip_forward", outcome: { ok: true, change: "net.ipv4.ip_forward=1 (was 0)" } },
      { id: "net.core.rmem_max", outcome: { ok: true, change: "net.core.rmem_max=7340032 (was 212992)" } },
      { id: "net.core.wmem_max", outcome: { ok: true, change: "net.core.wmem_max=7340032 (was 212992)" } },
    ]);
    expect(files.readText("/proc/sys/net/ipv4/ip_forward")).toEqual({ ok: true, value: "1\n" });
    expect(files.readText("/proc/sys/net/ipv6/conf/all/forwarding")).toEqual({ ok: true, value: "0\n" });
  });

  it("a TUN node created: kernel mode, so forwarding is turned on", async () => {
    const { applied } = await fix(createPreflightMachine({ env: { TS_ROUTES: "192.168.88.0/24" }, files: { "/dev/net/tun": null } }));
    expect(ids(applied)).toEqual(["tun", "net.ipv4.ip_forward", "firewall-links"]);
  });

  it("a TUN node that could not be created: userspace networking (auto), so forwarding is left alone (the buffers still raised)", async () => {
    const machine = createPreflightMachine({ env: { TS_ROUTES: "192.168.88.0/24" }, files: { "/dev/net/tun": null, "/proc/sys/net/core/rmem_max": "212992\n", "/proc/sys/net/core/wmem_max": "212992\n" }, answer: (argv) => (argv[0] === "mknod" ? { code: 1, stderr: "mknod: Operation not permitted" } : undefined) });
    const { applied } = await fix(machine);
    expect(applied[0]).toEqual({ id: "tun", outcome: { ok: false, error: "mknod: Operation not permitted" } });
    expect(ids(applied)).toEqual(["tun", "net.core.rmem_max", "net.core.wmem_max", "firewall-links"]);
  });

  it("a TUN node that could not be created with TS_USERSPACE=false: kernel mode still, forwarding turned on", async () => {
    const machine = createPreflightMachine({ env: { TS_ROUTES: "192.168.88.0/24", TS_USERSPACE: "false" }, files: { "/dev/net/tun": null }, answer: (argv) => (argv[0] === "mknod" ? { code: 1 } : undefined) });
    expect(ids((await fix(machine)).applied)).toContain("net.ipv4.ip_forward");
  });

  it("the node it created counts as usable, whatever the probe said could be done (no MKNOD seen): kernel mode, forwarding on", async () => {
    const machine = createPreflightMachine({ env: { TS_ROUTES: "192.168.88.0/24" }, files: { "/dev/net/tun": null, "/var/lib/tailscale": null, "/proc/self/status": "CapEff:\t0000000000003000\n" } });
    expect(ids((await fix(machine)).applied)).toEqual(["state-dir", "tun", "net.ipv4.ip_forward", "firewall-links"]);
  });

  it("the node it created counts as usable even where the mount table said /dev/net is read-only", async () => {
    const mountinfo = "1 0 0:1 / / rw - overlay overlay rw\n2 1 0:2 / /dev/net ro - tmpfs tmpfs ro\n";
    const machine = createPreflightMachine({ env: { TS_ROUTES: "192.168.88.0/24" }, files: { "/dev/net/tun": null, "/proc/self/mountinfo": mountinfo } });
    expect(ids((await fix(machine)).applied)).toEqual(["tun", "net.ipv4.ip_forward", "firewall-links"]);
  });

  it("only the TUN fix's own success counts: another fix that worked does not make a node", async () => {
    const machine = createPreflightMachine({ env: { TS_ROUTES: "192.168.88.0/24" }, files: { "/dev/net/tun": null, "/var/lib/tailscale": null }, answer: (argv) => (argv[0] === "mknod" ? { code: 1 } : undefined) });
    expect(ids((await fix(machine)).applied)).toEqual(["state-dir", "tun", "firewall-links"]);
  });

  it("links the backend's binaries found on the container's own PATH", async () => {
    const files = { "/usr/sbin/iptables-legacy": null, "/usr/sbin/iptables-legacy-save": null, "/usr/sbin/ip6tables-legacy": null, "/opt/xt/iptables-legacy": { kind: "file", mode: 0o755 } as const };
    const { applied, files: after } = await fix(createPreflightMachine({ env: { PATH: "/opt/xt:/usr/bin" }, files }));
    expect(applied).toEqual([{ id: "firewall-links", outcome: { ok: true, change: `linked iptables in ${BIN}` } }]);
    expect(after.entries.get(`${BIN}/iptables`)).toMatchObject({ target: "/opt/xt/iptables-legacy" });
  });

  it("no NET_ADMIN: userspace networking (auto), so forwarding is left alone", async () => {
    const { applied } = await fix(createPreflightMachine({ env: { TS_ROUTES: "192.168.88.0/24" }, files: { "/proc/self/status": "CapEff:\t0000000000002000\n" } }));
    expect(ids(applied)).not.toContain("net.ipv4.ip_forward");
  });

  it("adds each missing return route via the gateway, and none already there", async () => {
    const machine = createPreflightMachine({ env: ROUTED, answer: (argv) => (argv.includes("show") ? { stdout: "10.0.0.0/8 via 172.17.0.1 dev eth0\n" } : undefined) });
    const { applied, ran } = await fix(machine);
    expect(applied.filter((entry) => entry.id.startsWith("route"))).toEqual([{ id: "route 192.168.88.0/24", outcome: { ok: true, change: "route 192.168.88.0/24 via 172.17.0.1" } }]);
    expect(ran).toEqual(["ip -4 route replace 192.168.88.0/24 via 172.17.0.1"]);
  });

  it.each([
    ["a gateway not on a connected subnet", { stdout: "172.17.0.1 via 10.0.0.1 dev eth0\n" }],
    ["a gateway that cannot be checked", { failure: "timed-out", error: "ip timed out" } as const],
  ])("adds no return route for %s", async (_, reach) => {
    const machine = createPreflightMachine({ env: ROUTED, answer: (argv) => (argv.includes("get") ? reach : undefined) });
    const { applied, ran } = await fix(machine);
    expect(ids(applied).filter((id) => id.startsWith("route"))).toEqual([]);
    expect(ran.filter((command) => command.includes("replace"))).toEqual([]);
  });

  describe("after a stop request", () => {
    it("while mknod ran: nothing after the TUN node", async () => {
      const machine = createPreflightMachine({ env: ROUTED, files: { "/var/lib/tailscale": null, "/dev/net/tun": null } });
      const facts = await probeAll(machine.host, machine.config, machine.commands.runner, SYSTEM);
      machine.commands.stop(machine.commands.ran.length + 1);
      const applied = await applyFixes(machine.host, machine.config, machine.commands.runner, facts, BIN);
      expect(ids(applied)).toEqual(["state-dir", "tun"]);
      expect(machine.host.files.readText("/proc/sys/net/ipv4/ip_forward")).toEqual({ ok: true, value: "0\n" });
    });

    it("between two routes: the next one is not added, nor the links", async () => {
      const machine = createPreflightMachine({ env: ROUTED });
      const facts = await probeAll(machine.host, machine.config, machine.commands.runner, SYSTEM);
      machine.commands.stop(machine.commands.ran.length + 1);
      const applied = await applyFixes(machine.host, machine.config, machine.commands.runner, facts, BIN);
      expect(ids(applied)).toEqual(["net.ipv4.ip_forward", "route 192.168.88.0/24"]);
      expect(machine.host.files.entries.has(BIN)).toBe(false);
    });

    it("after the last route: no links", async () => {
      const machine = createPreflightMachine({ env: { TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "172.17.0.1" } });
      const facts = await probeAll(machine.host, machine.config, machine.commands.runner, SYSTEM);
      machine.commands.stop(machine.commands.ran.length + 1);
      const applied = await applyFixes(machine.host, machine.config, machine.commands.runner, facts, BIN);
      expect(ids(applied)).toEqual(["net.ipv4.ip_forward", "route 192.168.88.0/24"]);
    });
  });
});

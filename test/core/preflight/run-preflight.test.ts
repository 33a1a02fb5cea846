// Preflight as the supervisor and `doctor` run it: probe, fix (unless only looking), probe again when
// something changed, decide, and log the outcome; after a stop request nothing more is fixed or logged.
import { describe, expect, it } from "vitest";
import { fail } from "../../../src/core/host.ts";
import { runPreflight } from "../../../src/core/preflight/run-preflight.ts";
import { createCapturedLog } from "../../fakes/captured-log.ts";
import { createPreflightMachine, SYSTEM, type PreflightMachine } from "../../fakes/preflight-machine.ts";
import type { FakeAnswer } from "../../fakes/fake-commands.ts";

const BIN = "/run/tailscale-supervisor/bin";
const TUN = { kind: "char-device", mode: 0o600, rdev: (10 << 8) | 200 } as const;

/** A machine whose mknod makes the node (as the real one does), with the fixes' other answers given. */
function machineWith(env: Record<string, string>, files: Record<string, string | null | object>, answer: (argv: readonly string[]) => FakeAnswer | undefined = () => undefined): PreflightMachine {
  const machine: PreflightMachine = createPreflightMachine({
    env,
    files,
    answer: (argv) => {
      const given = answer(argv);
      if (given === undefined && argv[0] === "mknod") machine.host.files.entries.set("/dev/net/tun", TUN);
      return given;
    },
  });
  return machine;
}

async function run(machine: PreflightMachine, apply: boolean, firewallProbe?: "all" | "enough") {
  const { log, entries } = createCapturedLog("preflight");
  const result = await runPreflight(machine.host, machine.config, machine.commands.runner, log, { apply, system: SYSTEM, binDir: BIN, ...(firewallProbe === undefined ? {} : { firewallProbe }) });
  return { result, entries, ran: machine.commands.ran.map((argv) => argv.join(" ")) };
}

const firewallCommands = (ran: readonly string[]) => ran.filter((command) => /ip6?tables/.test(command));

describe("runPreflight", () => {
  it("only looking (doctor): nothing fixed, probed once, the checks say what would be fixed", async () => {
    const machine = machineWith({}, { "/var/lib/tailscale": null, "/dev/net/tun": null });
    const { result, ran } = await run(machine, false);
    expect(ran.filter((command) => command.startsWith("mknod"))).toEqual([]);
    expect(machine.host.files.entries.has("/var/lib/tailscale")).toBe(false);
    expect([result.changes, result.fixErrors, result.facts.tun, result.facts.stateDir.kind]).toEqual([[], [], { kind: "missing" }, "missing"]);
    expect(result.checks.find((check) => check.id === "tun")?.status).toBe("warn");
    expect([result.canRun, result.modeAsked]).toEqual([true, true]);
  });

  it("fixing: the fixes are applied, the machine probed again (firewall excepted), and the outcome judged on what is now there", async () => {
    const machine = machineWith({}, { "/var/lib/tailscale": null, "/dev/net/tun": null });
    const { result, ran } = await run(machine, true);
    expect(result.changes).toEqual(["created /var/lib/tailscale", "created /dev/net/tun (char 10:200, mode 600)", `linked iptables, iptables-save, ip6tables in ${BIN}`]);
    expect(result.fixErrors).toEqual([]);
    expect([result.facts.tun, result.facts.stateDir.kind]).toEqual([{ kind: "usable" }, "directory"]);
    expect(result.checks.find((check) => check.id === "tun")).toEqual({ id: "tun", status: "ok", what: "/dev/net/tun is usable (char 10:200)" });
    // The firewall was probed once: legacy v4 (4 steps and -save) and v6 (4 steps).
    expect(firewallCommands(ran)).toHaveLength(9);
  });

  it("nothing changed: not probed again", async () => {
    const machine = machineWith({ TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "172.17.0.1" }, { "/usr/sbin/iptables-legacy": null }, (argv) => (argv.includes("show") ? { stdout: "192.168.88.0/24 via 172.17.0.1 dev eth0\n" } : undefined));
    machine.host.files.writeExisting("/proc/sys/net/ipv4/ip_forward", "1\n");
    const { result, ran } = await run(machine, true);
    expect(result.changes).toEqual([]);
    expect(ran.filter((command) => command.startsWith("ip "))).toEqual(["ip -4 route show", "ip -4 route get 172.17.0.1"]);
  });

  it("only the iptables links made (a restart: a fresh runtime directory, the rest in place): not probed again", async () => {
    const routed = { TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "172.17.0.1" };
    const machine = machineWith(routed, {}, (argv) => (argv.includes("show") ? { stdout: "192.168.88.0/24 via 172.17.0.1 dev eth0\n" } : undefined));
    machine.host.files.writeExisting("/proc/sys/net/ipv4/ip_forward", "1\n");
    const { result, ran } = await run(machine, true);
    expect(result.changes).toEqual([`linked iptables, iptables-save, ip6tables in ${BIN}`]);
    expect(ran.filter((command) => command.startsWith("ip "))).toEqual(["ip -4 route show", "ip -4 route get 172.17.0.1"]);
    expect(firewallCommands(ran)).toHaveLength(9);
  });

  it("fixes that failed changed nothing: not probed again (a container's netns refuses the UDP buffer sysctls at every start)", async () => {
    const routed = { TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "172.17.0.1" };
    const machine = machineWith(routed, { "/proc/sys/net/core/rmem_max": "212992\n" }, (argv) => (argv.includes("show") ? { stdout: "192.168.88.0/24 via 172.17.0.1 dev eth0\n" } : undefined));
    machine.host.files.writeExisting("/proc/sys/net/ipv4/ip_forward", "1\n");
    const writeExisting = machine.host.files.writeExisting.bind(machine.host.files);
    Object.assign(machine.host.files, { writeExisting: (path: string, text: string) => (path.startsWith("/proc/sys/net/core/") ? fail("EACCES", "Permission denied") : writeExisting(path, text)) });
    const { result, ran } = await run(machine, true);
    expect(result.fixErrors).toEqual(["net.core.rmem_max: Permission denied"]);
    expect(ran.filter((command) => command.startsWith("ip "))).toEqual(["ip -4 route show", "ip -4 route get 172.17.0.1"]);
  });

  it("the supervisor's depth (enough): nft, when there, only read while legacy works", async () => {
    const machine = machineWith({}, { "/usr/sbin/iptables-nft": { kind: "file", mode: 0o755 }, "/usr/sbin/iptables-nft-save": { kind: "file", mode: 0o755 } });
    const { result, ran } = await run(machine, true, "enough");
    expect(firewallCommands(ran).filter((command) => command.includes("-nft"))).toEqual(["/usr/sbin/iptables-nft-save"]);
    expect(result.facts.firewallChoice).toEqual({ kind: "backend", backend: "legacy", ipv6: true, reason: "legacy works and nft holds no rules in this netns" });
  });

  it("a fix that fails is told with its id, and judged", async () => {
    const machine = machineWith({}, { "/dev/net/tun": null }, (argv) => (argv[0] === "mknod" ? { code: 1, stderr: "mknod: Operation not permitted" } : undefined));
    const { result } = await run(machine, true);
    expect(result.fixErrors).toEqual(["tun: mknod: Operation not permitted"]);
    expect(result.changes).toEqual([`linked iptables, iptables-save, ip6tables in ${BIN}`]);
    expect(result.checks.find((check) => check.id === "tun")?.what).toBe("/dev/net/tun is missing and creating it failed (mknod: Operation not permitted)");
    expect([result.plan.userspace, result.canRun, result.modeAsked]).toEqual([true, true, false]);
  });

  it("a stop requested before: nothing fixed, nothing logged", async () => {
    const machine = machineWith({}, { "/var/lib/tailscale": null });
    machine.commands.stop(0);
    const { result, entries } = await run(machine, true);
    expect([result.changes, entries]).toEqual([[], []]);
    expect(machine.host.files.entries.has("/var/lib/tailscale")).toBe(false);
  });

  it("a stop requested while fixing: not probed again, nothing logged", async () => {
    const machine = machineWith({}, { "/dev/net/tun": null });
    const probeRuns = (await run(machineWith({}, {}), false)).ran.length;
    machine.commands.stop(probeRuns + 1);
    const { result, entries, ran } = await run(machine, true);
    expect(ran).toHaveLength(probeRuns + 1);
    expect(result.changes).toEqual(["created /dev/net/tun (char 10:200, mode 600)"]);
    expect(result.facts.tun).toEqual({ kind: "missing" });
    expect(entries).toEqual([]);
  });

  it("logs the firewall choice, the changes on one line, each warning and failure, and the plan", async () => {
    const machine = machineWith({ TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "172.17.0.1" }, {}, (argv) => (argv.includes("get") ? { stdout: "172.17.0.1 via 10.0.0.1 dev eth0\n" } : undefined));
    const { entries } = await run(machine, true);
    expect(entries).toEqual([
      { level: "info", component: "preflight", msg: "firewall backend chosen", fields: { backend: "legacy", ipv6: true, reason: "only legacy works", probes: "legacy v4 works, legacy v6 works, nft v4 missing, nft v6 missing" } },
      { level: "info", component: "preflight", msg: "host changed", fields: { changes: `net.ipv4.ip_forward=1 (was 0); linked iptables, iptables-save, ip6tables in ${BIN}` } },
      {
        level: "error",
        component: "preflight",
        msg: "preflight check failed",
        fields: { check: "return-routes", what: "gateway 172.17.0.1 is not on a connected subnet (172.17.0.1 via 10.0.0.1 dev eth0)", fix: "set TS_CONTAINER_GATEWAY to the address of the router on the container's veth subnet (RouterOS: the veth's gateway=)" },
      },
      { level: "info", component: "preflight", msg: "tailscaled plan", fields: { mode: "kernel", netfilter: "default", gomemlimit: "192MiB", firewallMode: "iptables" } },
    ]);
  });

  it("logs a warning without a fix field when there is none, and the plan of a machine without iptables", async () => {
    const machine = machineWith({ TS_USERSPACE: "true", TS_NETFILTER_MODE: "nodivert" }, { "/usr/sbin/iptables-legacy": null, "/usr/sbin/ip6tables-legacy": null, "/proc/self/status": "Name:\tqjs\n", "/sys/fs/cgroup/memory.max": "max\n" });
    const { entries } = await run(machine, false);
    expect(entries).toStrictEqual([
      { level: "warn", component: "preflight", msg: "no firewall backend works", fields: { probes: "legacy v4 missing, legacy v6 missing, nft v4 missing, nft v6 missing" } },
      { level: "warn", component: "preflight", msg: "preflight check warns", fields: { check: "capabilities", what: "cannot read capabilities: no CapEff line in /proc/self/status" } },
      { level: "info", component: "preflight", msg: "tailscaled plan", fields: { mode: "userspace", netfilter: "nodivert", gomemlimit: "unset", firewallMode: "unset" } },
    ]);
  });

  it("logs a warning with its fix", async () => {
    const { entries } = await run(machineWith({}, { "/dev/net/tun": null }), false);
    expect(entries.filter((entry) => entry.level === "warn")).toEqual([
      { level: "warn", component: "preflight", msg: "preflight check warns", fields: { check: "tun", what: "/dev/net/tun is missing; it can be created (mknod c 10 200, mode 600)", fix: "`doctor --fix`, or start the supervisor: it does this before tailscaled starts" } },
    ]);
  });
});

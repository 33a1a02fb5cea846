// `doctor` on the fake host: changes nothing, `--fix` changes exactly what the supervisor would; exit codes.
import { describe, expect, it } from "vitest";
import { formatReport } from "../../../src/core/commands/doctor-command.ts";
import type { PreflightResult } from "../../../src/core/preflight/run-preflight.ts";
import { runCli } from "../../../src/core/run.ts";
import type { FakeProcessScript } from "../../fakes/fake-host.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

const PROC = {
  "/proc/self/status": "CapEff:\t000001ffffffffff\n",
  "/proc/self/mountinfo": "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 8:2 / /var/lib/tailscale rw - ext4 /dev/sda2 rw\n",
  "/proc/self/cgroup": "0::/\n",
  "/sys/fs/cgroup/memory.max": "134217728\n",
  "/proc/meminfo": "MemTotal: 1048576 kB\nMemAvailable: 524288 kB\n",
  "/proc/sys/kernel/osrelease": "5.6.3\n",
  "/proc/sys/kernel/arch": "aarch64\n",
  "/proc/sys/net/ipv4/ip_forward": "0\n",
  "/proc/sys/net/ipv4/conf/all/rp_filter": "0\n",
  "/var/lib/tailscale/tailscaled.state": "{}",
  "/usr/sbin/iptables-legacy": { kind: "file" as const, mode: 0o755 },
  "/usr/sbin/iptables-nft": { kind: "file" as const, mode: 0o755 },
  "/usr/sbin/ip6tables-legacy": { kind: "file" as const, mode: 0o755 },
};
const ENV = { PATH: "/usr/sbin", TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "172.17.0.1" };

/** iptables-nft fails like RouterOS; `ip route get` says connected; `ip route show` finds nothing. */
function script(argv: readonly string[]): FakeProcessScript {
  const exit = (code: number, stdout = "", stderr = ""): FakeProcessScript => ({ runMs: 1, exit: { kind: "exited", code }, stdout, stderr });
  if (argv[0] === "/usr/sbin/iptables-nft") return exit(4, "", "iptables v1.8.7 (nf_tables): Could not fetch rule set generation id: Invalid argument\n");
  if (argv.includes("get")) return exit(0, "172.17.0.1 dev eth0 src 172.17.0.2 uid 0\n");
  return exit(0);
}

async function doctor(args: readonly string[], changes: { env?: Record<string, string>; files?: Record<string, string> } = {}) {
  const host = createFakeHost({ argv: ["doctor", ...args], env: { ...ENV, ...changes.env }, files: { ...PROC, "/dev/net": { kind: "directory", mode: 0o755 }, ...changes.files }, script });
  const outcome = await host.drive(runCli(host));
  const commands = host.spawned.map((process) => process.argv.join(" "));
  return { host, outcome, commands };
}

describe("doctor", () => {
  it("changes nothing: no mknod, no route, no sysctl write, no links; exits 0 (kernel mode can work)", async () => {
    const { host, outcome, commands } = await doctor([]);
    expect(outcome.exitCode).toBe(0);
    expect(commands.filter((command) => /mknod|route replace/.test(command))).toEqual([]);
    expect(host.files.entries.get("/proc/sys/net/ipv4/ip_forward")?.text).toBe("0\n");
    expect(host.files.entries.has("/tmp/tailscale-supervisor/bin/iptables")).toBe(false);
    expect(host.stdout()).toMatch(/^WARN tun: \/dev\/net\/tun is missing; it can be created/m);
    expect(host.stdout()).toMatch(/^OK   firewall: iptables legacy \(only legacy works\)/m);
    expect(host.stdout()).toMatch(/^OK   state-dir: \/var\/lib\/tailscale is writable; existing node state$/m);
    expect(host.stdout()).toMatch(/^OK   memory: cgroup limit 128 MiB; RAM 1024 MiB, available 512 MiB; tailscaled gets GOMEMLIMIT=96MiB$/m);
    expect(host.stdout()).toMatch(/^result: kernel TUN networking can work\nlive: tailscaled is not running here \(no socket at \/var\/run\/tailscale\/tailscaled\.sock\)\n$/m);
    expect(host.stderr()).toContain("INFO preflight: system version=0.1.0 arch=aarch64 kernel=5.6.3 pid1=true");
  });

  it("--fix: mknod, ip_forward, the return route and the iptables links", async () => {
    const { host, outcome, commands } = await doctor(["--fix"]);
    expect(outcome.exitCode).toBe(0);
    expect(commands).toContain("mknod -m 600 /dev/net/tun c 10 200");
    expect(commands).toContain("ip -4 route replace 192.168.88.0/24 via 172.17.0.1");
    expect(host.files.entries.get("/proc/sys/net/ipv4/ip_forward")?.text).toBe("1\n");
    expect(host.files.entries.get("/tmp/tailscale-supervisor/bin/iptables")).toMatchObject({ kind: "symlink", target: "/usr/sbin/iptables-legacy" });
    expect(host.stdout()).toContain("changed: net.ipv4.ip_forward=1 (was 0)\n");
  });

  it("--json prints one document with the plan", async () => {
    const { host } = await doctor(["--json"]);
    const doc = JSON.parse(host.stdout()) as { plan: unknown; facts: { sysctls: unknown } };
    expect(doc.plan).toEqual({ userspace: false, env: { PATH: "/tmp/tailscale-supervisor/bin:/usr/sbin", TS_DEBUG_FIREWALL_MODE: "iptables", GOMEMLIMIT: "96MiB" } });
    expect(doc.facts.sysctls).toEqual({ readOnly: false, values: { "net.ipv4.ip_forward": "0", "net.ipv4.conf.all.rp_filter": "0" } });
  });

  // No CAP_MKNOD and no /dev/net/tun: kernel mode is impossible, userspace works (it can run).
  const NO_MKNOD = { "/proc/self/status": "CapEff:\t000001fff7ffffff\n" };

  it("exits 1 when kernel mode would fall back to userspace, although tailscaled can run", async () => {
    const { host, outcome } = await doctor([], { files: NO_MKNOD });
    expect(host.stdout()).toMatch(/^WARN mode: kernel TUN networking is impossible \(\/dev\/net\/tun is missing and cannot be created without CAP_MKNOD\)/m);
    expect(host.stdout()).toMatch(/^result: kernel TUN networking cannot work; falling back to userspace networking\nlive: tailscaled is not running here/m);
    expect(outcome.exitCode).toBe(1);
    const json = await doctor(["--json"], { files: NO_MKNOD });
    expect(JSON.parse(json.host.stdout())).toMatchObject({ ok: false, canRun: true });
    expect(json.outcome.exitCode).toBe(1);
  });

  it("exits 0 on the same container when userspace networking is what was asked for", async () => {
    const { host, outcome } = await doctor([], { env: { TS_USERSPACE: "true" }, files: NO_MKNOD });
    expect(host.stdout()).toMatch(/^result: userspace networking can work\nlive: tailscaled is not running here/m);
    expect(outcome.exitCode).toBe(0);
  });

  it("an unknown option is refused with exit 78 before probing", async () => {
    const { outcome, commands, host } = await doctor(["--frobnicate"]);
    expect(outcome.exitCode).toBe(78);
    expect(commands).toEqual([]);
    expect(host.stderr()).toContain('unknown option command=doctor options=--frobnicate fix="doctor takes --json, --fix"');
  });
});

describe("formatReport", () => {
  const result = (over: Partial<PreflightResult>): PreflightResult => ({
    checks: [{ id: "tun", status: "ok", what: "usable" }, { id: "memory", status: "warn", what: "low é", fix: "add RAM" }],
    plan: { userspace: false, env: {}, netfilterMode: undefined },
    canRun: true,
    modeAsked: true,
    changes: [],
    fixErrors: [],
    facts: {} as PreflightResult["facts"],
    ...over,
  });

  it("one line per check (the fix after --), the changes, the errors, the verdict; printable ASCII", () => {
    expect(formatReport(result({ changes: ["created /dev/net/tun"], fixErrors: ["route 10.0.0.0/8: EPERM"] }))).toBe(
      ["OK   tun: usable", "WARN memory: low \\u00e9 -- fix: add RAM", "changed: created /dev/net/tun", "not fixed: route 10.0.0.0/8: EPERM", "result: kernel TUN networking can work", ""].join("\n"),
    );
  });

  it.each([
    [{}, "kernel TUN networking can work"],
    [{ plan: { userspace: true, env: {}, netfilterMode: undefined } }, "userspace networking can work"],
    [{ plan: { userspace: true, env: {}, netfilterMode: undefined }, modeAsked: false }, "kernel TUN networking cannot work; falling back to userspace networking"],
    [{ canRun: false, modeAsked: false }, "tailscaled cannot start until the failed checks are fixed"],
  ])("%j: %s", (over, verdict) => {
    expect(formatReport(result(over)).trimEnd().split("\n").at(-1)).toBe(`result: ${verdict}`);
  });
});

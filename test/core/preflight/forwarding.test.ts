// Forwarding sysctls: what routing needs (forwarding, rp_filter, accept_ra, UDP buffers), read, decided,
// checked, written, and read again to tell what is still off.
import { describe, expect, it } from "vitest";
import { fail } from "../../../src/core/host.ts";
import { checkSysctls, findBlockedForwarding, findForwardingNeeds, planSysctlWrites, probeSysctls, sysctlPath, UDP_BUFFER_BYTES, writeSysctl, type SysctlFacts } from "../../../src/core/preflight/forwarding.ts";
import { FIXED_AT_START } from "../../../src/core/preflight/preflight-check.ts";
import { configOf } from "../../fakes/config-of.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

const sysctls = (values: Record<string, string>, readOnly = false): SysctlFacts => ({ values: new Map(Object.entries(values)), readOnly });
const HOST_FIX = (setting: string) => `the host must set it: Docker \`--sysctl ${setting}\` (or --privileged); RouterOS lets the container write /proc/sys/net, so check that nothing mounts it read-only`;
const BOTH = { ipv4: true, ipv6: true };
const IPV4 = { ipv4: true, ipv6: false };
const NONE = { ipv4: false, ipv6: false };

describe("sysctlPath", () => {
  it.each([
    ["net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward"],
    ["net.ipv6.conf.eth0/100.accept_ra", "/proc/sys/net/ipv6/conf/eth0.100/accept_ra"],
  ])("%s → %s", (name, path) => {
    expect(sysctlPath(name)).toBe(path);
  });
});

describe("probeSysctls", () => {
  it("reads forwarding, the buffers, and rp_filter / accept_ra of every interface; what the kernel lacks is left out", () => {
    const files = createFakeHost({
      files: {
        "/proc/sys/net/ipv4/ip_forward": "0\n",
        "/proc/sys/net/core/rmem_max": " 212992 \n",
        "/proc/sys/net/ipv4/conf/all/rp_filter": "1\n",
        "/proc/sys/net/ipv4/conf/eth0.100/rp_filter": "2\n",
        "/proc/sys/net/ipv6/conf/eth0/accept_ra": "1\n",
        "/proc/sys/net/ipv6/conf/lo": { kind: "directory", mode: 0o555 },
      },
    }).files;
    const facts = probeSysctls(files, true);
    expect(facts.readOnly).toBe(true);
    expect(Object.fromEntries(facts.values)).toEqual({
      "net.ipv4.ip_forward": "0",
      "net.core.rmem_max": "212992",
      "net.ipv4.conf.all.rp_filter": "1",
      "net.ipv4.conf.eth0/100.rp_filter": "2",
      "net.ipv6.conf.eth0.accept_ra": "1",
    });
  });

  it("without /proc/sys: no values", () => {
    expect(probeSysctls(createFakeHost().files, false)).toEqual({ values: new Map(), readOnly: false });
  });
});

describe("planSysctlWrites", () => {
  it.each([
    ["nothing needed", { "net.ipv4.ip_forward": "0" }, NONE, []],
    ["IPv4 off → 1", { "net.ipv4.ip_forward": "0" }, IPV4, ["net.ipv4.ip_forward=1"]],
    ["IPv4 asked, IPv6 off left alone", { "net.ipv4.ip_forward": "0", "net.ipv6.conf.all.forwarding": "0" }, IPV4, ["net.ipv4.ip_forward=1"]],
    ["IPv6 only", { "net.ipv4.ip_forward": "0", "net.ipv6.conf.all.forwarding": "0" }, { ipv4: false, ipv6: true }, ["net.ipv6.conf.all.forwarding=1"]],
    ["already 1: no write", { "net.ipv4.ip_forward": "1" }, IPV4, []],
    ["absent from the kernel: no write", {}, BOTH, []],
    ["strict rp_filter on one interface → all=2", { "net.ipv4.conf.all.rp_filter": "0", "net.ipv4.conf.eth0.rp_filter": "1" }, IPV4, ["net.ipv4.conf.all.rp_filter=2"]],
    ["strict rp_filter on all → all=2", { "net.ipv4.conf.all.rp_filter": "1" }, IPV4, ["net.ipv4.conf.all.rp_filter=2"]],
    ["loose rp_filter: no write", { "net.ipv4.conf.all.rp_filter": "2", "net.ipv4.conf.eth0.rp_filter": "0" }, IPV4, []],
    ["no rp_filter at all: no write", { "net.ipv4.conf.all.rp_filter": "0", "net.ipv4.conf.eth0.rp_filter": "0" }, IPV4, []],
    ["only rp_filter values count as strict, not forwarding that is on", { "net.ipv4.ip_forward": "1", "net.ipv4.conf.all.forwarding": "1", "net.ipv4.conf.all.rp_filter": "0" }, IPV4, []],
    ["strict rp_filter without IPv4 routes: no write", { "net.ipv4.conf.all.rp_filter": "1" }, { ipv4: false, ipv6: true }, []],
    ["strict rp_filter of an interface, all absent: nothing to write", { "net.ipv4.conf.eth0.rp_filter": "1" }, IPV4, []],
    ["accept_ra on uplinks, not lo", { "net.ipv6.conf.all.forwarding": "0", "net.ipv6.conf.eth0.accept_ra": "1", "net.ipv6.conf.lo.accept_ra": "1", "net.ipv6.conf.eth0/100.accept_ra": "1" }, { ipv4: false, ipv6: true }, ["net.ipv6.conf.all.forwarding=1", "net.ipv6.conf.eth0.accept_ra=2", "net.ipv6.conf.eth0/100.accept_ra=2"]],
    ["accept_ra of all, default and tailscale0 left alone", { "net.ipv6.conf.all.accept_ra": "1", "net.ipv6.conf.default.accept_ra": "1", "net.ipv6.conf.tailscale0.accept_ra": "1", "net.ipv6.conf.eth1.accept_ra": "0", "net.ipv6.conf.eth2.accept_ra": "2" }, BOTH, []],
    ["other accept_ra_* settings left alone", { "net.ipv6.conf.eth0.accept_ra_defrtr": "1" }, { ipv4: false, ipv6: true }, []],
    ["accept_ra without IPv6 routes: no write", { "net.ipv6.conf.eth0.accept_ra": "1" }, IPV4, []],
    ["UDP buffers below 7 MiB", { "net.core.rmem_max": "212992", "net.core.wmem_max": "8000000" }, NONE, ["net.core.rmem_max=7340032"]],
    ["UDP buffers at 7 MiB, or unreadable", { "net.core.rmem_max": "7340032", "net.core.wmem_max": "lots" }, NONE, []],
    ["UDP buffer one byte short", { "net.core.wmem_max": "7340031" }, NONE, ["net.core.wmem_max=7340032"]],
  ])("%s", (_, values, needs, expected) => {
    expect(planSysctlWrites(sysctls(values), needs).map((write) => `${write.name}=${write.value}`)).toEqual(expected);
  });

  it("each write carries the current value, why, and whether routing breaks without it", () => {
    const values = { "net.ipv4.ip_forward": "0", "net.ipv6.conf.all.forwarding": "0", "net.ipv4.conf.all.rp_filter": "1", "net.ipv6.conf.eth0.accept_ra": "1", "net.core.wmem_max": "4096" };
    expect(planSysctlWrites(sysctls(values), BOTH)).toEqual([
      { name: "net.ipv4.ip_forward", value: "1", current: "0", why: "forward IPv4 for advertised routes / exit node", essential: true },
      { name: "net.ipv6.conf.all.forwarding", value: "1", current: "0", why: "forward IPv6 for advertised routes / exit node", essential: true },
      { name: "net.ipv4.conf.all.rp_filter", value: "2", current: "1", why: "strict reverse-path filtering drops routed replies", essential: true },
      { name: "net.ipv6.conf.eth0.accept_ra", value: "2", current: "1", why: "keep accepting Router Advertisements with forwarding on", essential: true },
      { name: "net.core.wmem_max", value: String(UDP_BUFFER_BYTES), current: "4096", why: "tailscaled's UDP throughput", essential: false },
    ]);
  });
});

describe("findForwardingNeeds", () => {
  it.each([
    [["192.168.88.0/24"], [], false, IPV4],
    [["fd00::/64"], [], false, { ipv4: false, ipv6: true }],
    [["192.168.88.0/24", "fd00::/64"], [], false, BOTH],
    [[], ["--advertise-exit-node"], false, BOTH],
    [[], ["--advertise-exit-node"], true, NONE],
    [[], ["--advertise-exit-node=false"], false, NONE],
    [[], [], false, NONE],
    [["192.168.88.0/24"], [], true, NONE],
  ])("routes %j, args %j, userspace %s → %j", (routes, extraArgs, userspace, needs) => {
    const env: Record<string, string> = { TS_EXTRA_ARGS: extraArgs.join(" ") };
    if (routes.length > 0) env["TS_ROUTES"] = routes.join(",");
    expect(findForwardingNeeds(configOf(env), userspace)).toEqual(needs);
  });

  it.each([
    [false, { ipv4: true, ipv6: true }],
    [true, { ipv4: false, ipv6: false }],
  ])("TS_LAN_MASQUERADE=true (the LAN's traffic into the tailnet), userspace %s → %j", (userspace, needs) => {
    expect(findForwardingNeeds(configOf({ TS_ROUTES: "192.168.88.0/24", TS_LAN_MASQUERADE: "true" }), userspace)).toEqual(needs);
  });
});

describe("checkSysctls", () => {
  it.each([
    [NONE, "not needed (no routes advertised, no exit node, or userspace networking)"],
    [IPV4, "needed for IPv4"],
    [{ ipv4: false, ipv6: true }, "needed for IPv6"],
    [BOTH, "needed for IPv4 and IPv6"],
  ])("%j: %s", (needs, what) => {
    expect(checkSysctls(sysctls({}), needs, undefined)).toEqual([{ id: "forwarding", status: "ok", what }]);
  });

  it("a value still to write: fixed at start; a throughput note is ok, not a warning", () => {
    expect(checkSysctls(sysctls({ "net.ipv4.ip_forward": "0", "net.core.rmem_max": "4096" }), IPV4, undefined)).toEqual([
      { id: "forwarding", status: "ok", what: "needed for IPv4" },
      { id: "net.ipv4.ip_forward", status: "warn", what: "net.ipv4.ip_forward is 0; it will be set to 1: forward IPv4 for advertised routes / exit node", fix: FIXED_AT_START },
      { id: "net.core.rmem_max", status: "ok", what: "note, throughput only: net.core.rmem_max is 4096; it will be set to 7340032: tailscaled's UDP throughput", fix: FIXED_AT_START },
    ]);
  });

  it("/proc/sys read-only: the host must set it", () => {
    expect(checkSysctls(sysctls({ "net.ipv4.ip_forward": "0", "net.core.rmem_max": "4096" }, true), IPV4, [])).toEqual([
      { id: "forwarding", status: "ok", what: "needed for IPv4" },
      { id: "net.ipv4.ip_forward", status: "warn", what: "net.ipv4.ip_forward is 0 and /proc/sys is read-only: forward IPv4 for advertised routes / exit node", fix: HOST_FIX("net.ipv4.ip_forward=1") },
      { id: "net.core.rmem_max", status: "ok", what: "note, throughput only: net.core.rmem_max is 4096 and /proc/sys is read-only: tailscaled's UDP throughput", fix: HOST_FIX("net.core.rmem_max=7340032") },
    ]);
  });

  it("a write that failed says why, before read-only", () => {
    const applied = [
      { id: "net.ipv4.ip_forward", outcome: { ok: false, error: "Permission denied" } },
      { id: "net.core.rmem_max", outcome: { ok: false, error: "EROFS" } },
    ] as const;
    expect(checkSysctls(sysctls({ "net.ipv4.ip_forward": "0", "net.core.rmem_max": "4096" }, true), IPV4, applied)).toEqual([
      { id: "forwarding", status: "ok", what: "needed for IPv4" },
      { id: "net.ipv4.ip_forward", status: "warn", what: "net.ipv4.ip_forward is 0 and cannot be set to 1 (Permission denied): forward IPv4 for advertised routes / exit node", fix: HOST_FIX("net.ipv4.ip_forward=1") },
      { id: "net.core.rmem_max", status: "ok", what: "note, throughput only: net.core.rmem_max is 4096 and cannot be set to 7340032 (EROFS): tailscaled's UDP throughput", fix: HOST_FIX("net.core.rmem_max=7340032") },
    ]);
  });
});

describe("findBlockedForwarding", () => {
  const machine = (files: Record<string, string>) => createFakeHost({ files: { "/proc/self/mountinfo": "1 0 8:1 / / rw - overlay overlay rw\n", ...files } }).files;

  it("nothing needed, or forwarding on: nothing blocked", () => {
    expect(findBlockedForwarding(machine({ "/proc/sys/net/ipv4/ip_forward": "0\n" }), NONE)).toBeUndefined();
    expect(findBlockedForwarding(machine({ "/proc/sys/net/ipv4/ip_forward": "1\n", "/proc/sys/net/ipv4/conf/all/rp_filter": "1\n" }), IPV4)).toBeUndefined();
  });

  it("forwarding still off after the fix: the values, and the host's fix for each", () => {
    const files = machine({ "/proc/sys/net/ipv4/ip_forward": "0\n", "/proc/sys/net/ipv6/conf/all/forwarding": "0\n", "/proc/sys/net/core/rmem_max": "1\n" });
    expect(findBlockedForwarding(files, BOTH)).toEqual({
      what: "net.ipv4.ip_forward is 0, net.ipv6.conf.all.forwarding is 0 and it could not be set",
      fix: HOST_FIX("net.ipv4.ip_forward=1 --sysctl net.ipv6.conf.all.forwarding=1"),
    });
  });

  it("without a mount table: not known to be read-only", () => {
    const files = createFakeHost({ files: { "/proc/sys/net/ipv4/ip_forward": "0\n" } }).files;
    expect(findBlockedForwarding(files, IPV4)?.what).toBe("net.ipv4.ip_forward is 0 and it could not be set");
  });

  it("says when /proc/sys/net is mounted read-only", () => {
    const files = createFakeHost({ files: { "/proc/self/mountinfo": "1 0 8:1 / / rw - overlay overlay rw\n2 1 0:3 / /proc/sys ro - proc proc ro\n", "/proc/sys/net/ipv4/ip_forward": "0\n" } }).files;
    expect(findBlockedForwarding(files, IPV4)?.what).toBe("net.ipv4.ip_forward is 0 and /proc/sys is read-only");
  });
});

describe("writeSysctl", () => {
  const write = { name: "net.ipv4.ip_forward", value: "1", current: "0", why: "", essential: true };
  it("writes the value with a newline and tells the change", () => {
    const host = createFakeHost({ files: { "/proc/sys/net/ipv4/ip_forward": "0\n" } });
    expect(writeSysctl(host.files, write)).toEqual({ ok: true, change: "net.ipv4.ip_forward=1 (was 0)" });
    expect(host.files.readText("/proc/sys/net/ipv4/ip_forward")).toEqual({ ok: true, value: "1\n" });
  });

  it("a refused write is the error", () => {
    const host = createFakeHost();
    host.files.writeExisting = () => fail("EROFS", "Read-only file system");
    expect(writeSysctl(host.files, write)).toEqual({ ok: false, error: "Read-only file system" });
  });
});

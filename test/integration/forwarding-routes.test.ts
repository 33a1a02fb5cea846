// Real kernel: forwarding sysctls written in the namespace, read-only /proc/sys, return routes via a veth gateway.
import { describe, expect, it } from "vitest";
import { findCheck, parseDoctorJson, runInNamespace } from "../lab/namespace.ts";

// The container side of the RouterOS veth (172.17.0.2/24); its peer stays in the namespace, unaddressed.
const VETH = [
  "ip link add veth-ts type veth peer name veth-router",
  "ip addr add 172.17.0.2/24 dev veth-ts",
  "ip link set veth-ts up && ip link set veth-router up",
].join("\n");
const ROUTED = { TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "172.17.0.1" };
// Every sysctl these tests read, set first in the test's own namespace: a new netns inherits the
// host's IPv4 settings, and the host may forward (installing podman can set ip_forward=1).
const SYSCTLS = [
  "echo 0 >/proc/sys/net/ipv4/ip_forward",
  "echo 0 >/proc/sys/net/ipv6/conf/all/forwarding",
  "echo 0 >/proc/sys/net/ipv4/conf/all/rp_filter",
  "echo 0 >/proc/sys/net/ipv4/conf/default/rp_filter",
].join("\n");
const setup = (...steps: string[]): string => [SYSCTLS, ...steps].join("\n");
const SHOW = "cat /proc/sys/net/ipv4/ip_forward; ip -4 route show 192.168.88.0/24";

describe("forwarding and return routes, real kernel", () => {
  it("doctor --fix leaves ip_forward=1 and the return route; a second run changes nothing", async () => {
    const { runs, inspections } = await runInNamespace({ setup: setup(VETH), env: ROUTED, runs: [["doctor", "--fix", "--json"], ["doctor", "--fix", "--json"]], inspect: `${SHOW}; ip -4 route show table all` });
    expect(runs.map((run) => run.exitCode)).toEqual([0, 0]);
    const [first, second] = runs.map(parseDoctorJson);
    expect(first?.changes).toEqual(expect.arrayContaining(["net.ipv4.ip_forward=1 (was 0)", "route 192.168.88.0/24 via 172.17.0.1"]));
    expect(inspections[0]).toMatch(/^1\n192\.168\.88\.0\/24 via 172\.17\.0\.1 dev veth-ts/);
    expect(second?.changes).toEqual([]);
    expect(inspections[1]).toBe(inspections[0]);
    expect(findCheck(second!, "return-routes")).toMatchObject({ status: "ok", what: expect.stringContaining("/ip/route/add dst-address=100.64.0.0/10 gateway=172.17.0.2") });
  });

  it("works with busybox's ip and mknod, as in the image", async () => {
    const busybox = { ip: 'exec busybox ip "$@"', mknod: 'exec busybox mknod "$@"' };
    const { runs, inspections } = await runInNamespace({ setup: setup(VETH, "mount -t tmpfs none /dev/net"), env: ROUTED, fakeCommands: busybox, runs: [["doctor", "--fix", "--json"], ["doctor", "--fix", "--json"]], inspect: `${SHOW}; stat -c '%t:%T %a' /dev/net/tun` });
    expect(runs.map((run) => run.exitCode)).toEqual([0, 0]);
    expect(inspections[0]).toMatch(/^1\n192\.168\.88\.0\/24 via 172\.17\.0\.1 dev veth-ts *\na:c8 600\n$/);
    expect(parseDoctorJson(runs[1]!).changes).toEqual([]);
  });

  it("doctor without --fix reports what it would do and changes nothing", async () => {
    const { runs, inspections } = await runInNamespace({ setup: setup(VETH), env: ROUTED, runs: [["doctor", "--json"]], inspect: SHOW });
    expect(runs[0]?.exitCode).toBe(0);
    const doc = parseDoctorJson(runs[0]!);
    expect(findCheck(doc, "net.ipv4.ip_forward")).toMatchObject({ status: "warn", what: expect.stringContaining("it will be set to 1") });
    expect(findCheck(doc, "return-routes")).toMatchObject({ status: "warn", what: expect.stringContaining("missing; will be added") });
    expect(inspections[0]).toBe("0\n");
  });

  it("a read-only /proc/sys is reported with the host-side fix, not written", async () => {
    const { runs, inspections } = await runInNamespace({ setup: setup("mount -o bind,ro /proc/sys /proc/sys"), env: { TS_ROUTES: "192.168.88.0/24" }, runs: [["doctor", "--fix", "--json"]], inspect: SHOW });
    expect(runs[0]?.exitCode).toBe(0);
    const check = findCheck(parseDoctorJson(runs[0]!), "net.ipv4.ip_forward");
    expect(check).toMatchObject({ status: "warn", what: expect.stringContaining("cannot be set to 1 (Read-only file system)"), fix: expect.stringContaining("--sysctl net.ipv4.ip_forward=1") });
    expect(inspections[0]).toBe("0\n");
  });

  it("IPv6 routes turn on IPv6 forwarding and keep accept_ra=2 on the uplink; strict rp_filter becomes loose", async () => {
    const steps = setup(VETH, "echo 1 >/proc/sys/net/ipv4/conf/all/rp_filter", "echo 1 >/proc/sys/net/ipv6/conf/veth-ts/accept_ra");
    const { runs, inspections } = await runInNamespace({ setup: steps, env: { TS_ROUTES: "192.168.88.0/24,fd00:88::/64" }, runs: [["doctor", "--fix", "--json"]], inspect: "cat /proc/sys/net/ipv6/conf/all/forwarding /proc/sys/net/ipv6/conf/veth-ts/accept_ra /proc/sys/net/ipv4/conf/all/rp_filter" });
    expect(runs[0]?.exitCode).toBe(0);
    expect(inspections[0]).toBe("1\n2\n2\n");
    expect(parseDoctorJson(runs[0]!).changes).toEqual(expect.arrayContaining(["net.ipv6.conf.all.forwarding=1 (was 0)", "net.ipv6.conf.veth-ts.accept_ra=2 (was 1)", "net.ipv4.conf.all.rp_filter=2 (was 1)"]));
  });

  it("a gateway that is not on a connected subnet is a clear error", async () => {
    const { runs } = await runInNamespace({ setup: setup(VETH), env: { TS_ROUTES: "192.168.88.0/24", TS_CONTAINER_GATEWAY: "10.99.0.1" }, runs: [["doctor", "--fix", "--json"]] });
    expect(runs[0]?.exitCode).toBe(1);
    expect(findCheck(parseDoctorJson(runs[0]!), "return-routes")).toMatchObject({ status: "fail", what: expect.stringContaining("gateway 10.99.0.1 is not on a connected subnet") });
  });
});

// The real kernel: /dev/net/tun that does not open because it sits on a `nodev` mount
// (EACCES) is told apart from the device cgroup's refusal (EPERM). The cgroup is a real v1
// devices cgroup of this machine, made for the test and removed after it.
import { existsSync, rmdirSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { findCheck, parseDoctorJson, runInNamespace } from "../lab/namespace.ts";

const DEVICES_CGROUP = "/sys/fs/cgroup/devices";
const cgroup = `${DEVICES_CGROUP}/ts-supervisor-test-${process.pid}-${Date.now()}`;

afterAll(() => {
  if (existsSync(cgroup)) rmdirSync(cgroup);
});

describe("a TUN node that does not open, real kernel", () => {
  it("on a nodev mount: says nodev and how to fix it, not the device cgroup", async () => {
    const { runs } = await runInNamespace({ setup: "mount -t tmpfs -o nodev none /dev/net && mknod -m 600 /dev/net/tun c 10 200", runs: [["doctor", "--json"]] });
    const tun = findCheck(parseDoctorJson(runs[0]!), "tun");
    expect(tun).toMatchObject({ status: "warn", what: "/dev/net/tun cannot be opened (EACCES: Permission denied): it is on /dev/net, mounted nodev, where device nodes do not work" });
    expect(tun.fix).toContain("mount /dev/net without nodev");
    expect(tun.what).not.toContain("cgroup");
  });

  it("denied by the device cgroup: says so", async () => {
    if (!existsSync(DEVICES_CGROUP)) throw new Error(`this test needs the cgroup v1 devices controller at ${DEVICES_CGROUP}`);
    const setup = `mkdir ${cgroup} && echo 'c 10:200 rwm' >${cgroup}/devices.deny && echo 0 >${cgroup}/cgroup.procs`;
    const { runs } = await runInNamespace({ setup, runs: [["doctor", "--json"]] });
    const tun = findCheck(parseDoctorJson(runs[0]!), "tun");
    expect(tun).toMatchObject({ status: "warn", what: "/dev/net/tun cannot be opened (EPERM: Operation not permitted): the device cgroup denies it" });
    expect(tun.fix).toContain("--device /dev/net/tun");
  });
});

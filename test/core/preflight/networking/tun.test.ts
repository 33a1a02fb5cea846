// Why /dev/net/tun does not open, told by errno and the mount table.
import { describe, expect, it } from "vitest";
import { decideNetworking, type NetworkingInputs } from "../../../../src/core/preflight/networking/networking-mode.ts";
import { probeTun } from "../../../../src/core/preflight/networking/tun.ts";
import { parseMountInfo } from "../../../../src/core/system/mountinfo.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const BASE: NetworkingInputs = { userspace: "auto", tun: { kind: "usable" }, capabilities: { kind: "known", effective: ["NET_ADMIN", "NET_RAW"] }, devReadOnly: false, tunError: undefined };
const tunCheck = (tun: NetworkingInputs["tun"]) => decideNetworking({ ...BASE, tun }).checks.find((check) => check.id === "tun");

describe("a TUN node that does not open", () => {
  it.each([
    ["EACCES on a nodev mount", { kind: "unopenable", error: "EACCES: Permission denied", code: "EACCES", noDevMount: "/dev" } as const, "it is on /dev, mounted nodev, where device nodes do not work", "mount /dev without nodev"],
    ["EPERM: the device cgroup", { kind: "unopenable", error: "EPERM: Operation not permitted", code: "EPERM" } as const, "the device cgroup denies it", "--device /dev/net/tun"],
    ["EACCES elsewhere: no guess", { kind: "unopenable", error: "EACCES: Permission denied", code: "EACCES" } as const, "/dev/net/tun cannot be opened (EACCES: Permission denied)", "--device /dev/net/tun"],
  ])("%s", (_name, tun, what, fix) => {
    const check = tunCheck(tun);
    expect(check?.what).toContain(what);
    expect(check?.fix).toContain(fix);
    if (tun.code !== "EPERM") expect(check?.what).not.toContain("cgroup");
  });

  it("the mode check carries the same fix", () => {
    const mode = decideNetworking({ ...BASE, tun: { kind: "unopenable", error: "EACCES: Permission denied", code: "EACCES", noDevMount: "/dev/net" } }).checks.find((check) => check.id === "mode");
    expect(mode?.fix).toContain("mount /dev/net without nodev");
  });

  it("probeTun finds the nodev mount the node is on", () => {
    const host = createFakeHost({ files: { "/dev/net/tun": { kind: "char-device", mode: 0o600, rdev: (10 << 8) | 200 } } });
    host.files.tryOpenReadWrite = () => ({ ok: false, error: { code: "EACCES", message: "Permission denied" } });
    const mounts = parseMountInfo("1 0 8:1 / / rw - ext4 /dev/root rw\n30 1 0:5 / /dev rw,nosuid,nodev - tmpfs tmpfs rw");
    expect(probeTun(host.files, mounts)).toEqual({ kind: "unopenable", error: "EACCES: Permission denied", code: "EACCES", noDevMount: "/dev" });
    expect(mounts[1]).toMatchObject({ noDev: true, readOnly: false });
  });
});

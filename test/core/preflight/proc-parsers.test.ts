// Parsers of /proc and /sys files: capabilities, mountinfo, cgroup memory, meminfo.
import { describe, expect, it } from "vitest";
import { findMount, parseMountInfo } from "../../../src/core/system/mountinfo.ts";
import { decodeCapabilities, findMissingCapabilities, parseEffectiveCapabilities } from "../../../src/core/preflight/networking/capabilities.ts";
import { listLimitFiles, parseLimit, planGoMemLimit, readMeminfoBytes } from "../../../src/core/preflight/memory.ts";

describe("decodeCapabilities", () => {
  it.each([
    ["0000000000000000", []],
    ["0000000000001000", ["NET_ADMIN"]],
    ["0000000000003000", ["NET_ADMIN", "NET_RAW"]],
    ["0000000008000000", ["MKNOD"]],
    ["0000010000000000", ["CHECKPOINT_RESTORE"]],
    ["8000000000000001", ["CHOWN", "CAP_63"]],
    ["a80425fb", ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE", "NET_RAW", "SYS_CHROOT", "MKNOD", "AUDIT_WRITE", "SETFCAP"]],
  ])("%s → %j", (hex, names) => {
    expect(decodeCapabilities(hex)).toEqual(names);
  });

  it.each(["", "xyz", "00000000000000000"])("refuses %j", (hex) => {
    expect(decodeCapabilities(hex)).toBeUndefined();
  });

  it("reads CapEff, not CapPrm or CapBnd", () => {
    expect(parseEffectiveCapabilities("CapInh:\t0000000000000000\nCapPrm:\t0000000000003000\nCapEff:\t0000000000001000\nCapBnd:\t0000000000003000\n")).toEqual(["NET_ADMIN"]);
    expect(parseEffectiveCapabilities("Name:\tx\n")).toBeUndefined();
  });

  it("asks for MKNOD only when the TUN node is missing (Docker's default set has no NET_ADMIN)", () => {
    const docker = { kind: "known", effective: decodeCapabilities("a80425fb") ?? [] } as const;
    expect(findMissingCapabilities(docker, false).map((cap) => cap.name)).toEqual(["NET_ADMIN"]);
    expect(findMissingCapabilities({ kind: "known", effective: ["NET_ADMIN", "NET_RAW"] }, true).map((cap) => cap.name)).toEqual(["MKNOD"]);
    expect(findMissingCapabilities({ kind: "unknown", error: "x" }, true)).toEqual([]);
  });
});

const MOUNTINFO = [
  "22 1 254:0 / / rw,relatime shared:1 - overlay overlay rw,lowerdir=/a",
  "30 22 0:5 / /dev rw,nosuid - tmpfs tmpfs rw",
  "31 30 0:6 / /dev/net ro,relatime - tmpfs none ro",
  "40 22 0:7 / /proc/sys ro,relatime - proc proc rw",
  "50 22 8:1 /tailscale/state /var/lib/tailscale rw,relatime - ext4 /dev/sda1 rw",
  "51 22 0:9 / /mnt/with\\040space rw - tmpfs none rw",
  "52 50 0:10 / /var/lib/tailscale rw - tmpfs none rw",
].join("\n");

describe("mountinfo", () => {
  const mounts = parseMountInfo(MOUNTINFO);

  it("parses mount point, type, source and read-only, unescaping octal", () => {
    expect(mounts[0]).toEqual({ mountPoint: "/", fsType: "overlay", source: "overlay", readOnly: false, noDev: false });
    expect(mounts[2]).toMatchObject({ mountPoint: "/dev/net", readOnly: true });
    expect(mounts[5]?.mountPoint).toBe("/mnt/with space");
  });

  it.each([
    ["/var/lib/tailscale", "/var/lib/tailscale", "tmpfs"],
    ["/var/lib/tailscale/sub", "/var/lib/tailscale", "tmpfs"],
    ["/var/lib/tailscalex", "/", "overlay"],
    ["/dev/net/tun", "/dev/net", "tmpfs"],
    ["/proc/sys/net", "/proc/sys", "proc"],
  ])("%s is on %s (%s); the last mount on a point wins", (path, point, type) => {
    expect(findMount(mounts, path)).toMatchObject({ mountPoint: point, fsType: type });
  });
});

describe("memory", () => {
  it.each([
    ["0::/\n", ["/sys/fs/cgroup/memory.max"]],
    ["0::/docker/abc\n", ["/sys/fs/cgroup/docker/abc/memory.max", "/sys/fs/cgroup/memory.max"]],
    ["4:memory:/x/y\n0::/\n", ["/sys/fs/cgroup/memory/x/y/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory.max"]],
  ])("limit files of %j", (cgroup, files) => {
    expect(listLimitFiles(cgroup)).toEqual(files);
  });

  it.each([
    ["max\n", undefined],
    ["9223372036854771712\n", undefined],
    ["268435456\n", 268435456],
    ["garbage", undefined],
  ])("limit %j → %s", (text, bytes) => {
    expect(parseLimit(text)).toBe(bytes);
  });

  it("reads meminfo fields in bytes", () => {
    expect(readMeminfoBytes("MemTotal:       131072 kB\nMemAvailable:    65536 kB\n", "MemAvailable")).toBe(65536 * 1024);
    expect(readMeminfoBytes("MemTotal: 1 kB\n", "MemAvailable")).toBeUndefined();
  });

  it.each([
    [{ limitBytes: 256 * 2 ** 20, totalBytes: 2 ** 30 }, "192MiB"],
    [{ limitBytes: 2 ** 30, totalBytes: 128 * 2 ** 20 }, "96MiB"],
    [{ limitBytes: undefined, totalBytes: 128 * 2 ** 20 }, undefined],
  ])("GOMEMLIMIT for %j is %s", (facts, expected) => {
    expect(planGoMemLimit({ ...facts, limitFile: undefined, availableBytes: undefined })).toBe(expected);
  });
});

// /proc/self/mountinfo: mount point, type, source, read-only and nodev; the mount a path is on.
import { describe, expect, it } from "vitest";
import { findMount, parseMountInfo, readMounts } from "../../../src/core/system/mountinfo.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

const MOUNTINFO = [
  "22 1 254:0 / / rw,relatime shared:1 - overlay overlay rw,lowerdir=/a",
  "30 22 0:5 / /dev rw,nosuid - tmpfs tmpfs rw",
  "31 30 0:6 / /dev/net ro,relatime - tmpfs none ro",
  "40 22 0:7 / /proc/sys ro,relatime - proc proc rw",
  "50 22 8:1 /tailscale/state /var/lib/tailscale rw,relatime - ext4 /dev/sda1 rw",
  "51 22 0:9 / /mnt/with\\040space rw - tmpfs none rw",
  "52 50 0:10 / /var/lib/tailscale rw - tmpfs none rw",
  "53 22 0:11 / /mnt/nodev rw,nosuid,nodev - tmpfs my\\134src rw",
].join("\n");

describe("parseMountInfo", () => {
  const mounts = parseMountInfo(MOUNTINFO);

  it("parses mount point, type, source, read-only and nodev, unescaping octal", () => {
    expect(mounts[0]).toEqual({ mountPoint: "/", fsType: "overlay", source: "overlay", readOnly: false, noDev: false });
    expect(mounts[2]).toMatchObject({ mountPoint: "/dev/net", readOnly: true, noDev: false });
    expect(mounts[4]).toEqual({ mountPoint: "/var/lib/tailscale", fsType: "ext4", source: "/dev/sda1", readOnly: false, noDev: false });
    expect(mounts[5]?.mountPoint).toBe("/mnt/with space");
    expect(mounts[7]).toEqual({ mountPoint: "/mnt/nodev", fsType: "tmpfs", source: "my\\src", readOnly: false, noDev: true });
  });

  it("skips lines without the separator or with too few fields", () => {
    expect(parseMountInfo(["", "1 0 8:1 / / rw shared:1 overlay overlay rw", "1 0 - / / rw", "1 0 8:1 / / rw -"].join("\n"))).toEqual([]);
  });

  it("finds the separator only after the optional fields (a mount point named -)", () => {
    expect(parseMountInfo("1 0 8:1 / - rw - ext4 /dev/x rw")).toEqual([{ mountPoint: "-", fsType: "ext4", source: "/dev/x", readOnly: false, noDev: false }]);
  });
});

describe("findMount", () => {
  const mounts = parseMountInfo(MOUNTINFO);
  it.each([
    ["/var/lib/tailscale", "/var/lib/tailscale", "tmpfs"],
    ["/var/lib/tailscale/sub", "/var/lib/tailscale", "tmpfs"],
    ["/var/lib/tailscalex", "/", "overlay"],
    ["/dev/net/tun", "/dev/net", "tmpfs"],
    ["/proc/sys/net", "/proc/sys", "proc"],
    ["/mnt/with space/x", "/mnt/with space", "tmpfs"],
    ["/", "/", "overlay"],
  ])("%s is on %s (%s); the last mount on a point wins", (path, point, type) => {
    expect(findMount(mounts, path)).toMatchObject({ mountPoint: point, fsType: type });
  });

  it("finds nothing in an empty table", () => {
    expect(findMount([], "/x")).toBeUndefined();
    expect(findMount(parseMountInfo("2 1 0:2 / /run rw - tmpfs tmpfs rw"), "/var")).toBeUndefined();
  });

  const table = parseMountInfo(["1 0 8:1 / / rw - overlay overlay rw", "2 1 0:2 / /var/lib/tailscale rw - ext4 /dev/sda1 rw", "3 1 0:3 / /run rw - tmpfs tmpfs rw", "4 1 0:4 / /my\\040dir rw - tmpfs tmpfs rw"].join("\n"));
  it.each([
    ["/var/lib/tailscale", "ext4"],
    ["/var/lib/tailscale/tailscaled.state", "ext4"],
    ["/var/lib/tailscalex", "overlay"],
    ["/run/x", "tmpfs"],
    ["/my dir", "tmpfs"],
    ["/", "overlay"],
  ])("%s is on %s", (path, fsType) => {
    expect(findMount(table, path)?.fsType).toBe(fsType);
  });
});

describe("readMounts", () => {
  it("reads this process's table, or none without /proc", () => {
    expect(readMounts(createFakeHost({ files: { "/proc/self/mountinfo": MOUNTINFO } }).files)).toHaveLength(8);
    expect(readMounts(createFakeHost().files)).toEqual([]);
  });
});

// The TUN device: what is at /dev/net/tun (usable, missing, another node, there but not openable, and
// why, told by errno and the mount table), and creating it with mknod.
import { describe, expect, it } from "vitest";
import { createTun, probeTun, TUN_RDEV } from "../../../../src/core/preflight/networking/tun.ts";
import { parseMountInfo } from "../../../../src/core/system/mountinfo.ts";
import { fail } from "../../../../src/core/host.ts";
import { createFakeCommands } from "../../../fakes/fake-commands.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";

const TUN = { kind: "char-device", mode: 0o600, rdev: (10 << 8) | 200 } as const;
const NODEV_DEV = parseMountInfo("1 0 8:1 / / rw - ext4 /dev/root rw\n30 1 0:5 / /dev rw,nosuid,nodev - tmpfs tmpfs rw");

describe("probeTun", () => {
  it("TUN_RDEV is char 10:200", () => {
    expect([TUN_RDEV >> 8, TUN_RDEV & 0xff]).toEqual([10, 200]);
  });

  it.each([
    ["a usable node", { "/dev/net/tun": TUN }, { kind: "usable" }],
    ["nothing there", {}, { kind: "missing" }],
    ["a regular file", { "/dev/net/tun": "" }, { kind: "not-a-tun", detail: "file 0:0" }],
    ["another char device", { "/dev/net/tun": { kind: "char-device", mode: 0o600, rdev: (1 << 8) | 3 } as const }, { kind: "not-a-tun", detail: "char-device 1:3" }],
    ["a block device 10:200", { "/dev/net/tun": { kind: "block-device", mode: 0o600, rdev: (10 << 8) | 200 } as const }, { kind: "not-a-tun", detail: "block-device 10:200" }],
    ["a node the cgroup denies", { "/dev/net/tun": { ...TUN, openError: "EPERM" } }, { kind: "unopenable", error: "EPERM: Operation not permitted", code: "EPERM" }],
  ])("%s", (_, files, facts) => {
    expect(probeTun(createFakeHost({ files }).files, [])).toEqual(facts);
  });

  it("a node stat cannot reach (not ENOENT) does not open", () => {
    const host = createFakeHost();
    host.files.stat = () => fail("EACCES", "Permission denied");
    expect(probeTun(host.files, [])).toEqual({ kind: "unopenable", error: "Permission denied", code: "EACCES" });
  });

  it("finds the nodev mount the node is on", () => {
    const host = createFakeHost({ files: { "/dev/net/tun": TUN } });
    host.files.tryOpenReadWrite = () => ({ ok: false, error: { code: "EACCES", message: "Permission denied" } });
    expect(probeTun(host.files, NODEV_DEV)).toEqual({ kind: "unopenable", error: "EACCES: Permission denied", code: "EACCES", noDevMount: "/dev" });
    expect(NODEV_DEV[1]).toMatchObject({ noDev: true, readOnly: false });
    // On a mount without nodev: no mount named.
    expect(probeTun(host.files, parseMountInfo("1 0 8:1 / / rw - ext4 /dev/root rw"))).toEqual({ kind: "unopenable", error: "EACCES: Permission denied", code: "EACCES" });
  });

  it("a nodev mount does not matter for a node that opens", () => {
    expect(probeTun(createFakeHost({ files: { "/dev/net/tun": TUN } }).files, NODEV_DEV)).toEqual({ kind: "usable" });
  });
});

describe("createTun", () => {
  it("creates /dev/net and runs mknod for char 10:200, mode 600, within mknod's time limit", async () => {
    const host = createFakeHost({ files: { "/dev": { kind: "directory", mode: 0o755 } } });
    const commands = createFakeCommands();
    expect(await createTun(host.files, commands.runner)).toEqual({ ok: true, change: "created /dev/net/tun (char 10:200, mode 600)" });
    expect(host.files.entries.get("/dev/net")).toEqual({ kind: "directory", mode: 0o755 });
    expect(commands.ran).toEqual([["mknod", "-m", "600", "/dev/net/tun", "c", "10", "200"]]);
    expect(commands.options).toEqual([{ label: "mknod -m 600 /dev/net/tun c 10 200", timeoutMs: 5000 }]);
  });

  it("an existing /dev/net is fine", async () => {
    const host = createFakeHost({ files: { "/dev/net": { kind: "directory", mode: 0o755 } } });
    expect(await createTun(host.files, createFakeCommands().runner)).toMatchObject({ ok: true });
  });

  it("a /dev/net that cannot be made stops it before mknod", async () => {
    const host = createFakeHost();
    host.files.mkdir = () => fail("EROFS", "Read-only file system");
    const commands = createFakeCommands();
    expect(await createTun(host.files, commands.runner)).toEqual({ ok: false, error: "mkdir /dev/net: Read-only file system" });
    expect(commands.ran).toEqual([]);
  });

  it.each([
    ["mknod's own words", { code: 1, stderr: "mknod: /dev/net/tun: Operation not permitted\n" }, "mknod: /dev/net/tun: Operation not permitted"],
    ["its exit without words", { code: 1, stderr: "  \n" }, "mknod ended with code 1"],
    ["a signal", { signal: 9 }, "mknod ended with signal 9"],
    ["not run to its end", { failure: "timed-out", error: "mknod did not finish within 5s and was ended" } as const, "mknod did not finish within 5s and was ended"],
  ])("a failing mknod: %s", async (_, answer, error) => {
    const host = createFakeHost({ files: { "/dev/net": { kind: "directory", mode: 0o755 } } });
    expect(await createTun(host.files, createFakeCommands(() => answer).runner)).toEqual({ ok: false, error });
  });
});

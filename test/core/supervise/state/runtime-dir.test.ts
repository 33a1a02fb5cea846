// The supervisor's private directory: the first candidate on tmpfs (never the state dir), else /tmp,
// marked as not in memory; created with mode 700.
import { describe, expect, it } from "vitest";
import { fail } from "../../../../src/core/host.ts";
import { locateRuntimeDir, prepareRuntimeDir, runtimeBinDir } from "../../../../src/core/supervise/state/runtime-dir.ts";
import { createFakeHost } from "../../../fakes/fake-host.ts";
import { createFakeFiles, type FakeEntry } from "../../../fakes/fake-files.ts";

const DIR = { kind: "directory", mode: 0o755 } as const;
const mounts = (...lines: string[]) => ["1 0 8:1 / / rw - ext4 /dev/root rw", ...lines].join("\n");

describe("locateRuntimeDir", () => {
  it.each([
    ["/run on tmpfs", { "/run": DIR, "/proc/self/mountinfo": mounts("2 1 0:2 / /run rw - tmpfs tmpfs rw") }, { path: "/run/tailscale-supervisor", onTmpfs: true }],
    ["/run on disk, /dev/shm on tmpfs", { "/run": DIR, "/dev/shm": DIR, "/proc/self/mountinfo": mounts("2 1 0:2 / /dev/shm rw - tmpfs tmpfs rw") }, { path: "/dev/shm/tailscale-supervisor", onTmpfs: true }],
    ["/run on tmpfs but missing", { "/tmp": DIR, "/proc/self/mountinfo": mounts("2 1 0:2 / /run rw - tmpfs tmpfs rw", "3 1 0:3 / /tmp rw - tmpfs tmpfs rw") }, { path: "/tmp/tailscale-supervisor", onTmpfs: true }],
    ["/run a file", { "/run": "x", "/proc/self/mountinfo": mounts("2 1 0:2 / /run rw - tmpfs tmpfs rw") }, { path: "/tmp/tailscale-supervisor", onTmpfs: false }],
    ["a ramfs is not tmpfs", { "/run": DIR, "/proc/self/mountinfo": mounts("2 1 0:2 / /run rw - ramfs ramfs rw") }, { path: "/tmp/tailscale-supervisor", onTmpfs: false }],
    ["no tmpfs at all", { "/run": DIR, "/tmp": DIR, "/proc/self/mountinfo": mounts() }, { path: "/tmp/tailscale-supervisor", onTmpfs: false }],
    ["no mount table", { "/run": DIR }, { path: "/tmp/tailscale-supervisor", onTmpfs: false }],
  ])("%s → %j", (_, files, dir) => {
    expect(locateRuntimeDir(createFakeHost({ files }).files)).toEqual(dir);
  });

  it("the iptables links go to its bin", () => {
    expect(runtimeBinDir({ path: "/run/tailscale-supervisor", onTmpfs: true })).toBe("/run/tailscale-supervisor/bin");
  });
});

describe("prepareRuntimeDir", () => {
  const dir = { path: "/run/tailscale-supervisor", onTmpfs: true };
  it("creates it with mode 700; one already there is fine", () => {
    const host = createFakeHost({ files: { "/run": DIR } });
    expect(prepareRuntimeDir(host.files, dir)).toBeUndefined();
    expect(host.files.entries.get(dir.path)).toEqual({ kind: "directory", mode: 0o700 });
    expect(prepareRuntimeDir(host.files, dir)).toBeUndefined();
  });

  it("says why it cannot be made", () => {
    const host = createFakeHost();
    expect(prepareRuntimeDir(host.files, dir)).toBe("cannot create /run/tailscale-supervisor: No such file or directory");
    host.files.mkdir = () => fail("EROFS", "Read-only file system");
    expect(prepareRuntimeDir(host.files, dir)).toBe("cannot create /run/tailscale-supervisor: Read-only file system");
  });
});

// An existing runtime directory is used only when it is this user's own, closed to others, and not a link (issue 18).
const RUNTIME = { path: "/run/tailscale-supervisor", onTmpfs: true };
const SELF = { "/proc/self": { kind: "directory" as const, mode: 0o555, uid: 0 } };

function prepare(entries: Record<string, string | Partial<FakeEntry>>) {
  const files = createFakeFiles({ "/run": { kind: "directory", mode: 0o755 }, ...SELF, ...entries });
  return { files, problem: prepareRuntimeDir(files, RUNTIME) };
}

describe("prepareRuntimeDir", () => {
  it("makes it (0700) when missing", () => {
    const { files, problem } = prepare({});
    expect(problem).toBeUndefined();
    expect(files.entries.get(RUNTIME.path)).toMatchObject({ kind: "directory", mode: 0o700 });
  });

  it("keeps its own (0700, this user's) with what it holds", () => {
    const { files, problem } = prepare({ [RUNTIME.path]: { kind: "directory", mode: 0o700 }, [`${RUNTIME.path}/status.json`]: "{}" });
    expect(problem).toBeUndefined();
    expect(files.entries.has(`${RUNTIME.path}/status.json`)).toBe(true);
  });

  it.each<[string, Record<string, string | Partial<FakeEntry>>]>([
    ["open to others", { [RUNTIME.path]: { kind: "directory", mode: 0o777 }, [`${RUNTIME.path}/authkey`]: { kind: "symlink", mode: 0o777, target: "/etc/passwd" } }],
    ["another user's", { [RUNTIME.path]: { kind: "directory", mode: 0o700, uid: 1000 }, [`${RUNTIME.path}/bin`]: { kind: "directory", mode: 0o755 }, [`${RUNTIME.path}/bin/iptables`]: { kind: "symlink", mode: 0o777, target: "/x" } }],
    ["a link to a directory", { "/elsewhere": { kind: "directory", mode: 0o700 }, "/elsewhere/keep": "kept", [RUNTIME.path]: { kind: "symlink", mode: 0o777, target: "/elsewhere" } }],
    ["a file", { [RUNTIME.path]: "x" }],
  ])("%s: removed, links not followed, and made again", (_, entries) => {
    const { files, problem } = prepare({ "/etc/passwd": "root:x:0:0\n", ...entries });
    expect(problem).toBeUndefined();
    expect(files.entries.get(RUNTIME.path)).toMatchObject({ kind: "directory", mode: 0o700 });
    expect([...files.entries.keys()].filter((path) => path.startsWith(`${RUNTIME.path}/`))).toEqual([]);
    expect(files.entries.get("/etc/passwd")?.text).toBe("root:x:0:0\n");
    if (files.entries.has("/elsewhere")) expect(files.entries.get("/elsewhere/keep")?.text).toBe("kept");
  });
});

// The state dir: there or creatable, writable (tried and left as it was), on its own persistent mount,
// holding a node's state or not; created when missing.
import { describe, expect, it } from "vitest";
import { fail } from "../../../src/core/host.ts";
import { FIXED_AT_START } from "../../../src/core/preflight/preflight-check.ts";
import { checkStateDir, classifyPersistence, createStateDir, describeMountFix, probeStateDir, STATE_FILE, type StateDirFacts } from "../../../src/core/preflight/state-dir.ts";
import { parseMountInfo } from "../../../src/core/system/mountinfo.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

const DIR = "/var/lib/tailscale";
const MOUNTS = parseMountInfo(["1 0 8:1 / / rw - overlay overlay rw", "2 1 8:2 / /var/lib/tailscale rw - ext4 /dev/sda1 rw", "3 1 0:3 / /tmp rw - tmpfs tmpfs rw", "4 1 0:4 / /ram rw - ramfs ramfs rw"].join("\n"));
const OWN_MOUNT = MOUNTS[1];
const FIX = describeMountFix(DIR);

describe("probeStateDir", () => {
  it("a writable directory with state: the write probe leaves nothing behind", () => {
    const host = createFakeHost({ files: { [`${DIR}/${STATE_FILE}`]: '{"_machinekey":"x"}' } });
    const before = [...host.files.entries.keys()];
    const writes: unknown[] = [];
    const write = host.files.createFile;
    host.files.createFile = (...args) => (writes.push(args), write(...args));
    expect(probeStateDir(host.files, DIR, MOUNTS)).toEqual({ path: DIR, kind: "directory", writeError: undefined, mount: OWN_MOUNT, hasState: true });
    expect([...host.files.entries.keys()]).toEqual(before);
    expect(writes).toEqual([[`${DIR}/.ts-supervisor-write-probe`, "", 0o600]]);
  });

  it("an empty state file is no state", () => {
    const host = createFakeHost({ files: { [`${DIR}/${STATE_FILE}`]: "" } });
    expect(probeStateDir(host.files, DIR, MOUNTS).hasState).toBe(false);
  });

  it("a write probe that fails removes nothing (a leftover probe file stays as it was)", () => {
    const host = createFakeHost({ files: { [`${DIR}/.ts-supervisor-write-probe`]: "" } });
    host.files.createFile = () => fail("EROFS", "Read-only file system");
    probeStateDir(host.files, DIR, []);
    expect(host.files.entries.has(`${DIR}/.ts-supervisor-write-probe`)).toBe(true);
  });

  it("a directory that refuses the write probe tells the errno and the message", () => {
    const host = createFakeHost({ files: { [DIR]: { kind: "directory", mode: 0o500 } } });
    host.files.createFile = () => fail("EROFS", "Read-only file system");
    expect(probeStateDir(host.files, DIR, [])).toEqual({ path: DIR, kind: "directory", writeError: "EROFS: Read-only file system", mount: undefined, hasState: false });
  });

  it.each([
    ["missing", {}, "missing"],
    ["a file", { [DIR]: "x" }, "not-a-directory"],
  ] as const)("%s: no write probe", (_, files, kind) => {
    const host = createFakeHost({ files });
    let writes = 0;
    const write = host.files.createFile;
    host.files.createFile = (...args) => ((writes += 1), write(...args));
    expect(probeStateDir(host.files, DIR, MOUNTS)).toMatchObject({ kind, writeError: undefined });
    expect(writes).toBe(0);
  });
});

describe("classifyPersistence", () => {
  const facts = (mount: StateDirFacts["mount"]): StateDirFacts => ({ path: DIR, kind: "directory", writeError: undefined, mount, hasState: false });
  it.each([
    [MOUNTS[0], "container-root"],
    [MOUNTS[1], "own-mount"],
    [MOUNTS[2], "volatile"],
    [MOUNTS[3], "volatile"],
    [undefined, "unknown"],
  ])("%j → %s", (mount, persistence) => {
    expect(classifyPersistence(facts(mount))).toBe(persistence);
  });
});

describe("describeMountFix", () => {
  it("names the RouterOS and Docker ways to mount the path", () => {
    expect(describeMountFix("/data")).toBe("RouterOS 7.21+: /container/mounts/add list=ts_state src=tailscale/state dst=/data; /container/set <container> mountlists=ts_state; RouterOS 7.20 and before: /container/mounts/add name=ts_state src=tailscale/state dst=/data; /container/set <container> mounts=ts_state; Docker: -v tailscale-state:/data");
  });
});

describe("checkStateDir", () => {
  const facts = (over: Partial<StateDirFacts>): StateDirFacts => ({ path: DIR, kind: "directory", writeError: undefined, mount: OWN_MOUNT, hasState: true, ...over });
  const OWN = { id: "state-persistence", status: "ok", what: `${DIR} is on its own mount (ext4 at ${DIR})` };

  it("writable, with state, on its own mount", () => {
    expect(checkStateDir(facts({}), undefined)).toEqual([{ id: "state-dir", status: "ok", what: `${DIR} is writable; existing node state` }, OWN]);
    expect(checkStateDir(facts({ hasState: false }), undefined)[0]).toEqual({ id: "state-dir", status: "ok", what: `${DIR} is writable; no node state yet: first login` });
  });

  it("not a directory fails", () => {
    expect(checkStateDir(facts({ kind: "not-a-directory" }), undefined)).toEqual([{ id: "state-dir", status: "fail", what: `${DIR} is not a directory`, fix: "remove it, or point TS_STATE_DIR elsewhere" }]);
  });

  it("not writable fails", () => {
    expect(checkStateDir(facts({ writeError: "EACCES: Permission denied" }), undefined)).toEqual([
      { id: "state-dir", status: "fail", what: `${DIR} is not writable (EACCES: Permission denied): tailscaled cannot save its state`, fix: FIX },
    ]);
  });

  it("missing: created at start; missing and not creatable fails", () => {
    expect(checkStateDir(facts({ kind: "missing", mount: MOUNTS[0] }), undefined)).toEqual([
      { id: "state-dir", status: "warn", what: `${DIR} is missing; it will be created (first login)`, fix: FIXED_AT_START },
      { id: "state-persistence", status: "warn", what: `${DIR} is on the container's root filesystem, not its own mount: node identity will be lost on re-create/reboot`, fix: FIX },
    ]);
    expect(checkStateDir(facts({ kind: "missing" }), [{ id: "state-dir", outcome: { ok: false, error: "mkdir /var/lib/tailscale: Read-only file system" } }])).toEqual([
      { id: "state-dir", status: "fail", what: `${DIR} is missing and cannot be created (mkdir /var/lib/tailscale: Read-only file system)`, fix: FIX },
    ]);
  });

  it.each([
    [MOUNTS[2], { id: "state-persistence", status: "warn", what: `${DIR} is on tmpfs: node identity will be lost on re-create/reboot`, fix: FIX }],
    [MOUNTS[3], { id: "state-persistence", status: "warn", what: `${DIR} is on ramfs: node identity will be lost on re-create/reboot`, fix: FIX }],
    [undefined, { id: "state-persistence", status: "warn", what: `cannot tell which mount ${DIR} is on (/proc/self/mountinfo unreadable)` }],
  ])("persistence on %j", (mount, check) => {
    expect(checkStateDir(facts({ mount }), undefined)[1]).toEqual(check);
  });
});

describe("createStateDir", () => {
  it("creates the dir and its parents, mode 700", () => {
    const host = createFakeHost();
    expect(createStateDir(host.files, "/data/ts/state")).toEqual({ ok: true, change: "created /data/ts/state" });
    expect(["/data", "/data/ts", "/data/ts/state"].map((path) => host.files.entries.get(path))).toEqual([
      { kind: "directory", mode: 0o700 },
      { kind: "directory", mode: 0o700 },
      { kind: "directory", mode: 0o700 },
    ]);
  });

  it("a dir that cannot be made is the error", () => {
    const host = createFakeHost();
    host.files.mkdir = () => fail("EROFS", "Read-only file system");
    expect(createStateDir(host.files, DIR)).toEqual({ ok: false, error: `mkdir ${DIR}: Read-only file system` });
  });
});

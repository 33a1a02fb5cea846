// Issue 18 item 4: an existing runtime directory is used only when it is this user's own, closed to
// others, and not a link; otherwise it is removed (links not followed) and made again.
import { describe, expect, it } from "vitest";
import { prepareRuntimeDir } from "../../../../src/core/supervise/state/runtime-dir.ts";
import { createFakeFiles, type FakeEntry } from "../../../fakes/fake-files.ts";

const DIR = { path: "/run/tailscale-supervisor", onTmpfs: true };
const SELF = { "/proc/self": { kind: "directory" as const, mode: 0o555, uid: 0 } };

function prepare(entries: Record<string, string | Partial<FakeEntry>>) {
  const files = createFakeFiles({ "/run": { kind: "directory", mode: 0o755 }, ...SELF, ...entries });
  return { files, problem: prepareRuntimeDir(files, DIR) };
}

describe("prepareRuntimeDir", () => {
  it("makes it (0700) when missing", () => {
    const { files, problem } = prepare({});
    expect(problem).toBeUndefined();
    expect(files.entries.get(DIR.path)).toMatchObject({ kind: "directory", mode: 0o700 });
  });

  it("keeps its own (0700, this user's) with what it holds", () => {
    const { files, problem } = prepare({ [DIR.path]: { kind: "directory", mode: 0o700 }, [`${DIR.path}/status.json`]: "{}" });
    expect(problem).toBeUndefined();
    expect(files.entries.has(`${DIR.path}/status.json`)).toBe(true);
  });

  it.each<[string, Record<string, string | Partial<FakeEntry>>]>([
    ["open to others", { [DIR.path]: { kind: "directory", mode: 0o777 }, [`${DIR.path}/authkey`]: { kind: "symlink", mode: 0o777, target: "/etc/passwd" } }],
    ["another user's", { [DIR.path]: { kind: "directory", mode: 0o700, uid: 1000 }, [`${DIR.path}/bin`]: { kind: "directory", mode: 0o755 }, [`${DIR.path}/bin/iptables`]: { kind: "symlink", mode: 0o777, target: "/x" } }],
    ["a link to a directory", { "/elsewhere": { kind: "directory", mode: 0o700 }, "/elsewhere/keep": "kept", [DIR.path]: { kind: "symlink", mode: 0o777, target: "/elsewhere" } }],
    ["a file", { [DIR.path]: "x" }],
  ])("%s: removed, links not followed, and made again", (_, entries) => {
    const { files, problem } = prepare({ "/etc/passwd": "root:x:0:0\n", ...entries });
    expect(problem).toBeUndefined();
    expect(files.entries.get(DIR.path)).toMatchObject({ kind: "directory", mode: 0o700 });
    expect([...files.entries.keys()].filter((path) => path.startsWith(`${DIR.path}/`))).toEqual([]);
    expect(files.entries.get("/etc/passwd")?.text).toBe("root:x:0:0\n");
    if (files.entries.has("/elsewhere")) expect(files.entries.get("/elsewhere/keep")?.text).toBe("kept");
  });
});

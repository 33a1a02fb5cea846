// Removing a directory and what it holds: links removed, never followed out of it; bounded in depth
// and entries; the first failure returned.
import { describe, expect, it } from "vitest";
import { fail, type FilesPort } from "../../../src/core/host.ts";
import { removeTree } from "../../../src/core/system/remove-tree.ts";
import { createFakeFiles, type FakeEntry, type FakeFiles } from "../../fakes/fake-files.ts";

/**
 * The fake files, with the kernel's path walk: a link as a middle component, or the last one for
 * stat and readDir, is followed (the fake alone lists nothing under a link), so a removal that
 * followed a link would reach the files it points to.
 */
function withLinkWalk(files: FakeFiles): FilesPort {
  const walk = (path: string, followLast: boolean): string => {
    let current = "";
    const parts = path.split("/").filter((part) => part !== "");
    parts.forEach((part, index) => {
      current += `/${part}`;
      const entry = files.entries.get(current);
      if (entry?.kind === "symlink" && entry.target !== undefined && (followLast || index < parts.length - 1)) current = entry.target;
    });
    return current || "/";
  };
  return {
    ...files,
    stat: (path) => files.stat(walk(path, true)),
    lstat: (path) => files.lstat(walk(path, false)),
    readDir: (path) => files.readDir(walk(path, true)),
    remove: (path) => files.remove(walk(path, false)),
  };
}

const tree = (initial: Record<string, string | Partial<FakeEntry>>): { files: FakeFiles; port: FilesPort } => {
  const files = createFakeFiles(initial);
  return { files, port: withLinkWalk(files) };
};

const under = (files: FakeFiles, path: string): string[] => [...files.entries.keys()].filter((key) => key === path || key.startsWith(`${path}/`));

describe("removeTree", () => {
  it("removes a directory with everything in it, deepest first", () => {
    const { files, port } = tree({ "/run/s/a": "1", "/run/s/b/c": "2", "/run/s/b/d/e": "3", "/run/s/f": { kind: "fifo", mode: 0o600 }, "/run/keep": "k" });
    const removed: string[] = [];
    const remove = port.remove;
    expect(removeTree({ ...port, remove: (path) => (removed.push(path), remove(path)) }, "/run/s")).toEqual({ ok: true, value: undefined });
    expect(under(files, "/run/s")).toEqual([]);
    expect(files.entries.has("/run/keep")).toBe(true);
    expect(removed.indexOf("/run/s/b/d/e")).toBeLessThan(removed.indexOf("/run/s/b/d"));
    expect(removed.indexOf("/run/s/b")).toBeLessThan(removed.indexOf("/run/s"));
    expect(removed.at(-1)).toBe("/run/s");
  });

  it("removes a plain file", () => {
    const { files, port } = tree({ "/run/s": "x" });
    expect(removeTree(port, "/run/s").ok).toBe(true);
    expect(files.entries.has("/run/s")).toBe(false);
  });

  it("something already gone is done", () => {
    const { port } = tree({ "/run": { kind: "directory", mode: 0o755 } });
    expect(removeTree(port, "/run/none")).toEqual({ ok: true, value: undefined });
  });

  it("a link inside to a directory outside: the link goes, the directory and its files stay", () => {
    const { files, port } = tree({ "/var/lib/tailscale/tailscaled.state": "state", "/etc/passwd": "root", "/run/s/own": "x", "/run/s/state": { kind: "symlink", target: "/var/lib/tailscale" }, "/run/s/pw": { kind: "symlink", target: "/etc/passwd" } });
    expect(removeTree(port, "/run/s").ok).toBe(true);
    expect(under(files, "/run/s")).toEqual([]);
    expect(files.entries.get("/var/lib/tailscale/tailscaled.state")?.text).toBe("state");
    expect(files.entries.get("/etc/passwd")?.text).toBe("root");
  });

  it("the path itself a link to a directory: only the link goes", () => {
    const { files, port } = tree({ "/var/lib/tailscale/tailscaled.state": "state", "/run/s": { kind: "symlink", target: "/var/lib/tailscale" } });
    expect(removeTree(port, "/run/s").ok).toBe(true);
    expect(files.entries.has("/run/s")).toBe(false);
    expect(under(files, "/var/lib/tailscale")).toEqual(["/var/lib/tailscale", "/var/lib/tailscale/tailscaled.state"]);
  });

  it("goes 8 levels deep, not 9 (a runtime directory holds a handful)", () => {
    const eight = `/run/s${"/d".repeat(8)}`;
    const deep = tree({ [eight]: { kind: "directory", mode: 0o700 } });
    expect(removeTree(deep.port, "/run/s").ok).toBe(true);
    expect(under(deep.files, "/run/s")).toEqual([]);
    const tooDeep = tree({ [`${eight}/f`]: "x" });
    expect(removeTree(tooDeep.port, "/run/s")).toEqual({ ok: false, error: { code: "E2BIG", message: `too much to remove under ${eight}/f` } });
    expect(tooDeep.files.entries.has("/run/s")).toBe(true);
  });

  it("gives up past 10,000 entries", () => {
    const names = (count: number): Record<string, string> => Object.fromEntries(Array.from({ length: count }, (_, index) => [`/run/s/f${index}`, ""]));
    const fits = tree(names(9_999));
    expect(removeTree(fits.port, "/run/s").ok).toBe(true);
    expect(under(fits.files, "/run/s")).toEqual([]);
    const tooMany = tree(names(10_000));
    expect(removeTree(tooMany.port, "/run/s")).toEqual({ ok: false, error: { code: "E2BIG", message: "too much to remove under /run/s/f9999" } });
    expect(tooMany.files.entries.has("/run/s")).toBe(true);
  });

  it.each<[string, Partial<FilesPort>]>([
    ["lstat", { lstat: () => fail("EACCES", "Permission denied") }],
    ["readDir", { readDir: () => fail("EACCES", "Permission denied") }],
    ["remove", { remove: () => fail("EACCES", "Permission denied") }],
  ])("a failing %s is returned, and the directory stays", (_, broken) => {
    const { files, port } = tree({ "/run/s/a": "1" });
    expect(removeTree({ ...port, ...broken }, "/run/s")).toEqual({ ok: false, error: { code: "EACCES", message: "Permission denied" } });
    expect(files.entries.has("/run/s")).toBe(true);
  });
});

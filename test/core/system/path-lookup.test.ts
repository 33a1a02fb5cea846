// Finding a program on PATH without running it (found, missing, not executable), and `mkdir -p`.
import { describe, expect, it } from "vitest";
import { fail } from "../../../src/core/host.ts";
import { DEFAULT_PATH, findOnPath, lookUpOnPath, makeDirectories } from "../../../src/core/system/path-lookup.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

const files = createFakeHost({
  files: {
    "/usr/bin/tailscale": { kind: "file", mode: 0o755 },
    "/opt/bin/tailscale": { kind: "file", mode: 0o700 },
    "/usr/local/bin/tailscale": { kind: "file", mode: 0o644 },
    "/usr/local/bin/ip": { kind: "file", mode: 0o644 },
    "/bin/ip": { kind: "file", mode: 0o644 },
    "/sbin/ip": { kind: "directory", mode: 0o755 },
    "/bin/x": { kind: "file", mode: 0o001 },
    "/usr/sbin/setsid": { kind: "symlink", target: "/usr/bin/tailscale" },
  },
}).files;

describe("lookUpOnPath", () => {
  it.each([
    ["/usr/bin:/opt/bin", "tailscale", { kind: "found", path: "/usr/bin/tailscale" }],
    ["/opt/bin:/usr/bin", "tailscale", { kind: "found", path: "/opt/bin/tailscale" }],
    ["/usr/local/bin:/usr/bin", "tailscale", { kind: "found", path: "/usr/bin/tailscale" }],
    ["/usr/local/bin:/bin:/sbin", "ip", { kind: "not-executable", path: "/usr/local/bin/ip" }],
    ["/sbin", "ip", { kind: "missing" }],
    ["::/bin", "x", { kind: "found", path: "/bin/x" }],
    ["/usr/sbin", "setsid", { kind: "found", path: "/usr/sbin/setsid" }],
    ["", "tailscale", { kind: "missing" }],
    [undefined, "tailscale", { kind: "found", path: "/usr/bin/tailscale" }],
  ])("PATH %j, %s → %j", (path, name, lookup) => {
    expect(lookUpOnPath(files, path, name)).toEqual(lookup);
  });

  it("the default PATH is the image's", () => {
    expect(DEFAULT_PATH).toBe("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  });
});

describe("findOnPath", () => {
  it("is the path of a found program only", () => {
    expect(findOnPath(files, "/usr/bin", "tailscale")).toBe("/usr/bin/tailscale");
    expect(findOnPath(files, "/usr/local/bin", "ip")).toBeUndefined();
    expect(findOnPath(files, "/usr/local/bin", "none")).toBeUndefined();
  });
});

describe("makeDirectories", () => {
  it("creates each missing level with the mode, and leaves existing ones", () => {
    const host = createFakeHost({ files: { "/a": { kind: "directory", mode: 0o711 } } });
    expect(makeDirectories(host.files, "/a/b//c/", 0o700)).toEqual({ ok: true, value: undefined });
    expect(["/a", "/a/b", "/a/b/c"].map((path) => host.files.entries.get(path)?.mode)).toEqual([0o711, 0o700, 0o700]);
    expect(makeDirectories(host.files, "/a/b/c", 0o755)).toEqual({ ok: true, value: undefined });
  });

  it("a file in the way, or a refusal, is the error", () => {
    const host = createFakeHost({ files: { "/a/b": "file" } });
    expect(makeDirectories(host.files, "/a/b/c", 0o700)).toEqual({ ok: false, error: { code: "ENOENT", message: "No such file or directory" } });
    host.files.mkdir = () => fail("EACCES", "Permission denied");
    expect(makeDirectories(host.files, "/x/y", 0o700)).toEqual({ ok: false, error: { code: "EACCES", message: "Permission denied" } });
  });

  it("a directory made meanwhile by someone else (EEXIST) is fine", () => {
    const host = createFakeHost();
    host.files.mkdir = () => fail("EEXIST", "File exists");
    expect(makeDirectories(host.files, "/x/y", 0o700)).toEqual({ ok: true, value: undefined });
  });
});

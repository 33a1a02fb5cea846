// The QuickJS host under the real qjs: each port method against the real OS.
import { build } from "esbuild";
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findQjs } from "../../support/qjs.ts";

let results: Record<string, unknown>;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "qjs-host-"));
  const outfile = join(dir, "probe.mjs");
  await build({ entryPoints: [new URL("./host-probe.entry.ts", import.meta.url).pathname], outfile, bundle: true, format: "esm", platform: "browser", external: ["os", "std"], logLevel: "warning" });
  const run = await execa(findQjs(), [outfile, dir], { env: { PATH: "/usr/bin:/bin" }, extendEnv: false });
  results = JSON.parse(run.stdout) as Record<string, unknown>;
}, 30_000);

describe("QuickJS host files", () => {
  it("creates directories, and says EEXIST the second time", () => {
    expect(results["mkdir"]).toEqual({ ok: true });
    expect(results["mkdirAgain"]).toMatchObject({ ok: false, error: { code: "EEXIST" } });
  });

  it("writes UTF-8 with the mode asked for, and reads it back", () => {
    expect(results["write"]).toEqual({ ok: true });
    expect(results["read"]).toEqual({ ok: true, value: "k\u00e9y\n" });
    expect(results["stat"]).toEqual({ ok: true, value: { kind: "file", mode: 0o600, rdev: 0, size: 5, uid: 0 } });
  });

  it("reports missing files as ENOENT values", () => {
    expect(results["statMissing"]).toMatchObject({ ok: false, error: { code: "ENOENT" } });
    expect(results["readMissing"]).toMatchObject({ ok: false, error: { code: "ENOENT" } });
  });

  it("sees /dev/null as char device 1:3", () => {
    expect(results["statDevNull"]).toMatchObject({ ok: true, value: { kind: "char-device", rdev: statSync("/dev/null").rdev } });
  });

  it("lists, renames, reads links and removes", () => {
    expect(results["readDir"]).toEqual({ ok: true, value: ["secret"] });
    expect(results["rename"]).toEqual({ ok: true });
    expect(results["readLink"]).toMatchObject({ ok: true, value: expect.stringMatching(/qjs$/) });
    expect(results["remove"]).toEqual({ ok: true });
  });

  it("creates symlinks (EEXIST the second time) and tries opening read-write", () => {
    expect(results["symlink"]).toEqual({ ok: true });
    expect(results["symlinkAgain"]).toMatchObject({ ok: false, error: { code: "EEXIST" } });
    expect(results["readSymlink"]).toEqual({ ok: true, value: "/dev/null" });
    expect(results["openDevNull"]).toEqual({ ok: true });
    expect(results["openMissing"]).toMatchObject({ ok: false, error: { code: "ENOENT" } });
    expect(results["openDirectory"]).toMatchObject({ ok: false, error: { code: "EISDIR" } });
  });
});

describe("QuickJS host signals", () => {
  it("a signal that came before its handler is handed to the handler once installed (early-signals.ts)", () => {
    expect(results["earlySignal"]).toBe("delivered");
  });
});

describe("QuickJS host processes", () => {
  it("captures stdout and stderr through pipes and decodes the raw wait status", () => {
    expect(results["capture"]).toEqual({ ok: true, value: { status: { kind: "exited", code: 3 }, stdout: "out \u20ac", stderr: "err" } });
  });

  it("reports death by signal", () => {
    expect(results["killed"]).toEqual({ kind: "killed", signal: 9 });
  });

  it("reports a missing command as exit 127", () => {
    expect(results["missing"]).toEqual({ kind: "exited", code: 127 });
  });

  it("ends a command at its time limit: TERM, then KILL 2 s later, to its whole session", () => {
    expect(results["stubborn"]).toMatchObject({ ok: false, reason: "timed-out", error: expect.stringContaining("did not finish within 0.3s and was ended") });
    expect(results["stubbornMs"]).toBeGreaterThanOrEqual(2200);
    expect(results["stubbornMs"]).toBeLessThan(5000);
    const child = Number(results["sessionChild"]);
    expect(child).toBeGreaterThan(0);
    expect(existsSync(`/proc/${child}`) && !/\) [ZX] /.test(readFileSync(`/proc/${child}/stat`, "utf8"))).toBe(false);
  });

  it("does not wait for a pipe that a leftover background child keeps open", () => {
    expect(results["leftover"]).toEqual({ ok: true, value: { status: { kind: "exited", code: 0 }, stdout: "started\n", stderr: "" } });
    expect(results["leftoverMs"]).toBeLessThan(5000);
  });
});

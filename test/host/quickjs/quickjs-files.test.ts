// The QuickJS files port under the real qjs (it imports qjs's os and std, which Node cannot load):
// readTextBounded never blocks and never reads more than asked, whatever the path is (a FIFO without
// writer, /dev/zero, a 10 MB file, a directory). The port's other methods: quickjs-host.test.ts.
import { build } from "esbuild";
import { execa } from "execa";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findQjs } from "../../support/qjs.ts";

let results: Record<string, { read: unknown; stat: unknown; ms: number }>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "qjs-bounded-"));
  const outfile = join(dir, "probe.mjs");
  await build({ entryPoints: [new URL("./quickjs-files.entry.ts", import.meta.url).pathname], outfile, bundle: true, format: "esm", platform: "browser", external: ["os", "std"], logLevel: "warning" });
  await execa("mkfifo", [join(dir, "fifo")]);
  writeFileSync(join(dir, "big"), "k".repeat(10_000_000));
  writeFileSync(join(dir, "key"), "tskey-auth-k\u00e9y-1\n");
  symlinkSync("/dev/zero", join(dir, "zero-link"));
  const paths = { fifo: join(dir, "fifo"), zero: "/dev/zero", zeroLink: join(dir, "zero-link"), big: join(dir, "big"), key: join(dir, "key"), dir, missing: join(dir, "none") };
  // A blocking read of the FIFO would hang here: the timeout turns that into a failure.
  const run = await execa(findQjs(), [outfile, JSON.stringify(paths)], { env: { PATH: "/usr/bin:/bin" }, extendEnv: false, timeout: 20_000 });
  results = JSON.parse(run.stdout) as typeof results;
}, 60_000);

describe("readTextBounded under qjs", () => {
  it("a FIFO without a writer: end of file at once, no hang", () => {
    expect(results["fifo"]).toMatchObject({ read: { length: 0, complete: true }, stat: { ok: true, value: { kind: "fifo" } } });
  });

  it.each(["zero", "zeroLink"])("%s: 4 KiB and not complete, with stat saying it is a device", (name) => {
    expect(results[name]).toMatchObject({ read: { length: 4096, complete: false }, stat: { ok: true, value: { kind: "char-device" } } });
  });

  // That only the bound is read, not the whole file, the endless /dev/zero above shows without a clock.
  it("a 10 MB file: 4 KiB, not complete", () => {
    expect(results["big"]).toMatchObject({ read: { length: 4096, complete: false } });
  });

  it("a key file: all of it, decoded as UTF-8", () => {
    expect(results["key"]).toMatchObject({ read: { length: 17, complete: true, text: "tskey-auth-k\u00e9y-1\n" }, stat: { ok: true, value: { kind: "file" } } });
  });

  it("a directory and a missing path: errors as values", () => {
    expect(results["dir"]).toMatchObject({ read: { ok: false, error: { code: "EISDIR" } }, stat: { ok: true, value: { kind: "directory" } } });
    expect(results["missing"]).toMatchObject({ read: { ok: false, error: { code: "ENOENT" } } });
  });
});

// Which Tailscale features the tailscaled on PATH has: the `tailscaled.features` file its build wrote
// beside it, one feature per line; unknown (no feature checks) whenever that file cannot describe it.
import { describe, expect, it } from "vitest";
import { readFeatureSet } from "../../../src/core/tailscale/features.ts";
import { createFakeFiles, type FakeEntry } from "../../fakes/fake-files.ts";

const BIN = { kind: "file", mode: 0o755 } as const;

const EXACTLY_64_KIB = `${"a".repeat(64 * 1024 - 7)}\nsyslog`;

const read = (initial: Record<string, string | Partial<FakeEntry>>, path = "/usr/local/bin:/usr/bin") => readFeatureSet(createFakeFiles(initial), path);

describe("readFeatureSet", () => {
  it("reads one feature per line, skipping blank lines and comments, trimming blanks and CRs", () => {
    const set = read({ "/usr/local/bin/tailscaled": BIN, "/usr/local/bin/tailscaled.features": "# built with\nsyslog\n  debug \r\n\n#tpm\noutboundproxy" });
    expect(set).toEqual({ kind: "known", binary: "/usr/local/bin/tailscaled", features: new Set(["syslog", "debug", "outboundproxy"]) });
  });

  it("an empty file: known, with no features", () => {
    expect(read({ "/usr/bin/tailscaled": BIN, "/usr/bin/tailscaled.features": "" })).toEqual({ kind: "known", binary: "/usr/bin/tailscaled", features: new Set() });
  });

  it("without PATH, the image's default PATH", () => {
    expect(readFeatureSet(createFakeFiles({ "/usr/sbin/tailscaled": BIN, "/usr/sbin/tailscaled.features": "bird\n" }), undefined)).toMatchObject({ kind: "known", binary: "/usr/sbin/tailscaled" });
  });

  it("describes the tailscaled that runs: another one first on PATH without a file gets no feature checks", () => {
    const set = read({ "/usr/local/bin/tailscaled": BIN, "/usr/bin/tailscaled": BIN, "/usr/bin/tailscaled.features": "syslog\n" });
    expect(set).toEqual({ kind: "unknown" });
  });

  it.each<[string, Record<string, string | Partial<FakeEntry>>]>([
    ["no tailscaled on PATH", { "/usr/local/bin/tailscaled.features": "syslog\n" }],
    ["a tailscaled that is not executable", { "/usr/local/bin/tailscaled": { kind: "file", mode: 0o644 }, "/usr/local/bin/tailscaled.features": "syslog\n" }],
    ["no features file", { "/usr/local/bin/tailscaled": BIN }],
    ["a features file that is a directory", { "/usr/local/bin/tailscaled": BIN, "/usr/local/bin/tailscaled.features": { kind: "directory", mode: 0o755 } }],
    ["a features file over 64 KiB", { "/usr/local/bin/tailscaled": BIN, "/usr/local/bin/tailscaled.features": `${EXACTLY_64_KIB}\n` }],
  ])("%s: unknown", (_, initial) => {
    expect(read(initial)).toEqual({ kind: "unknown" });
  });

  it("a features file of exactly 64 KiB is read", () => {
    const set = read({ "/usr/local/bin/tailscaled": BIN, "/usr/local/bin/tailscaled.features": EXACTLY_64_KIB });
    expect(set.kind === "known" && set.features.has("syslog")).toBe(true);
  });
});

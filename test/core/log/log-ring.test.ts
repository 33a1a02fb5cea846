// The log ring on tmpfs: batched appends, a bounded size (two files, rotated), redaction, and what
// `logs` reads back from another process.
import { describe, expect, it } from "vitest";
import { createLogRing, RING_FLUSH_BYTES, RING_FLUSH_DELAY_MS } from "../../../src/core/log/log-ring.ts";
import { parseRingText, readRing, RING_FILE_MAX_BYTES, RING_FILE_NAME, RING_OLD_FILE_NAME } from "../../../src/core/log/ring-file.ts";
import { createFakeHost } from "../../fakes/fake-host.ts";

const DIR = "/run/tailscale-supervisor";

function setUp(dir: string | null = DIR) {
  const host = createFakeHost({ files: { [`${DIR}/${RING_FILE_NAME}`]: "1 1 left by an earlier supervisor\n", [`${DIR}/${RING_OLD_FILE_NAME}`]: "" } });
  const ring = createLogRing({ files: host.files, clock: host.clock, dir: dir ?? undefined, redact: (text) => text.replaceAll("SECRET", "[REDACTED]") });
  const text = (name: string) => host.files.entries.get(`${DIR}/${name}`)?.text;
  return { host, ring, text };
}

describe("createLogRing", () => {
  it("starts empty, and writes a line within a second (not at once)", () => {
    const { host, ring, text } = setUp();
    expect(text(RING_FILE_NAME)).toBe("");
    expect(text(RING_OLD_FILE_NAME)).toBeUndefined();
    ring.add("INFO tailscaled: Start\n");
    expect(text(RING_FILE_NAME)).toBe("");
    host.advance(RING_FLUSH_DELAY_MS);
    expect(text(RING_FILE_NAME)).toBe(`1 ${host.clock.now() - RING_FLUSH_DELAY_MS} INFO tailscaled: Start\n`);
    expect(host.files.entries.get(`${DIR}/${RING_FILE_NAME}`)?.mode).toBe(0o600);
  });

  it("writes a burst in batches of 16 KiB, and what is pending at flush()", () => {
    const { host, ring, text } = setUp();
    const line = `INFO tailscaled: ${"x".repeat(100)}`;
    for (let index = 0; index < 200; index += 1) ring.add(line);
    const written = parseRingText(text(RING_FILE_NAME) ?? "");
    expect(written.length).toBeGreaterThan(100);
    expect(written.length).toBeLessThan(200);
    expect((text(RING_FILE_NAME) ?? "").length).toBeGreaterThanOrEqual(RING_FLUSH_BYTES);
    ring.flush();
    expect(parseRingText(text(RING_FILE_NAME) ?? "").map((entry) => entry.seq)).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
    expect(host.elapsed()).toBe(0);
  });

  it("never holds more than two files of 128 KiB (plus one batch), and keeps the newest lines", () => {
    const { ring, text, host } = setUp();
    for (let index = 1; index <= 20_000; index += 1) ring.add(`INFO tailscaled: line ${index} ${"y".repeat(60)}`);
    ring.flush();
    const current = text(RING_FILE_NAME) ?? "";
    const old = text(RING_OLD_FILE_NAME) ?? "";
    expect(current.length).toBeLessThan(RING_FILE_MAX_BYTES + RING_FLUSH_BYTES + 200);
    expect(old.length).toBeLessThan(RING_FILE_MAX_BYTES + RING_FLUSH_BYTES + 200);
    const entries = readRing(host.files, DIR) ?? [];
    expect(entries.at(-1)?.line).toContain("line 20000 ");
    // Contiguous: nothing lost between the two files.
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: entries.length }, (_, index) => 20_001 - entries.length + index));
  });

  it("redacts each line as every output is", () => {
    const { ring, text } = setUp();
    ring.add("INFO tailscaled: key SECRET here");
    ring.flush();
    expect(text(RING_FILE_NAME)).toContain("key [REDACTED] here");
    expect(text(RING_FILE_NAME)).not.toContain("SECRET");
  });

  it("keeps nothing without a tmpfs directory (never on flash)", () => {
    const { host, ring } = setUp(null);
    ring.add("INFO tailscaled: Start");
    ring.flush();
    expect(host.files.entries.get(`${DIR}/${RING_FILE_NAME}`)?.text).toBe("1 1 left by an earlier supervisor\n");
  });

  it("stops quietly when a write fails (tmpfs full, the directory gone)", () => {
    const { host, ring } = setUp();
    for (const path of [DIR, `${DIR}/${RING_FILE_NAME}`]) host.files.entries.delete(path);
    ring.add("INFO tailscaled: Start");
    expect(() => ring.flush()).not.toThrow();
    ring.add("INFO tailscaled: more");
    ring.flush();
    expect(readRing(host.files, DIR)).toBeUndefined();
  });
});

describe("parseRingText", () => {
  it("skips rows of another shape (a torn write)", () => {
    expect(parseRingText("1 5 INFO a\nbroken\n2 x INFO b\n3 7 {\"msg\":\"c d\"}\n4 8")).toEqual([
      { seq: 1, timeMs: 5, line: "INFO a" },
      { seq: 3, timeMs: 7, line: '{"msg":"c d"}' },
    ]);
  });
});

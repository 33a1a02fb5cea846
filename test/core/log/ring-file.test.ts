// The log ring's files: one `<seq> <epoch ms> <line>` row per line, rows of another shape skipped,
// and what `logs` reads back from both files (oldest first, each line once, a missing or unreadable
// file as if empty; the port bounds each read).
import { describe, expect, it } from "vitest";
import { fail, type FilesPort } from "../../../src/core/host.ts";
import { formatRingEntry, parseRingText, readRing, RING_FILE_NAME, RING_OLD_FILE_NAME } from "../../../src/core/log/ring-file.ts";
import { createFakeFiles } from "../../fakes/fake-files.ts";

const DIR = "/run/tailscale-supervisor";
const CURRENT = `${DIR}/${RING_FILE_NAME}`;
const OLD = `${DIR}/${RING_OLD_FILE_NAME}`;

describe("formatRingEntry", () => {
  it("writes number, time and line, space-separated, with one newline", () => {
    expect(formatRingEntry({ seq: 12, timeMs: 1_700_000_000_123, line: "INFO supervisor: started" })).toBe("12 1700000000123 INFO supervisor: started\n");
  });

  it("reads back as it was written, spaces inside the line kept", () => {
    const entries = [
      { seq: 1, timeMs: 5, line: "INFO tailscaled: a  b   c" },
      { seq: 2, timeMs: 6, line: '{"time":6,"msg":"x y"}' },
      { seq: 3, timeMs: 7, line: "" },
    ];
    expect(parseRingText(entries.map(formatRingEntry).join(""))).toEqual(entries);
  });
});

describe("parseRingText", () => {
  it.each([
    ["an empty file", "", []],
    ["a row without a line part", "1 5\n", []],
    ["a row cut inside its time (a torn write)", "1 17000", []],
    ["a number of 0", "0 5 INFO a\n", []],
    ["a negative number", "-3 5 INFO a\n", []],
    ["a number that is not an integer", "1.5 5 INFO a\n", []],
    ["a time that is not a number", "1 soon INFO a\n", []],
    ["a number beyond the safe integers", "9007199254740993 5 INFO a\n", []],
  ])("skips %s", (_name, text, expected) => {
    expect(parseRingText(text)).toEqual(expected);
  });

  it("keeps the good rows around bad ones, in file order", () => {
    expect(parseRingText("2 10 INFO b\ngarbage\n1 9 INFO a\n")).toEqual([
      { seq: 2, timeMs: 10, line: "INFO b" },
      { seq: 1, timeMs: 9, line: "INFO a" },
    ]);
  });
});

describe("readRing", () => {
  it("is undefined when neither file exists (no supervisor wrote a ring here)", () => {
    expect(readRing(createFakeFiles({}), DIR)).toBeUndefined();
  });

  it("an empty ring (the supervisor started, nothing written yet) is an empty list, not undefined", () => {
    expect(readRing(createFakeFiles({ [CURRENT]: "" }), DIR)).toEqual([]);
  });

  it("the old file first, then the current one", () => {
    const files = createFakeFiles({ [OLD]: "1 10 INFO a\n2 11 INFO b\n", [CURRENT]: "3 12 INFO c\n" });
    expect(readRing(files, DIR)?.map((entry) => entry.line)).toEqual(["INFO a", "INFO b", "INFO c"]);
  });

  it("either file alone is enough", () => {
    expect(readRing(createFakeFiles({ [OLD]: "7 10 INFO old\n" }), DIR)).toEqual([{ seq: 7, timeMs: 10, line: "INFO old" }]);
    expect(readRing(createFakeFiles({ [CURRENT]: "8 11 INFO new\n" }), DIR)).toEqual([{ seq: 8, timeMs: 11, line: "INFO new" }]);
  });

  it("a part seen in both files (a rotation between the two reads) comes once, in number order", () => {
    const files = createFakeFiles({ [OLD]: "4 10 INFO d\n5 11 INFO e\n", [CURRENT]: "5 11 INFO e\n6 12 INFO f\n3 9 INFO c\n" });
    expect(readRing(files, DIR)?.map((entry) => entry.seq)).toEqual([3, 4, 5, 6]);
  });

  it("a file the port will not read (beyond its bound: EFBIG; a directory) counts as missing", () => {
    const files = createFakeFiles({ [CURRENT]: "2 12 INFO b\n", [OLD]: "1 11 INFO a\n" });
    const bounded: FilesPort = { ...files, readText: (path) => (path === OLD ? fail("EFBIG", "File too large") : files.readText(path)) };
    expect(readRing(bounded, DIR)).toEqual([{ seq: 2, timeMs: 12, line: "INFO b" }]);
    const neither: FilesPort = { ...files, readText: () => fail("EFBIG", "File too large") };
    expect(readRing(neither, DIR)).toBeUndefined();
    expect(readRing(createFakeFiles({ [`${CURRENT}/x`]: "" }), DIR)).toBeUndefined();
  });
});

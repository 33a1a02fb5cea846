// tailscaled's lines the diagnostics block quotes: the notable ones (state changes, errors, real
// health warnings, a crash), the latest few and each text once, and its last lines (verbose aside).
import { describe, expect, it } from "vitest";
import { CRASH_LINE, isNotableLine, LAST_LINES, MAX_NOTABLE_LINES, rememberNotable, selectLastLines, selectNotableBefore } from "../../../../src/core/supervise/diagnostics/explaining-lines.ts";

describe("isNotableLine", () => {
  it.each([
    "Received error: invalid key: API key does not exist",
    "getLocalBackend error: createEngine: could not find tun",
    "LocalBackend.Start: logout first",
    "AuthURL is https://login.tailscale.com/a/abc123",
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "fatal error: out of memory",
    "SIGSEGV: segmentation violation",
    "Switching ipn state Starting -> NeedsLogin (WantRunning=true, nm=false)",
    "health(warnable=router): error: setting up netfilter: exit status 1",
    "wgengine: Reconfig: router config failed (see above): exit status 4",
  ])("notable: %s", (line) => {
    expect(isNotableLine(line)).toBe(true);
  });

  it.each([
    ["routine chatter", "magicsock: disco: node [abc] now using 10.0.0.1:41641"],
    ["a routine warnable's error (part of every start)", "health(warnable=warming-up): error: Tailscale is starting"],
    ["a warning cleared", "health(warnable=router): ok"],
    ["a switch to no known state", "Switching ipn state Starting -> Bogus (WantRunning=true)"],
    ["a known false alarm", "linuxfw: clear iptables: exit status 1"],
    ["a notable start not at the start", "control: Received error: x"],
    ["a crash word inside a line", "logtail: panic: upload failed"],
    ["an empty line", ""],
  ])("not notable: %s", (_name, line) => {
    expect(isNotableLine(line)).toBe(false);
  });

  it("CRASH_LINE matches a crash's first line only at the start", () => {
    expect(["panic: x", "fatal error: x", "SIGABRT: abort", "SIGILL: illegal instruction"].every((line) => CRASH_LINE.test(line))).toBe(true);
    expect(["goroutine 1 [running]:", " panic: x", "SIG: x", "SIGsegv: x"].some((line) => CRASH_LINE.test(line))).toBe(false);
  });
});

describe("rememberNotable", () => {
  it("appends each new line", () => {
    const notable: string[] = [];
    rememberNotable(notable, "a");
    rememberNotable(notable, "b");
    expect(notable).toEqual(["a", "b"]);
  });

  it("keeps each text once, at its latest place", () => {
    const notable = ["a", "b", "c"];
    rememberNotable(notable, "a");
    expect(notable).toEqual(["b", "c", "a"]);
  });

  it("keeps only the latest MAX_NOTABLE_LINES", () => {
    const notable: string[] = [];
    for (let index = 1; index <= MAX_NOTABLE_LINES + 5; index += 1) rememberNotable(notable, `line ${index}`);
    expect(MAX_NOTABLE_LINES).toBe(8);
    expect(notable).toEqual(Array.from({ length: MAX_NOTABLE_LINES }, (_, index) => `line ${index + 6}`));
  });
});

describe("selectLastLines", () => {
  it("the last LAST_LINES lines, in order", () => {
    const tail = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`);
    expect(LAST_LINES).toBe(8);
    expect(selectLastLines(tail)).toEqual(tail.slice(-LAST_LINES));
  });

  it("all of a shorter tail, and nothing of an empty one", () => {
    expect(selectLastLines(["a", "b"])).toEqual(["a", "b"]);
    expect(selectLastLines([])).toEqual([]);
  });

  it("verbose lines aside: it looks further back for LAST_LINES others", () => {
    const tail = ["old 1", "old 2", ...Array.from({ length: 7 }, (_, index) => `new ${index + 1}`)];
    const withVerbose = [...tail.slice(0, 4), "[v1] magicsock: sending disco ping", ...tail.slice(4), "[v2] netcheck: report", "[v\u0000JSON]1{\"x\":1}"];
    expect(selectLastLines(withVerbose)).toEqual(tail.slice(-LAST_LINES));
  });
});

describe("selectNotableBefore", () => {
  it("the notable lines not already among the last ones, in their order", () => {
    expect(selectNotableBefore(["Received error: a", "AuthURL is x", "panic: b"], ["panic: b", "goroutine 1"])).toEqual(["Received error: a", "AuthURL is x"]);
    expect(selectNotableBefore([], ["x"])).toEqual([]);
    expect(selectNotableBefore(["x"], ["x"])).toEqual([]);
  });
});

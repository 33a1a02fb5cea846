// The log relay: lines split across chunks, Go's timestamps stripped, verbose lines dropped unless
// asked for, repeats collapsed; its fast path gives the same lines as a plain reading of tailscaled's
// output, whatever the chunking, and relays over-long lines in bounded pieces.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTINUATION_MARK, createLogRelay, MAX_LINE_CHARS, type RelayOutput } from "../../../../src/core/supervise/tailscaled/log-relay.ts";
import { createRedactor } from "../../../../src/core/log/redact.ts";
import { propertyRuns } from "../../../support/mutation-run.ts";
import { cutAt } from "../../../support/byte-chunks.ts";

function relayChunks(chunks: readonly Uint8Array[], verbose = false): { out: RelayOutput[]; seen: string[] } {
  const out: RelayOutput[] = [];
  const seen: string[] = [];
  const relay = createLogRelay({ verbose, emit: (output) => out.push(output), onLine: (line) => seen.push(line), redactor: createRedactor() });
  for (const chunk of chunks) relay.push(chunk);
  relay.end();
  return { out, seen };
}

/** What the relay must log for these lines (no repeats among them, no verbose lines). */
function expectedLines(lines: readonly string[]): string[] {
  return lines.flatMap((line) => {
    if (line.trim() === "") return [];
    const pieces = [line.slice(0, MAX_LINE_CHARS)];
    for (let at = MAX_LINE_CHARS; at < line.length; at += MAX_LINE_CHARS) pieces.push(CONTINUATION_MARK + line.slice(at, at + MAX_LINE_CHARS));
    return pieces;
  });
}

describe("createLogRelay under any chunking", () => {
  it("logs every line once, in order, however the bytes are cut", () => {
    const line = fc.string({ unit: "grapheme", maxLength: 40 }).map((text) => text.replace(/[\n\r]/g, "").replace(/\[v/g, "[w"));
    fc.assert(
      fc.property(fc.uniqueArray(line, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 8 }), (lines, cuts) => {
        const bytes = new TextEncoder().encode(lines.map((text) => `2026/11/25 23:01:39 ${text}\n`).join(""));
        const { out } = relayChunks(cutAt(bytes, cuts));
        expect(out).toEqual(expectedLines(lines).map((text) => ({ kind: "line", text })));
      }),
      { numRuns: propertyRuns(500) },
    );
  });

  it("relays a line longer than the bound in marked pieces, and one that never ends as well", () => {
    const long = `start ${Array.from({ length: MAX_LINE_CHARS }, (_, index) => index).join(" ")} end`;
    const bytes = new TextEncoder().encode(`${long}\nnext\n${long}`);
    for (const chunks of [[bytes], cutAt(bytes, [1, 100, 4097, 5000, 9000, 12_000])]) {
      const { out, seen } = relayChunks(chunks);
      expect(out).toEqual([...expectedLines([long]), "next", ...expectedLines([long])].map((text) => ({ kind: "line", text })));
      // Events and the diagnostics' tail see the start of a cut line, not its pieces.
      expect(seen).toEqual([long.slice(0, MAX_LINE_CHARS), "next", long.slice(0, MAX_LINE_CHARS)]);
    }
  });

  it("drops every piece of a long verbose line unless verbose", () => {
    const long = `[v1] netmap: ${Array.from({ length: MAX_LINE_CHARS }, (_, index) => `peer${index}`).join(" ")}`;
    const bytes = new TextEncoder().encode(`${long}\nkept\n`);
    expect(relayChunks([bytes]).out).toEqual([{ kind: "line", text: "kept" }]);
    expect(relayChunks([bytes], true).out).toEqual([...expectedLines([long]), "kept"].map((text) => ({ kind: "line", text })));
  });

  it("strips a carriage return before the newline, also at a chunk's edge", () => {
    expect(relayChunks([new TextEncoder().encode("a\r"), new TextEncoder().encode("\nb\r\n")]).out).toEqual([
      { kind: "line", text: "a" },
      { kind: "line", text: "b" },
    ]);
  });

  it("strips only a Go timestamp at the very start", () => {
    const { out } = relayChunks([new TextEncoder().encode("2026/11/25 23:01:39.123456 a\nx 2026/11/25 23:01:39 b\n2026/11/2 23:01:39 c\n")]);
    expect(out).toEqual([
      { kind: "line", text: "a" },
      { kind: "line", text: "x 2026/11/25 23:01:39 b" },
      { kind: "line", text: "2026/11/2 23:01:39 c" },
    ]);
  });
});

describe("createLogRelay", () => {
  function relay(verbose: boolean, chunks: string[]): { out: RelayOutput[]; seen: string[] } {
    const out: RelayOutput[] = [];
    const seen: string[] = [];
    const target = createLogRelay({ verbose, emit: (output) => out.push(output), onLine: (line) => seen.push(line), redactor: createRedactor() });
    for (const chunk of chunks) target.push(new TextEncoder().encode(chunk));
    target.end();
    return { out, seen };
  }

  it("splits lines across chunks and strips Go's timestamps", () => {
    expect(relay(false, ["2026/11/25 17:35:19 Program sta", "rting\n2026/11/25 17:35:19.123 next\nlast"]).out).toEqual([
      { kind: "line", text: "Program starting" },
      { kind: "line", text: "next" },
      { kind: "line", text: "last" },
    ]);
  });

  it("drops [vN] lines unless verbose, but still sees them", () => {
    const quiet = relay(false, ["[v1] detail\nkept\n[v2] more\n"]);
    expect(quiet.out).toEqual([{ kind: "line", text: "kept" }]);
    expect(quiet.seen).toEqual(["[v1] detail", "kept", "[v2] more"]);
    expect(relay(true, ["[v1] detail\n"]).out).toEqual([{ kind: "line", text: "[v1] detail" }]);
  });

  it("collapses repeats and reports the count", () => {
    expect(relay(false, ["a\na\na\nb\nb\n"]).out).toEqual([
      { kind: "line", text: "a" },
      { kind: "repeated", text: "a", times: 2 },
      { kind: "line", text: "b" },
      { kind: "repeated", text: "b", times: 1 },
    ]);
  });

  it("reports a long run of repeats every 100", () => {
    expect(relay(false, ["x\n".repeat(250)]).out.filter((output) => output.kind === "repeated")).toEqual([
      { kind: "repeated", text: "x", times: 100 },
      { kind: "repeated", text: "x", times: 100 },
      { kind: "repeated", text: "x", times: 49 },
    ]);
  });
});

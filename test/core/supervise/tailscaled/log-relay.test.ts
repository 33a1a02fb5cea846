// The log relay's fast path (issue 9 item 11): the same lines as a plain reading of tailscaled's
// output, whatever the chunking; over-long lines relayed in bounded pieces; the decoder against
// TextDecoder; the logger's direct path against pino's.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../../src/core/log/logger.ts";
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from "../../../../src/core/log/format-line.ts";
import { CONTINUATION_MARK, createLogRelay, MAX_LINE_CHARS, type RelayOutput } from "../../../../src/core/supervise/tailscaled/log-relay.ts";
import { createRedactor } from "../../../../src/core/log/redact.ts";
import { createUtf8Decoder } from "../../../../src/core/text/utf8.ts";
import { propertyRuns } from "../../../support/mutation-run.ts";

function relayChunks(chunks: readonly Uint8Array[], verbose = false): { out: RelayOutput[]; seen: string[] } {
  const out: RelayOutput[] = [];
  const seen: string[] = [];
  const relay = createLogRelay({ verbose, emit: (output) => out.push(output), onLine: (line) => seen.push(line), redactor: createRedactor() });
  for (const chunk of chunks) relay.push(chunk);
  relay.end();
  return { out, seen };
}

function cutAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
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

describe("createUtf8Decoder", () => {
  it("decodes any bytes in any chunks exactly as TextDecoder does", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: "grapheme", maxLength: 24 }).map((text) => new TextEncoder().encode(text)),
      fc.array(fc.constantFrom(0x41, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90), { maxLength: 24 }).map((list) => new Uint8Array(list)),
    );
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 5 }), (input, cuts) => {
        const decoder = createUtf8Decoder();
        const decoded = cutAt(input, cuts).map((chunk) => decoder.decode(chunk)).join("") + decoder.end();
        expect(decoded).toBe(new TextDecoder().decode(input));
      }),
      { numRuns: propertyRuns(3000) },
    );
  });

  it("decodes a chunk larger than one call's argument limit", () => {
    const text = `${"a".repeat(70_000)}é${"b".repeat(70_000)}`;
    const decoder = createUtf8Decoder();
    expect(decoder.decode(new TextEncoder().encode(text)) + decoder.end()).toBe(text);
  });
});

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

describe("createLogger's direct path for a message without fields", () => {
  const capture = (format: LogFormat, level: LogLevel) => {
    const lines: string[] = [];
    const log = createLogger({ format, level, component: "supervisor", write: (line) => lines.push(line), now: () => 1_764_111_111_111 });
    return { log, lines };
  };
  const methods = ["debug", "info", "warn", "error"] as const;

  it.each(LOG_FORMATS.flatMap((format) => LOG_LEVELS.filter((level) => level !== "fatal").map((level) => [format, level] as const)))("%s at level %s: the same lines as through pino", (format, level) => {
    const direct = capture(format, level);
    const viaPino = capture(format, level);
    for (const method of methods) {
      for (const msg of ["plain text", 'quote " and \\ and = sign', "tab\there\u001b[31m é \u2028", "{\"looks\":\"like json\"}"]) {
        direct.log.child("tailscaled")[method](msg);
        viaPino.log.child("tailscaled")[method](msg, {});
      }
    }
    expect(direct.lines).toEqual(viaPino.lines);
    const shown = methods.slice(Math.max(0, LOG_LEVELS.indexOf(level)));
    expect(direct.lines).toHaveLength(shown.length * 4);
  });
});

// Streaming UTF-8 decoding across chunk boundaries, exactly as TextDecoder does.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createUtf8Decoder } from "../../../src/core/text/utf8.ts";
import { propertyRuns } from "../../support/mutation-run.ts";
import { cutAt } from "../../support/byte-chunks.ts";

const bytes = (text: string) => Array.from(new TextEncoder().encode(text));

describe("createUtf8Decoder", () => {
  it.each(["plain ascii", "café", "日本語", "emoji 😀 ok", ""])("decodes %j split at every byte", (text) => {
    const all = bytes(text);
    for (let cut = 0; cut <= all.length; cut += 1) {
      const decoder = createUtf8Decoder();
      const decoded = decoder.decode(new Uint8Array(all.slice(0, cut))) + decoder.decode(new Uint8Array(all.slice(cut))) + decoder.end();
      expect(decoded).toBe(text);
    }
  });

  it("turns invalid bytes and a cut-off tail into U+FFFD", () => {
    const decoder = createUtf8Decoder();
    expect(decoder.decode(new Uint8Array([0x61, 0xff, 0x62, 0xe6]))).toBe("a\ufffdb");
    expect(decoder.end()).toBe("\ufffd");
  });
});

describe("createUtf8Decoder against TextDecoder", () => {
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

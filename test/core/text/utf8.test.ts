import { describe, expect, it } from "vitest";
import { createUtf8Decoder } from "../../../src/core/text/utf8.ts";

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

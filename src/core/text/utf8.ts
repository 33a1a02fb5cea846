// UTF-8 decoding across chunk boundaries (QuickJS has no TextDecoder).

/** Turns byte chunks into text; a sequence split between chunks is kept until it is whole. */
export interface Utf8Decoder {
  decode(chunk: Uint8Array): string;
  /** Whatever is left; an incomplete sequence becomes U+FFFD. */
  end(): string;
}

/** Creates a streaming decoder; invalid bytes become U+FFFD. */
export function createUtf8Decoder(): Utf8Decoder {
  let pending: number[] = [];
  return {
    decode(chunk) {
      const bytes = pending.length === 0 ? Array.from(chunk) : [...pending, ...chunk];
      const cut = findIncompleteTail(bytes);
      pending = bytes.slice(cut);
      return decodeComplete(bytes.slice(0, cut));
    },
    end() {
      const rest = pending.length === 0 ? "" : "\ufffd";
      pending = [];
      return rest;
    },
  };
}

/** Index where a trailing, not yet complete multi-byte sequence starts (bytes.length if none). */
function findIncompleteTail(bytes: readonly number[]): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = sequenceLength(byte);
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc2) return 2;
  return 1;
}

function decodeComplete(bytes: readonly number[]): string {
  let text = "";
  for (let index = 0; index < bytes.length; ) {
    const lead = bytes[index] ?? 0;
    const length = lead < 0x80 ? 1 : sequenceLength(lead);
    if (lead >= 0x80 && length === 1) {
      text += "\ufffd";
      index += 1;
      continue;
    }
    let code = length === 1 ? lead : lead & (0xff >> (length + 1));
    let valid = true;
    for (let offset = 1; offset < length; offset += 1) {
      const next = bytes[index + offset] ?? 0;
      if ((next & 0xc0) !== 0x80) valid = false;
      code = (code << 6) | (next & 0x3f);
    }
    if (!valid) {
      text += "\ufffd";
      index += 1;
      continue;
    }
    text += String.fromCodePoint(code);
    index += length;
  }
  return text;
}

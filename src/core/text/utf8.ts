// UTF-8 decoding across chunk boundaries (QuickJS has no TextDecoder), at the speed of qjs's C code:
// every byte of tailscaled's log passes through here, and a loop over bytes in JavaScript costs
// ~0.3 us a byte on qjs (a 100-byte line: 30 us). So each byte first becomes one character
// (String.fromCharCode over the whole chunk, in C), and the few multi-byte sequences are then found
// and rebuilt by a regular expression (also C); text that is all ASCII is returned as it is.

/** Turns byte chunks into text; a sequence split between chunks is kept until it is whole. */
export interface Utf8Decoder {
  decode(chunk: Uint8Array): string;
  /** Whatever is left; an incomplete sequence becomes U+FFFD. */
  end(): string;
}

// qjs passes at most 65,535 arguments to a call.
const BYTES_PER_CALL = 8192;
const NON_ASCII = /[\x80-\xff]/;
// Whole sequences (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), then the
// longest start of one that broke off (its "maximal subpart": one U+FFFD, as TextDecoder does),
// then any other byte above 0x7f (one U+FFFD each).
const SEQUENCE =
  /[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}|\xe0[\xa0-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]|\xed[\x80-\x9f]|\xf0[\x90-\xbf][\x80-\xbf]?|[\xf1-\xf3][\x80-\xbf]{1,2}|\xf4[\x80-\x8f][\x80-\xbf]?|[\x80-\xff]/g;
// The start of a sequence that the next chunk may complete, at the very end of the text.
const INCOMPLETE_AT_END =
  /(?:[\xc2-\xdf]|\xe0[\xa0-\xbf]?|[\xe1-\xec\xee\xef][\x80-\xbf]?|\xed[\x80-\x9f]?|\xf0(?:[\x90-\xbf][\x80-\xbf]?)?|[\xf1-\xf3](?:[\x80-\xbf]{1,2})?|\xf4(?:[\x80-\x8f][\x80-\xbf]?)?)$/;

/** Creates a streaming decoder; invalid bytes become U+FFFD, exactly as TextDecoder does. */
export function createUtf8Decoder(): Utf8Decoder {
  // Bytes (one character each) of a sequence the last chunk ended in the middle of.
  let pending = "";
  return {
    decode(chunk) {
      const bytes = pending + bytesToChars(chunk);
      if (!NON_ASCII.test(bytes)) {
        pending = "";
        return bytes;
      }
      // Only the last 3 bytes can start an incomplete sequence.
      const tail = INCOMPLETE_AT_END.exec(bytes.slice(-3));
      const cut = tail === null ? bytes.length : bytes.length - tail[0].length;
      pending = bytes.slice(cut);
      return decodeComplete(bytes.slice(0, cut));
    },
    end() {
      const rest = pending === "" ? "" : "\ufffd";
      pending = "";
      return rest;
    },
  };
}

/** One character per byte (Latin-1), built in C. */
function bytesToChars(chunk: Uint8Array): string {
  if (chunk.length <= BYTES_PER_CALL) return String.fromCharCode.apply(null, chunk as unknown as number[]);
  let text = "";
  for (let at = 0; at < chunk.length; at += BYTES_PER_CALL) text += String.fromCharCode.apply(null, chunk.subarray(at, at + BYTES_PER_CALL) as unknown as number[]);
  return text;
}

function decodeComplete(bytes: string): string {
  return bytes.replace(SEQUENCE, decodeSequence);
}

function decodeSequence(sequence: string): string {
  const lead = sequence.charCodeAt(0);
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  if (sequence.length !== length) return "\ufffd";
  let code = lead & (0xff >> (length + 1));
  for (let index = 1; index < length; index += 1) code = (code << 6) | (sequence.charCodeAt(index) & 0x3f);
  return String.fromCodePoint(code);
}

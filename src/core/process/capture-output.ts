// A command's output as text: the first bytes of a stream, redacted before they are capped (a secret
// across the cap would otherwise reach the log in a half no redactor knows).
import { cutFirstPiece, cutLookahead } from "../log/redact-cut.ts";
import type { Redactor } from "../log/redact.ts";
import { createUtf8Decoder } from "../text/utf8.ts";

/** What a command's stream keeps when the caller says nothing. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

/**
 * Keeps the first `maxBytes` of a stream as redacted text; the rest is counted and dropped. A little
 * more is kept than shown, so that a secret across the cap is seen whole and left out whole.
 */
export function captureOutput(redactor: Redactor, maxBytes = DEFAULT_MAX_OUTPUT_BYTES): { add: (chunk: Uint8Array) => void; text: () => string } {
  const decoder = createUtf8Decoder();
  // A character is at most 4 bytes of UTF-8.
  const keepBytes = maxBytes + 4 * cutLookahead(redactor);
  let text = "";
  let kept = 0;
  let total = 0;
  return {
    add(chunk) {
      total += chunk.byteLength;
      const room = Math.max(0, keepBytes - kept);
      if (room === 0) return;
      text += decoder.decode(room >= chunk.byteLength ? chunk : chunk.subarray(0, room));
      kept += Math.min(room, chunk.byteLength);
    },
    text() {
      const whole = text + decoder.end();
      if (total <= maxBytes) return redactor.redactText(whole);
      const cut = cutFirstPiece(redactor, whole, countChars(whole, maxBytes), total <= kept);
      return `${cut.piece}\n(${total - utf8Length(whole.slice(0, cut.rawLength))} more bytes not kept)`;
    },
  };
}

/** How many characters of `text` fit in `maxBytes` of UTF-8. */
function countChars(text: string, maxBytes: number): number {
  let bytes = 0;
  let index = 0;
  for (; index < text.length; index += 1) {
    bytes += utf8Width(text.charCodeAt(index));
    if (bytes > maxBytes) break;
  }
  return index;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) bytes += utf8Width(text.charCodeAt(index));
  return bytes;
}

/** UTF-8 bytes of one UTF-16 code unit (a surrogate counts half of its pair's 4). */
function utf8Width(code: number): number {
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  return code >= 0xd800 && code <= 0xdfff ? 2 : 3;
}

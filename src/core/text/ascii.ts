// Printable ASCII for every line the supervisor writes (the RouterOS log shows nothing else well).

/** Escapes control and non-ASCII characters (\n, \t, \uXXXX), so text stays one printable ASCII line; valid inside a JSON string. */
export function escapeToAscii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (char) => {
    if (char === "\n") return "\\n";
    if (char === "\t") return "\\t";
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** True when the text is printable ASCII only. */
export function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

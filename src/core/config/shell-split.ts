// Splits an argument string the way a POSIX shell would (quotes and backslashes, no expansion).

/** One word and where it was written (`start` to `end` in the input, quotes included). */
export interface ShellWord {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The words, and the reason the text cannot be split when it cannot. The words are there even then
 * (an unclosed quote runs to the end), so that secrets in a broken value can still be found.
 */
export interface SplitResult {
  readonly words: readonly ShellWord[];
  readonly problem: string | undefined;
}

// Space, tab, newline, vertical tab, form feed, carriage return.
const isBlank = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);

/** Splits on unquoted whitespace; '...' is literal, "..." honours \" \\ \$ \`, \x outside quotes is x. Linear in the text. */
export function splitShellWords(text: string): SplitResult {
  const words: ShellWord[] = [];
  let problem: string | undefined;
  let index = 0;
  while (index < text.length) {
    if (isBlank(text.charCodeAt(index))) {
      index += 1;
      continue;
    }
    const start = index;
    const parts: string[] = [];
    while (index < text.length && !isBlank(text.charCodeAt(index))) {
      const char = text.charAt(index);
      if (char === "'") {
        const close = text.indexOf("'", index + 1);
        if (close < 0) problem ??= "has an unclosed single quote";
        parts.push(text.slice(index + 1, close < 0 ? text.length : close));
        index = close < 0 ? text.length : close + 1;
      } else if (char === '"') {
        index = readDoubleQuoted(text, index + 1, parts);
        if (index > text.length) {
          problem ??= "has an unclosed double quote";
          index = text.length;
        }
      } else if (char === "\\") {
        if (index + 1 === text.length) problem ??= "ends with a lone backslash";
        parts.push(text.charAt(index + 1));
        index += 2;
      } else {
        let end = index + 1;
        while (end < text.length && !isBlank(text.charCodeAt(end)) && !"'\"\\".includes(text.charAt(end))) end += 1;
        parts.push(text.slice(index, end));
        index = end;
      }
    }
    words.push({ text: parts.join(""), start, end: Math.min(index, text.length) });
  }
  return { words, problem };
}

/** Reads a "..." body from `index` (after the quote) into `parts`; returns the index after the closing quote, or length + 1 when unclosed. */
function readDoubleQuoted(text: string, index: number, parts: string[]): number {
  let segment = index;
  for (let at = index; at < text.length; at += 1) {
    const char = text.charAt(at);
    if (char === '"') {
      parts.push(text.slice(segment, at));
      return at + 1;
    }
    if (char === "\\" && at + 1 < text.length && '"\\$`'.includes(text.charAt(at + 1))) {
      parts.push(text.slice(segment, at), text.charAt(at + 1));
      at += 1;
      segment = at + 1;
    }
  }
  parts.push(text.slice(segment));
  return text.length + 1;
}

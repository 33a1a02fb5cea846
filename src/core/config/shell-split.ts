// Splits an argument string the way a POSIX shell would (quotes and backslashes, no expansion).

/** Words, or the reason the text cannot be split. */
export type SplitResult = { readonly ok: true; readonly words: readonly string[] } | { readonly ok: false; readonly problem: string };

/** Splits on unquoted whitespace; '...' is literal, "..." honours \" \\ \$ \`, \x outside quotes is x. */
export function splitShellWords(text: string): SplitResult {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === "\\" && index + 1 < text.length && '"\\$`'.includes(text.charAt(index + 1))) {
        index += 1;
        word += text.charAt(index);
      } else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === "\\") {
      if (index + 1 === text.length) return { ok: false, problem: "ends with a lone backslash" };
      index += 1;
      word += text.charAt(index);
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== undefined) return { ok: false, problem: `has an unclosed ${quote === "'" ? "single" : "double"} quote` };
  if (inWord) words.push(word);
  return { ok: true, words };
}

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

// One token per match, found by the regex engine (a loop over characters costs ~1 us each under qjs):
// blanks, '...' (maybe unclosed), "..." (maybe unclosed, \x kept), \x, or a run of plain characters.
const TOKEN = /[ \t\n\v\f\r]+|'[^']*'?|"(?:[^"\\]|\\[\s\S])*"?|\\[\s\S]?|[^ \t\n\v\f\r'"\\]+/g;
const DOUBLE_QUOTED_ESCAPE = /\\(["\\$`])/g;
const PLAIN_WORD = /[^ \t\n\v\f\r]+/g;

// Loading the configuration splits the same value up to three times (its parser, the secret search,
// the display of a problem): the last results are kept. A pure function's cache, not state.
const RECENT_SPLITS = new Map<string, SplitResult>();
const MAX_RECENT_SPLITS = 4;

/** Splits on unquoted whitespace; '...' is literal, "..." honours \" \\ \$ \`, \x outside quotes is x. Linear in the text. */
export function splitShellWords(text: string): SplitResult {
  const recent = RECENT_SPLITS.get(text);
  if (recent !== undefined) return recent;
  const result = split(text);
  if (RECENT_SPLITS.size >= MAX_RECENT_SPLITS) RECENT_SPLITS.delete(RECENT_SPLITS.keys().next().value ?? "");
  RECENT_SPLITS.set(text, result);
  return result;
}

function split(text: string): SplitResult {
  // Without quotes or backslashes (the usual case) a word is a run of non-blanks.
  if (!/['"\\]/.test(text)) return { words: [...text.matchAll(PLAIN_WORD)].map((match) => ({ text: match[0], start: match.index, end: match.index + match[0].length })), problem: undefined };
  const words: ShellWord[] = [];
  let problem: string | undefined;
  let parts: string[] = [];
  let start = -1;
  const endWord = (end: number): void => {
    if (start >= 0) words.push({ text: parts.join(""), start, end });
    parts = [];
    start = -1;
  };
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const at = match.index;
    const first = token.charAt(0);
    if (first === "'" || first === '"') {
      const closed = token.length >= 2 && token.endsWith(first) && !(first === '"' && isEscapedQuote(token));
      if (!closed) problem ??= `has an unclosed ${first === "'" ? "single" : "double"} quote`;
      const body = token.slice(1, closed ? -1 : undefined);
      parts.push(first === "'" ? body : body.replace(DOUBLE_QUOTED_ESCAPE, "$1"));
    } else if (first === "\\") {
      if (token.length === 1) problem ??= "ends with a lone backslash";
      parts.push(token.slice(1));
    } else if (isBlankToken(first)) {
      endWord(at);
      continue;
    } else {
      parts.push(token);
    }
    if (start < 0) start = at;
  }
  endWord(text.length);
  return { words, problem };
}

function isBlankToken(char: string): boolean {
  return char === " " || char === "\t" || char === "\n" || char === "\v" || char === "\f" || char === "\r";
}

/** True when the closing-looking quote of a "..." token is itself escaped (`"abc\"` unclosed). */
function isEscapedQuote(token: string): boolean {
  let backslashes = 0;
  for (let index = token.length - 2; index > 0 && token.charAt(index) === "\\"; index -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

// The user:password@ part of URLs in any text, found in linear time (a regex scanning from every word
// start was quadratic on long runs of letters under qjs).

/** Where a URL's userinfo is: `start` to `end`, the `@` excluded. */
export interface UserinfoSpan {
  readonly start: number;
  readonly end: number;
}

const MAX_SCHEME_LENGTH = 32;
// What ends a URL's authority, or the URL: the path, query, fragment, white space, quotes, a backslash.
const AUTHORITY = /[^\s/?#"'\\]*/y;

/** Every `scheme://userinfo@` in the text; the userinfo runs to the authority's last `@`. */
export function findUserinfoSpans(text: string): UserinfoSpan[] {
  const spans: UserinfoSpan[] = [];
  for (let at = text.indexOf("://"); at >= 0; at = text.indexOf("://", at + 3)) {
    if (!hasScheme(text, at)) continue;
    AUTHORITY.lastIndex = at + 3;
    const authority = AUTHORITY.exec(text)?.[0] ?? "";
    const last = authority.lastIndexOf("@");
    if (last >= 0) spans.push({ start: at + 3, end: at + 3 + last });
  }
  return spans;
}

/** A scheme ends at `at`: letters, digits, + . - (at most 32), starting with a letter. */
function hasScheme(text: string, at: number): boolean {
  let start = at;
  while (start > 0 && at - start < MAX_SCHEME_LENGTH && isSchemeChar(text.charCodeAt(start - 1))) start -= 1;
  for (; start < at; start += 1) if (isLetter(text.charCodeAt(start))) return true;
  return false;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isSchemeChar(code: number): boolean {
  return isLetter(code) || (code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46;
}

/** The text with each userinfo replaced. */
export function replaceUserinfo(text: string, replacement: string): string {
  const spans = findUserinfoSpans(text);
  if (spans.length === 0) return text;
  let result = "";
  let copied = 0;
  for (const span of spans) {
    if (span.start < copied) continue;
    result += text.slice(copied, span.start) + replacement;
    copied = span.end;
  }
  return result + text.slice(copied);
}

/**
 * The userinfo of a URL that is one shell word (quotes already removed, so it may hold spaces and
 * quotes): from the first `scheme://` to the word's last `@`.
 */
export function findUserinfoInWord(word: string): UserinfoSpan | undefined {
  for (let at = word.indexOf("://"); at >= 0; at = word.indexOf("://", at + 3)) {
    if (!hasScheme(word, at)) continue;
    const last = word.lastIndexOf("@");
    return last > at + 3 ? { start: at + 3, end: last } : undefined;
  }
  return undefined;
}

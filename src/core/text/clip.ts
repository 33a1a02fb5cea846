// Shortening user text for messages: a 64 KB value or a 16,000-character name stays readable in a log line.

/** The text itself when short; else its start and how long it was. */
export function clipText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}...(${text.length} characters)`;
}

// Cutting long text into pieces only between secrets, each piece redacted: a secret split by a cut
// would reach the output in halves that no redactor recognises (a key across the log relay's 4096
// characters, a command's output at its 64 KiB cap).
import type { Redactor, SecretSpan } from "./redact.ts";
import { replaceSpans } from "./secret-spans.ts";

/**
 * How much text past a cut must be seen before cutting: the longest secret that may start before it.
 * Every key shape is far shorter than 256 characters; registered secrets count at their length.
 */
export const MIN_CUT_LOOKAHEAD = 256;

/** The lookahead a redactor needs. */
export function cutLookahead(redactor: Redactor): number {
  return Math.max(MIN_CUT_LOOKAHEAD, redactor.longestSecret());
}

/** One piece: its redacted text, how much raw text it took, and whether a secret-shaped run went on past it. */
export interface CutPiece {
  readonly piece: string;
  readonly rawLength: number;
  readonly runsOn: boolean;
}

// What a secret-shaped run is made of: anything up to white space, a quote or a backslash.
const RUN = /^[^\s"'\\]*/;

/**
 * The first piece of `text`: at most `limit` raw characters, ending before any secret the limit
 * would cut (at the start of what identifies it). A secret that starts the text and reaches past the
 * limit is taken whole; when it reaches the end of `text` and `final` is false it may go on
 * (`runsOn`: the caller drops the rest of its run, see createRedactingCutter).
 */
export function cutFirstPiece(redactor: Redactor, text: string, limit: number, final: boolean): CutPiece {
  if (text.length <= limit && final) return { piece: redactor.redactText(text), rawLength: text.length, runsOn: false };
  const spans = redactor.findSpans(text);
  let cut = Math.min(limit, text.length);
  // Back to the start of a secret the cut would split; a secret that starts the text is taken whole
  // (and so is any secret that then overlaps the new cut).
  let whole = false;
  for (let crossing = findCrossing(spans, cut); crossing !== undefined; crossing = findCrossing(spans, cut)) {
    whole ||= crossing.from === 0;
    cut = whole ? crossing.end : crossing.from;
  }
  const runsOn = whole && cut >= text.length && !final;
  const inside = spans.filter((span: SecretSpan) => span.end <= cut);
  return { piece: replaceSpans(text.slice(0, cut), inside), rawLength: cut, runsOn };
}

function findCrossing(spans: readonly SecretSpan[], cut: number): SecretSpan | undefined {
  return spans.find((span) => span.from < cut && span.end > cut);
}

/** Cuts a stream of text (a line that may never end) into redacted pieces. */
export interface RedactingCutter {
  /**
   * The pieces `text` can give now, and the raw rest to keep. `final`: the text is complete (a line
   * that ended): everything becomes pieces. Otherwise pieces are cut only while more than `limit` plus
   * the lookahead is buffered.
   */
  cut(text: string, final: boolean): { readonly pieces: string[]; readonly rest: string };
}

/** Creates a cutter of pieces of at most `limit` raw characters. */
export function createRedactingCutter(redactor: Redactor, limit: number): RedactingCutter {
  // The last piece ended inside a secret-shaped run that may go on: drop the rest of that run.
  let dropping = false;
  return {
    cut(input, final) {
      let text = input;
      if (dropping) {
        const run = RUN.exec(text)?.[0].length ?? 0;
        text = text.slice(run);
        if (run < input.length || final) dropping = false;
      }
      const pieces: string[] = [];
      const lookahead = cutLookahead(redactor);
      while (final ? text.length > 0 : text.length > limit + lookahead) {
        const next = cutFirstPiece(redactor, text, limit, final);
        pieces.push(next.piece);
        text = text.slice(next.rawLength);
        if (next.runsOn) {
          dropping = true;
          return { pieces, rest: "" };
        }
      }
      if (final) dropping = false;
      return { pieces, rest: text };
    },
  };
}

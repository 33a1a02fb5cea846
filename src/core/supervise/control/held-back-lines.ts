// tailscaled's lines held back during a control-server trouble: the shapes already logged (numbers
// aside, text/line-shape.ts), and what was not logged again, for the summary the reminders and the
// end of the trouble give ("40 like '...' (numbers differ)").
import { shapeOfLine } from "../../text/line-shape.ts";

/** Distinct shapes remembered per trouble (bounded memory; lines beyond it are always logged). */
const MAX_REMEMBERED_SHAPES = 64;
/** A summary names this many kinds of held-back lines (the most frequent), each this long at most. */
const MAX_KINDS_SHOWN = 3;
const MAX_EXAMPLE_CHARS = 60;

/** The lines logged during one trouble and the repeats held back since the last summary. */
export interface HeldBackLines {
  /** True for a line to log (its shape is new, and now remembered); false, and counted, for a repeat. */
  shouldLog(line: string): boolean;
  /** A line that was logged before the trouble was known: its repeats are held back too. */
  noteLogged(line: string): void;
  /** Lines held back since the last reset. */
  count(): number;
  /** What they were, most frequent first: `40 like 'magicsock: ...' (numbers differ), 6 like '...', 2 more kinds (3 lines)`. */
  describe(): string;
  /** After a summary: counting starts again, the shapes stay known. */
  resetCounts(): void;
  /** The trouble is over. */
  forget(): void;
}

interface Kind {
  /** The line as it was logged. */
  readonly logged: string;
  held: number;
  numbersDiffer: boolean;
}

/** Creates an empty set. */
export function createHeldBackLines(): HeldBackLines {
  const kinds = new Map<string, Kind>();
  let total = 0;
  const remember = (line: string, shape: string): void => {
    if (kinds.size < MAX_REMEMBERED_SHAPES) kinds.set(shape, { logged: line, held: 0, numbersDiffer: false });
  };
  return {
    shouldLog(line) {
      const shape = shapeOfLine(line);
      const kind = kinds.get(shape);
      if (kind === undefined) {
        remember(line, shape);
        return true;
      }
      kind.held += 1;
      if (line !== kind.logged) kind.numbersDiffer = true;
      total += 1;
      return false;
    },
    noteLogged(line) {
      const shape = shapeOfLine(line);
      if (!kinds.has(shape)) remember(line, shape);
    },
    count: () => total,
    describe() {
      const held = [...kinds.values()].filter((kind) => kind.held > 0).sort((a, b) => b.held - a.held);
      const shown = held.slice(0, MAX_KINDS_SHOWN).map((kind) => `${kind.held} like '${clipExample(kind.logged)}'${kind.numbersDiffer ? " (numbers differ)" : ""}`);
      const rest = held.slice(MAX_KINDS_SHOWN);
      if (rest.length > 0) shown.push(`${rest.length} more kinds (${rest.reduce((sum, kind) => sum + kind.held, 0)} lines)`);
      return shown.join(", ");
    },
    resetCounts() {
      total = 0;
      for (const kind of kinds.values()) {
        kind.held = 0;
        kind.numbersDiffer = false;
      }
    },
    forget() {
      kinds.clear();
      total = 0;
    },
  };
}

function clipExample(line: string): string {
  return line.length <= MAX_EXAMPLE_CHARS ? line : `${line.slice(0, MAX_EXAMPLE_CHARS)}...`;
}

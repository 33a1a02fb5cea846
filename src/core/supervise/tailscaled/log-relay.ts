// tailscaled's output → log lines: split, redact, strip its timestamps, drop verbose lines, collapse repeats.
// Every line tailscaled prints passes through here, in bursts at start and on network changes, on
// router CPUs several times slower than a PC: the per-line work is string methods (C code in qjs);
// regular expressions, which qjs runs at ~30 ns a character, only where a cheap test says they apply.
import { createRedactingCutter, cutLookahead } from "../../log/redact-cut.ts";
import type { Redactor } from "../../log/redact.ts";
import { createUtf8Decoder } from "../../text/utf8.ts";

/** What the relay emits. */
export type RelayOutput =
  | { readonly kind: "line"; readonly text: string }
  | { readonly kind: "repeated"; readonly text: string; readonly times: number };

/** Feeds bytes in; calls `emit` per line to log and `onLine` for every line, verbose ones too. */
export interface LogRelay {
  push(chunk: Uint8Array): void;
  /** Flushes a last unterminated line and a pending repeat count. */
  end(): void;
}

// A line repeated this often is reported even while it goes on repeating.
const REPEAT_REPORT_EVERY = 100;
/**
 * A line longer than this is relayed in pieces of at most this size, each one marked as a
 * continuation (nothing is lost, and a line that never ends cannot fill the memory); a cut never
 * splits a secret (log/redact-cut.ts).
 */
export const MAX_LINE_CHARS = 4096;
/** What a piece after the first of a cut line starts with. */
export const CONTINUATION_MARK = "... ";

// tailscaled prefixes each line with "2006/01/02 15:04:05 " (Go's log package); RouterOS adds its own
// time. Sticky: tried at the line's start only (an anchored pattern is tried at every position).
const GO_LOG_TIMESTAMP = /\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? /y;
// Verbose lines, printed raw when logtail is compiled out: "[v1] ...", "wg: [v2] ...", and
// "[v\x00JSON]1{...}" records (test/fixtures/tailscale/logs/first-login-omit-logtail-build.txt).
const VERBOSE_LINE = /\[v\d\] |\[v\x00JSON\]/;

/** What the relay needs. */
export interface LogRelayOptions {
  /** Keep `[vN]` lines. */
  readonly verbose: boolean;
  readonly emit: (output: RelayOutput) => void;
  /** Sees every line, verbose ones too (event detection, the diagnostics' last lines). */
  readonly onLine?: (line: string) => void;
  /**
   * Each line is redacted here, whole, where it enters: before anything keeps, cuts or shortens it
   * (the pieces of a long line, the last lines, the examples of held-back lines).
   */
  readonly redactor: Redactor;
}

/** Creates a relay. */
export function createLogRelay(options: LogRelayOptions): LogRelay {
  const decoder = createUtf8Decoder();
  const cutter = createRedactingCutter(options.redactor, MAX_LINE_CHARS);
  let partial = "";
  // The line being relayed in pieces: whether its first piece was logged (not a verbose line).
  let cutLine: "none" | "logged" | "dropped" = "none";
  let last: string | undefined;
  let repeats = 0;

  const flushRepeats = (): void => {
    if (repeats > 0 && last !== undefined) options.emit({ kind: "repeated", text: last, times: repeats });
    repeats = 0;
  };
  const relayLine = (line: string): void => {
    if (line === last) {
      repeats += 1;
      if (repeats === REPEAT_REPORT_EVERY) flushRepeats();
      return;
    }
    flushRepeats();
    last = line;
    options.emit({ kind: "line", text: line });
  };
  /** A whole line, or the first piece of a cut one. Returns false for a verbose line not logged. */
  const handleLine = (raw: string): boolean => {
    const line = stripTimestamp(raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw);
    if (line.trim() === "") return true;
    options.onLine?.(line);
    if (!options.verbose && isVerboseLine(line)) return false;
    relayLine(line);
    return true;
  };
  /** A piece of a cut line after the first: logged as a continuation when the first piece was. */
  const handlePiece = (piece: string): void => {
    if (cutLine === "logged" && piece !== "") relayLine(CONTINUATION_MARK + piece);
  };
  /** The next MAX_LINE_CHARS of a line that goes on. */
  const handleCut = (piece: string): void => {
    if (cutLine === "none") cutLine = handleLine(piece) ? "logged" : "dropped";
    else handlePiece(piece);
  };
  /** The rest of a line, up to its newline: redacted whole, in pieces when long. */
  const handleEnded = (text: string): void => {
    const pieces = cutter.cut(text, true).pieces;
    const rest = pieces.pop() ?? "";
    for (const piece of pieces) handleCut(piece);
    if (cutLine === "none") handleLine(rest);
    else handlePiece(rest.charCodeAt(rest.length - 1) === 13 ? rest.slice(0, -1) : rest);
    cutLine = "none";
  };

  return {
    push(chunk) {
      const text = partial + decoder.decode(chunk);
      let start = 0;
      for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
        handleEnded(text.slice(start, end));
        start = end + 1;
      }
      partial = start === 0 ? text : text.slice(start);
      // A line that goes on: its pieces once enough follows a cut to see a secret across it.
      if (partial.length > MAX_LINE_CHARS + cutLookahead(options.redactor)) {
        const cut = cutter.cut(partial, false);
        for (const piece of cut.pieces) handleCut(piece);
        partial = cut.rest;
      }
    },
    end() {
      const rest = partial + decoder.end();
      partial = "";
      if (rest !== "") handleEnded(rest);
      cutLine = "none";
      flushRepeats();
      last = undefined;
    },
  };
}

function stripTimestamp(line: string): string {
  // "2006/" — the pattern only where it can match.
  if (line.charCodeAt(4) !== 47) return line;
  GO_LOG_TIMESTAMP.lastIndex = 0;
  return GO_LOG_TIMESTAMP.test(line) ? line.slice(GO_LOG_TIMESTAMP.lastIndex) : line;
}

/** A `[vN]` line (or a `[v\x00JSON]` record): tailscaled's debug output. */
export function isVerboseLine(line: string): boolean {
  return line.includes("[v") && VERBOSE_LINE.test(line);
}

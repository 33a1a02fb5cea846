// tailscaled's output → log lines: split, strip its timestamps, drop verbose lines, collapse repeats.
import { createUtf8Decoder } from "../text/utf8.ts";

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

// tailscaled prefixes each line with "2006/01/02 15:04:05 " (Go's log package); RouterOS adds its own time.
const GO_LOG_TIMESTAMP = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? /;
// Verbose lines, printed raw when logtail is compiled out: "[v1] ...", "wg: [v2] ...", and
// "[v\x00JSON]1{...}" records (test/fixtures/tailscale/logs/first-login-omit-logtail-build.txt).
const VERBOSE_LINE = /\[v\d\] |\[v\x00JSON\]/;

/** Creates a relay; `verbose` keeps `[vN]` lines, `onLine` sees every line (for event detection). */
export function createLogRelay(options: { readonly verbose: boolean; readonly emit: (output: RelayOutput) => void; readonly onLine?: (line: string) => void }): LogRelay {
  const decoder = createUtf8Decoder();
  let partial = "";
  let last: string | undefined;
  let repeats = 0;

  const flushRepeats = (): void => {
    if (repeats > 0 && last !== undefined) options.emit({ kind: "repeated", text: last, times: repeats });
    repeats = 0;
  };
  const handleLine = (raw: string): void => {
    const line = raw.replace(/\r$/, "").replace(GO_LOG_TIMESTAMP, "");
    if (line.trim() === "") return;
    options.onLine?.(line);
    if (!options.verbose && VERBOSE_LINE.test(line)) return;
    if (line === last) {
      repeats += 1;
      if (repeats === REPEAT_REPORT_EVERY) flushRepeats();
      return;
    }
    flushRepeats();
    last = line;
    options.emit({ kind: "line", text: line });
  };

  return {
    push(chunk) {
      const lines = (partial + decoder.decode(chunk)).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) handleLine(line);
    },
    end() {
      const rest = partial + decoder.end();
      partial = "";
      if (rest !== "") handleLine(rest);
      flushRepeats();
      last = undefined;
    },
  };
}

// tailscaled's lines the diagnostics block quotes: those that explain a failure (its state changes,
// errors, health warnings, a crash) from well before it, and the very last ones, in order, with the
// routine lines between them left out and counted. The log ring has them all while the supervisor runs.
import { classifyTailscaledLine } from "../tailscaled/line-kinds.ts";
import { TAIL_LINES } from "../tailscaled/daemon.ts";
import { isVerboseLine } from "../tailscaled/log-relay.ts";
import { ROUTINE_WARNABLES } from "../state/health-warnings.ts";

/** At most this many notable lines from before the last ones ... */
export const MAX_NOTABLE_LINES = 6;
/** ... and always the last this many (verbose lines aside). */
export const LAST_LINES = 6;

// The first line of a Go crash, a start-up error tailscaled exits on, a control error, a login URL.
const NOTABLE_STARTS = ["panic: ", "fatal error: ", "Received error: ", "getLocalBackend error: ", "LocalBackend.Start: ", "AuthURL is "];

/** What a line says about a failure: more than routine chatter. */
export function isNotableLine(line: string): boolean {
  if (NOTABLE_STARTS.some((start) => line.startsWith(start))) return true;
  const kind = classifyTailscaledLine(line);
  if (kind.kind === "state" || kind.kind === "warning") return true;
  return kind.kind === "health" && kind.message !== undefined && !ROUTINE_WARNABLES.includes(kind.warnable);
}

/**
 * The lines to quote from `tail` (oldest first): the last LAST_LINES, and before them the latest
 * MAX_NOTABLE_LINES notable lines (each text once), with `... N lines left out` where lines were.
 */
export function selectExplainingLines(tail: readonly string[]): string[] {
  const lines = tail.slice(-TAIL_LINES).filter((line) => !isVerboseLine(line));
  const lastFrom = Math.max(0, lines.length - LAST_LINES);
  const kept = new Set<number>();
  const texts = new Set<string>(lines.slice(lastFrom));
  for (let index = lastFrom - 1; index >= 0 && kept.size < MAX_NOTABLE_LINES; index -= 1) {
    const line = lines[index] ?? "";
    if (texts.has(line) || !isNotableLine(line)) continue;
    texts.add(line);
    kept.add(index);
  }
  const selected: string[] = [];
  let skipped = 0;
  lines.forEach((line, index) => {
    if (index < lastFrom && !kept.has(index)) {
      skipped += 1;
      return;
    }
    if (skipped > 0) selected.push(`... ${skipped} ${skipped === 1 ? "line" : "lines"} left out`);
    skipped = 0;
    selected.push(line);
  });
  return selected;
}

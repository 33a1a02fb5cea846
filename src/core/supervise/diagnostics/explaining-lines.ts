// tailscaled's lines the diagnostics block quotes: those that explain a failure (its state changes,
// errors, health warnings, a crash and the first lines of its trace), however long ago they came,
// and its very last lines. The log ring holds all of them while the supervisor runs (`logs`).
import { isVerboseLine } from "../tailscaled/log-relay.ts";
import { classifyTailscaledLine } from "../tailscaled/line-kinds.ts";
import { ROUTINE_WARNABLES } from "../state/health-warnings.ts";

/** Notable lines remembered (the latest; each text once) ... */
export const MAX_NOTABLE_LINES = 8;
/** ... and the last lines quoted (verbose ones aside). */
export const LAST_LINES = 8;
/** Lines of a crash's trace kept as notable after its first line. */
export const CRASH_HEAD_LINES = 4;

// A start-up error tailscaled exits on, a control error, a login URL; a crash's first line.
const NOTABLE_STARTS = ["Received error: ", "getLocalBackend error: ", "LocalBackend.Start: ", "AuthURL is "];
export const CRASH_LINE = /^(?:panic: |fatal error: |SIG[A-Z]+: )/;
// Only these can be a state change, a real warning or a health error (line-kinds.ts).
const CLASSIFIED_STARTS = ["Switching ipn state ", "health(warnable=", "wgengine: Reconfig: router config failed"];

/** What a line says about a failure: more than routine chatter. Every line comes here: fixed starts first. */
export function isNotableLine(line: string): boolean {
  if (NOTABLE_STARTS.some((start) => line.startsWith(start)) || CRASH_LINE.test(line)) return true;
  if (!CLASSIFIED_STARTS.some((start) => line.startsWith(start))) return false;
  const kind = classifyTailscaledLine(line);
  if (kind.kind === "state" || kind.kind === "warning") return true;
  return kind.kind === "health" && kind.message !== undefined && !ROUTINE_WARNABLES.includes(kind.warnable);
}

/** Keeps `line` among the notable ones: the latest MAX_NOTABLE_LINES, an older copy of the same text dropped. */
export function rememberNotable(notable: string[], line: string): void {
  const known = notable.indexOf(line);
  if (known >= 0) notable.splice(known, 1);
  notable.push(line);
  if (notable.length > MAX_NOTABLE_LINES) notable.splice(0, notable.length - MAX_NOTABLE_LINES);
}

/** tailscaled's last lines (verbose ones aside). */
export function selectLastLines(tail: readonly string[]): string[] {
  const last: string[] = [];
  for (let index = tail.length - 1; index >= 0 && last.length < LAST_LINES; index -= 1) {
    const line = tail[index] ?? "";
    if (!isVerboseLine(line)) last.unshift(line);
  }
  return last;
}

/** The notable lines not among the last ones (quoted above them). */
export function selectNotableBefore(notable: readonly string[], last: readonly string[]): string[] {
  return notable.filter((line) => !last.includes(line));
}

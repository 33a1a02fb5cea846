// A recorded tailscaled log (test/fixtures/tailscale/logs) replayed by the fake tailscaled at the
// pace it was recorded: each line at its second since the first, in order.
import { readFileSync } from "node:fs";

const LOGS = new URL("../fixtures/tailscale/logs/", import.meta.url);
const GO_TIME = /^\d{4}\/\d\d\/\d\d (\d\d):(\d\d):(\d\d)(?:\.\d+)? /;

/**
 * The lines of a recording with their times (ms after `startMs`), up to the first line matching
 * `until` (not included). Lines without a time (a JSON body) take the last line's.
 */
export function replayRecording(name: string, options: { until?: RegExp; startMs?: number } = {}): Array<{ atMs: number; text: string }> {
  const lines = readFileSync(new URL(name, LOGS), "latin1").split("\n").filter((line) => line.trim() !== "" && !line.startsWith("=== recorder"));
  const end = options.until === undefined ? -1 : lines.findIndex((line) => options.until?.test(line) === true);
  const secondsOf = (text: string): number | undefined => {
    const time = GO_TIME.exec(text);
    return time === null ? undefined : Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3]);
  };
  const first = lines.map(secondsOf).find((seconds) => seconds !== undefined) ?? 0;
  let seconds = first;
  return (end < 0 ? lines : lines.slice(0, end)).map((text, index) => {
    seconds = secondsOf(text) ?? seconds;
    return { atMs: (options.startMs ?? 20) + (seconds - first) * 1000 + index / 100, text };
  });
}

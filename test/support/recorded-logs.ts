// tailscaled's recorded logs (test/fixtures/tailscale/logs) as the relay hands them on: one line each,
// Go's timestamp stripped, empty lines dropped.
import { readdirSync, readFileSync } from "node:fs";

const LOGS = new URL("../fixtures/tailscale/logs/", import.meta.url);
const GO_TIMESTAMP = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)? /;

/** The recordings of tailscaled's own output (Headscale's log aside). */
export const RECORDED_LOG_NAMES: readonly string[] = readdirSync(LOGS).filter((name) => name.endsWith(".txt") && !name.startsWith("headscale"));

/** One recording's lines, as the relay passes them on (verbose ones included). */
export function readRecordedLog(name: string): string[] {
  return readFileSync(new URL(name, LOGS), "latin1")
    .split("\n")
    .map((line) => line.replace(GO_TIMESTAMP, ""))
    .filter((line) => line.trim() !== "");
}

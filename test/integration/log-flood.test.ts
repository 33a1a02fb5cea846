// The log relay under a flood, as it ships (issue 9 item 11): the committed bundle under the real qjs
// as PID 1, a fake tailscaled (test/support/flood/tailscaled) writing recorded lines as fast as the
// pipe takes them. Nothing is lost, the order is kept, repeats are collapsed, and memory stays flat
// through 100 MB, a line of 8 MB without a newline included. Nothing here is timed: the rate is
// measured by `npm run bench -- log-flood`. The flood itself: test/lab/flood.ts.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRedactor } from "../../src/core/log/redact.ts";
import { END_LINE, startFlood } from "../lab/flood.ts";
import { pollFor } from "../support/pid1.ts";
import { ROOT } from "../support/qjs.ts";

const LOGS = `${ROOT}test/fixtures/tailscale/logs`;
const VERBOSE = /\[v\d\] |\[v\x00JSON\]/;
// Lines the supervisor acts on; the flood leaves them out (test/support/flood/tailscaled).
const ACTED_ON = /Switching ipn state |Received error: |AuthURL is |health\(warnable=|Program starting: /;
const LONG_LINE_BYTES = 8 * 1024 * 1024;
const MAX_LINE_CHARS = 4096;

/** Recorded tailscaled lines that pass the relay unchanged (printable, nothing the redactor touches). */
function recordedLines(): string[] {
  const redactor = createRedactor();
  const lines: string[] = [];
  for (const file of readdirSync(LOGS).filter((name) => name.endsWith(".txt") && !name.startsWith("headscale")).sort()) {
    for (const raw of readFileSync(join(LOGS, file), "latin1").split("\n")) {
      const line = raw.replace(/\r$/, "").replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)? /, "");
      if (/^[\x20-\x7e]+$/.test(line) && line.trim() !== "" && line.trim() === line && !ACTED_ON.test(line) && redactor.redact(line) === line) lines.push(line);
    }
  }
  return lines;
}

/** What the flood's FLOOD_TAG=1 appends to line `index`: its number in base 26, letters only. */
function tag(index: number): string {
  let letters = "";
  let rest = index;
  do {
    letters = String.fromCharCode(97 + (rest % 26)) + letters;
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return ` seq=${letters}`;
}

function floodFile(lines: readonly string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), "flood-lines-")), "lines.txt");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

describe("the log relay under a flood (bundle under qjs, PID 1)", () => {
  it.each(["plain", "json"] as const)("%s: every line of 40,000 written as fast as the pipe takes them comes out once, in order", async (format) => {
    const source = recordedLines();
    const total = 40_000;
    const flood = await startFlood({ FLOOD_FILES: floodFile(source), FLOOD_LINES: String(total), FLOOD_TAG: "1" }, { format, keep: true });
    await flood.ended;
    expect(await flood.stop()).toBe(0);
    const expected: string[] = [];
    for (let index = 0; index < total; index += 1) {
      const line = `${source[index % source.length] ?? ""}${tag(index)}`;
      if (!VERBOSE.test(line)) expected.push(line);
    }
    // Not compared with toEqual on 30,000 strings: the first difference is what tells.
    const firstDifference = expected.findIndex((line, index) => flood.relayed[index] !== line);
    expect({ firstDifference, got: flood.relayed[firstDifference], count: flood.relayed.length }).toEqual({ firstDifference: -1, got: undefined, count: expected.length });
  }, 180_000);

  it("collapses 25,000 repeats of one line into counts of at most 100 that add up", async () => {
    const line = "magicsock: endpoints changed: 192.0.2.2:41641 (local)";
    const flood = await startFlood({ FLOOD_FILES: floodFile([line]), FLOOD_LINES: "25000" }, { format: "plain", keep: true });
    await flood.ended;
    expect(await flood.stop()).toBe(0);
    expect(flood.relayed[0]).toBe(line);
    const counts = flood.relayed.slice(1).map((message) => Number(/^previous line repeated times=(\d+)$/.exec(message)?.[1] ?? Number.NaN));
    expect(counts.every((times) => times >= 1 && times <= 100)).toBe(true);
    expect(counts.reduce((sum, times) => sum + times, 0)).toBe(24_999);
    expect(flood.relayed.length).toBeLessThan(300);
  }, 180_000);

  it("keeps its memory flat through 100 MB of tailscaled output, a line of 8 MB without a newline included", async () => {
    const source = recordedLines();
    const averageBytes = source.reduce((sum, line) => sum + line.length + 21, 0) / source.length;
    // 92 MB of lines (with their timestamps) and the 8 MB line.
    const total = Math.ceil(92_000_000 / averageBytes);
    const longAt = Math.floor(total / 2);
    const flood = await startFlood({ FLOOD_FILES: floodFile(source), FLOOD_LINES: String(total), FLOOD_LONG_BYTES: String(LONG_LINE_BYTES), FLOOD_LONG_AT: String(longAt) }, { format: "plain", keep: false });
    await flood.ended;
    expect(await flood.stop()).toBe(0);
    expect(flood.rssKb.length).toBeGreaterThan(10);
    const peak = Math.max(...flood.rssKb);
    // qjs itself holds ~4.4 MB; what a flood may add is a few chunks and lines, not megabytes.
    expect(peak - flood.rssBeforeKb(), `RSS ${flood.rssBeforeKb()} KB before the flood, ${peak} KB at most during it`).toBeLessThan(1024);
    // Less comes out: without timestamps, without the verbose lines (a quarter of the recordings).
    expect(flood.bytesOut()).toBeGreaterThan(60_000_000);
    // Every line that is not verbose came out (repeats as counts); the long one ends with the next
    // line's timestamp and text and comes in pieces of 4096 characters.
    let expected = 0;
    for (let index = 0; index < total; index += 1) if (index !== longAt && !VERBOSE.test(source[index % source.length] ?? "")) expected += 1;
    expected += Math.ceil((LONG_LINE_BYTES + 20 + (source[longAt % source.length] ?? "").length) / MAX_LINE_CHARS);
    expect(flood.relayedCount()).toBe(expected);
  }, 600_000);

  it("quiet by default: 40,000 lines reach the log ring on tmpfs, bounded, in order to the end; none of them the log; memory flat", async () => {
    const source = recordedLines();
    const flood = await startFlood({ FLOOD_FILES: floodFile(source), FLOOD_LINES: "40000", FLOOD_TAG: "1", TS_TAILSCALED_LOG: "important" }, { format: "plain", keep: true });
    const ringDir = `/proc/${flood.qjsPid}/root/run/tailscale-supervisor`;
    const ringText = (): string => ["log-ring.1.txt", "log-ring.txt"].map((name) => {
      try {
        return readFileSync(join(ringDir, name), "latin1");
      } catch {
        return "";
      }
    }).join("");
    // The end line is written within the ring's batch delay.
    await pollFor(() => (ringText().includes(`INFO tailscaled: ${END_LINE}`) ? true : undefined), 120_000, () => "the end line never reached the ring");
    const peak = Math.max(...flood.rssKb);
    for (const name of ["log-ring.1.txt", "log-ring.txt"]) expect(readFileSync(join(ringDir, name)).length).toBeLessThan(128 * 1024 + 16 * 1024 + 8192);
    const ring = ringText().split("\n").filter((row) => row.includes(" INFO tailscaled: ") && row.includes(" seq="));
    // The newest lines, contiguous up to the last one.
    const tags = ring.map((row) => / seq=([a-z]+)$/.exec(row)?.[1] ?? "");
    let last = 39_999;
    while (VERBOSE.test(source[last % source.length] ?? "")) last -= 1;
    expect(tags.at(-1)).toBe(tag(last).slice(" seq=".length));
    expect(await flood.stop()).toBe(0);
    expect(flood.relayed).toEqual([]);
    expect(peak - flood.rssBeforeKb(), `RSS ${flood.rssBeforeKb()} KB before the flood, ${peak} KB at most during it`).toBeLessThan(1024);
  }, 180_000);
});

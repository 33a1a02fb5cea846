// `npm run bench -- log-flood`: the log relay under a flood (issue 9 item 11). tailscaled bursts at
// start and on network changes, and a router's CPU is several times slower than this machine's; the
// relay must keep up (a Go program whose log pipe is full stalls) without eating the CPU.
// The bundle runs under qjs as PID 1 (test/lab/flood.ts) with a fake tailscaled that writes LINES
// lines taken in turn from the recordings in test/fixtures/tailscale/logs (one write(2) each, as Go's
// log package does), at RATE lines/s and at full speed (as fast as the supervisor takes them):
//   lines/s   LINES / (the end line's arrival − the flood's start)
//   CPU       qjs's run time over that window (/proc/PID/schedstat), in % of one core
//   RSS       VmRSS of qjs before the flood and its maximum during it (sampled every 0.1 s), KB
//   relayed   tailscaled lines logged + repeats counted (the same for both bundles: nothing lost)
// Beside it the bundle of BASELINE_REF (default 957decb, main before the relay was reworked), run the
// same way, interleaved (ABBA). Medians of RUNS runs. Aim: >= 10,000 lines/s at < 50 % of a core.
//   RUNS=3 LINES=50000 RATE=10000 BASELINE_REF=957decb FORMATS="plain json" npm run bench -- log-flood   (as root; ~5 minutes)
import { execa } from "execa";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE, ROOT } from "../../support/qjs.ts";
import { startFlood } from "../flood.ts";
import { describeRun, progress, requireRoot, wholeNumber } from "./settings.ts";
import { median } from "./stats.ts";

const LOGS = join(ROOT, "test/fixtures/tailscale/logs");

/** One flood's figures. */
interface FloodFigures {
  readonly linesPerS: number;
  readonly cpuPercent: number;
  readonly rssBeforeKb: number;
  readonly rssMaxKb: number;
  readonly relayed: number;
}

async function floodOnce(bundle: string, format: "plain" | "json", rate: number, lines: number, files: string): Promise<FloodFigures> {
  const flood = await startFlood({ FLOOD_FILES: files, FLOOD_LINES: String(lines), FLOOD_RATE: String(rate) }, { format, keep: false, bundle });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("the flood did not end within 600 s")), 600_000)));
  try {
    const { elapsedMs, cpuNs } = await Promise.race([flood.ended, timeout]);
    return {
      linesPerS: lines / (elapsedMs / 1000),
      cpuPercent: (cpuNs / 1e6 / elapsedMs) * 100,
      rssBeforeKb: flood.rssBeforeKb(),
      rssMaxKb: Math.max(flood.rssBeforeKb(), ...flood.rssKb),
      relayed: flood.relayedCount(),
    };
  } finally {
    clearTimeout(timer);
    await flood.stop();
  }
}

async function main(): Promise<void> {
  requireRoot();
  const runs = wholeNumber("RUNS", 3, (value) => value >= 1);
  const lines = wholeNumber("LINES", 50_000, (value) => value >= 1);
  const rate = wholeNumber("RATE", 10_000, (value) => value >= 1);
  const baselineRef = process.env["BASELINE_REF"] || "957decb";
  const formats = (process.env["FORMATS"] || "plain json").split(/\s+/).filter(Boolean);
  for (const format of formats) if (format !== "plain" && format !== "json") throw new Error(`FORMATS=${formats.join(" ")}: plain and/or json`);
  const dir = mkdtempSync(join(tmpdir(), "ts-bench-flood-"));
  try {
    const baseline = join(dir, "baseline.mjs");
    const shown = await execa("git", ["-C", ROOT, "show", `${baselineRef}:bundle/supervisor.mjs`], { encoding: "buffer", reject: false, stripFinalNewline: false });
    if (shown.exitCode !== 0) throw new Error(`BASELINE_REF=${baselineRef}: no bundle/supervisor.mjs at that commit (${String(shown.stderr)})`);
    writeFileSync(baseline, shown.stdout);
    const files = readdirSync(LOGS).filter((name) => name.endsWith(".txt") && !name.startsWith("headscale-")).sort().map((name) => join(LOGS, name));
    const bundles = { baseline, current: BUNDLE } as const;
    const results = new Map<string, FloodFigures[]>();
    for (let run = 1; run <= runs; run += 1) {
      for (const format of formats as Array<"plain" | "json">) {
        for (const offered of [rate, 0]) {
          for (const which of run % 2 === 1 ? (["baseline", "current"] as const) : (["current", "baseline"] as const)) {
            const key = `${format} ${offered} ${which}`;
            results.set(key, [...(results.get(key) ?? []), await floodOnce(bundles[which], format, offered, lines, files.join(":"))]);
          }
        }
      }
      progress(`log-flood: run ${run} of ${runs} done`);
    }
    const table = ["| format | offered | bundle | lines/s | CPU % of a core | RSS KB (before) | RSS KB (max) | relayed |", "|---|---|---|---|---|---|---|---|"];
    const mid = (figures: readonly FloodFigures[], pick: (figure: FloodFigures) => number) => median(figures.map(pick));
    for (const format of formats) {
      for (const offered of [rate, 0]) {
        for (const which of ["baseline", "current"] as const) {
          const figures = results.get(`${format} ${offered} ${which}`) ?? [];
          const relayed = [...new Set(figures.map((figure) => figure.relayed))].join(", ");
          table.push(`| ${format} | ${offered === 0 ? "full speed" : `${offered}/s`} | ${which} | ${mid(figures, (f) => f.linesPerS).toFixed(0)} | ${mid(figures, (f) => f.cpuPercent).toFixed(1)} | ${mid(figures, (f) => f.rssBeforeKb).toFixed(0)} | ${mid(figures, (f) => f.rssMaxKb).toFixed(0)} | ${relayed} |`);
        }
        const ratio = (pick: (figure: FloodFigures) => number) => (mid(results.get(`${format} ${offered} current`) ?? [], pick) / mid(results.get(`${format} ${offered} baseline`) ?? [], pick)).toFixed(2);
        table.push(`| ${format} | ${offered === 0 ? "full speed" : `${offered}/s`} | current / baseline | ×${ratio((f) => f.linesPerS)} | ×${ratio((f) => f.cpuPercent)} | | | |`);
      }
    }
    const header = `npm run bench -- log-flood: RUNS=${runs} LINES=${lines} RATE=${rate}; baseline: the bundle of ${baselineRef} (${shown.stdout.length} B); lines from ${files.length} recordings; ${describeRun()}`;
    process.stdout.write(`${header}\n\n${table.join("\n")}\n\nAim: >= 10,000 lines/s at < 50 % of a core, plain and JSON; the same lines relayed by both.\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main().catch((error: unknown) => {
  progress(`npm run bench -- log-flood: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});

// The entrypoint benchmark's table: per figure, each subject's median and range, its ratio to the
// bare baseline, and the aims with their paired differences (one pair per round).
import type { SubjectId } from "./entrypoint-images.ts";
import type { RunFigures } from "./entrypoint-run.ts";
import { median, pairedDiff } from "./stats.ts";

/** A subject's runs (warm-up excluded) and its image size. */
export interface SubjectResults {
  readonly id: SubjectId;
  readonly label: string;
  readonly runs: RunFigures[];
  readonly extractedBytes: number;
}

type Figure = { key: keyof RunFigures; title: string; unit: "s" | "ms" | "MiB" | "cpu" };

const FIGURES: readonly Figure[] = [
  { key: "firstLoginS", title: "container start → Running, first login", unit: "s" },
  { key: "restartS", title: "container start → Running, restart with state", unit: "s" },
  { key: "restartFirstLineS", title: "of which: container start → its first output line", unit: "s" },
  { key: "restartDaemonS", title: "of which: container start → tailscaled's first output line", unit: "s" },
  { key: "restartNetmapS", title: "of which: container start → tailscaled has its netmap (state Starting)", unit: "s" },
  { key: "approvalToPacketS", title: "route approval → first packet (client → LAN host)", unit: "s" },
  { key: "pid1RssBytes", title: "PID-1 RSS (Running, after the quiet minute)", unit: "MiB" },
  { key: "allRssBytes", title: "RSS of all container processes", unit: "MiB" },
  { key: "quietCpuS", title: "CPU over a quiet minute (all container processes)", unit: "cpu" },
  { key: "sigtermToGoneS", title: "SIGTERM → container gone", unit: "s" },
];

function format(value: number, unit: Figure["unit"]): string {
  if (unit === "s") return `${value.toFixed(3)} s`;
  if (unit === "ms") return `${(value * 1000).toFixed(0)} ms`;
  if (unit === "MiB") return `${(value / 1048576).toFixed(2)} MiB`;
  return `${(value * 1000).toFixed(0)} ms`;
}

function cell(values: readonly number[], unit: Figure["unit"], baseline?: number): string {
  const m = median(values);
  const range = `${format(Math.min(...values), unit)}–${format(Math.max(...values), unit)}`;
  const ratio = baseline === undefined ? "" : baseline === 0 ? " ×–" : ` ×${(m / baseline).toFixed(2)}`;
  return `${format(m, unit)}${ratio} (${range})`;
}

/** The markdown table, then the aims. */
export function renderTable(subjects: readonly SubjectResults[]): string {
  const byId = (id: SubjectId) => subjects.find((subject) => subject.id === id);
  const bare = byId("bare");
  const header = `| figure | ${subjects.map((subject) => subject.label).join(" | ")} |`;
  const lines = [header, `|---|${subjects.map(() => "---").join("|")}|`];
  for (const figure of FIGURES) {
    const baseline = bare === undefined ? undefined : median(bare.runs.map((run) => run[figure.key]));
    lines.push(`| ${figure.title} | ${subjects.map((subject) => cell(subject.runs.map((run) => run[figure.key]), figure.unit, subject.id === "bare" ? undefined : baseline)).join(" | ")} |`);
  }
  lines.push(`| image size (extracted files) | ${subjects.map((subject) => `${(subject.extractedBytes / 1e6).toFixed(2)} MB${bare !== undefined && subject.id !== "bare" ? ` ×${(subject.extractedBytes / bare.extractedBytes).toFixed(2)}` : ""}`).join(" | ")} |`);
  const image = byId("image");
  const containerboot = byId("containerboot");
  if (image === undefined || bare === undefined || containerboot === undefined) return lines.join("\n");
  const get = (subject: SubjectResults, key: keyof RunFigures) => subject.runs.map((run) => run[key]);
  const ms = (seconds: number) => `${seconds >= 0 ? "+" : ""}${(seconds * 1000).toFixed(0)} ms`;
  const restart = median(get(image, "restartS")) - median(get(bare, "restartS"));
  const login = median(get(image, "firstLoginS")) - median(get(containerboot, "firstLoginS"));
  const rss = median(get(image, "pid1RssBytes"));
  const verdict = (met: boolean) => (met ? "met" : "**missed**");
  lines.push(
    "",
    "| aim | measured (difference of medians; median of paired differences) | |",
    "|---|---|---|",
    `| restart within 50 ms of the bare baseline | ${ms(restart)}; paired ${ms(pairedDiff(get(image, "restartS"), get(bare, "restartS")))} | ${verdict(restart <= 0.05)} |`,
    `| first login within 50 ms of containerboot | ${ms(login)}; paired ${ms(pairedDiff(get(image, "firstLoginS"), get(containerboot, "firstLoginS")))} | ${verdict(login <= 0.05)} |`,
    `| PID-1 RSS at most 4 MiB | ${format(rss, "MiB")} | ${verdict(rss <= 4 * 1048576)} |`,
  );
  return lines.join("\n");
}

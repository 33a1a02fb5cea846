// The throughput benchmark's tables: per test the received rate (ratios to the limit) and the CPU
// the container used per GB moved (ratios to the bare baseline), each the median of the rounds with
// its range; then what tiny costs against standard, and each subject's share of the limit.
import { compareColumns, renderFigureTable, type Column, type Row } from "../figure-table.ts";
import { median } from "../stats.ts";
import type { IperfTest } from "./iperf.ts";
import { OMIT_S } from "./iperf.ts";
import type { SubjectRun } from "./throughput-run.ts";

const mbits = (value: number): string => `${(value / 1e6).toFixed(0)} Mbit/s`;
const cpuPerGb = (value: number): string => `${value.toFixed(2)} s/GB`;

/**
 * CPU seconds per GB: the container's CPU over the whole iperf3 run (its omitted first second
 * included) over the bytes that rate moves in that time.
 */
export function cpuSecondsPerGb(run: SubjectRun, test: IperfTest, seconds: number): number | undefined {
  const figures = run.tests[test.id];
  if (figures?.cpuS === undefined || figures.bitsPerSecond <= 0) return undefined;
  return figures.cpuS / ((figures.bitsPerSecond * (seconds + OMIT_S)) / 8 / 1e9);
}

/** A subject's column from its rounds' runs. */
export function toColumn(id: string, label: string, runs: readonly SubjectRun[], tests: readonly IperfTest[], seconds: number): Column {
  const values: Record<string, Array<number | undefined>> = {};
  for (const test of tests) {
    values[`${test.id}:rate`] = runs.map((run) => run.tests[test.id]?.bitsPerSecond);
    values[`${test.id}:cpu`] = runs.map((run) => cpuSecondsPerGb(run, test, seconds));
    values[`${test.id}:lost`] = runs.map((run) => run.tests[test.id]?.lostPercent);
  }
  values["rss-running"] = runs.map((run) => run.rssRunningBytes);
  values["rss-peak"] = runs.map((run) => run.rssPeakBytes);
  return { id, label, values };
}

const percent = (value: number): string => `${value.toFixed(1)} %`;

/** The rows of received rates (UDP: at the offered rate), and UDP's losses. */
export function rateRows(tests: readonly IperfTest[], udpMbit: number): Row[] {
  return [
    ...tests.map((test) => ({ key: `${test.id}:rate`, title: `${test.title}${test.protocol === "udp" ? ` (${udpMbit} Mbit/s offered)` : ""}, received`, format: mbits })),
    ...tests.filter((test) => test.protocol === "udp").map((test) => ({ key: `${test.id}:lost`, title: `${test.title}, datagrams lost`, format: percent })),
  ];
}

/** The rows of CPU per GB. */
export function cpuRows(tests: readonly IperfTest[]): Row[] {
  return tests.map((test) => ({ key: `${test.id}:cpu`, title: `${test.title}, container CPU per GB`, format: cpuPerGb }));
}

/** The whole output of the throughput benchmark. */
export function renderThroughput(columns: readonly Column[], tests: readonly IperfTest[], udpMbit: number): string {
  const withCpu = columns.filter((column) => column.id !== "limit");
  const parts = [
    "Received rate (iperf3's receiver), median of the rounds (range), ×ratio to the limit:",
    "",
    renderFigureTable(columns, rateRows(tests, udpMbit), "limit"),
    "",
    "CPU the container used per GB moved (its cgroup: tailscaled, the entrypoint, kernel work on their behalf), ×ratio to the bare baseline:",
    "",
    renderFigureTable(withCpu, cpuRows(tests), "bare"),
  ];
  const standard = columns.find((column) => column.id === "standard");
  const tiny = columns.find((column) => column.id === "tiny");
  if (standard !== undefined && tiny !== undefined) {
    parts.push("", "tiny against standard (the same code but for tiny's build flags and UPX):", "");
    for (const row of [...rateRows(tests, udpMbit), ...cpuRows(tests)]) parts.push(`- ${compareColumns(tiny, standard, row)}`);
  }
  const limit = columns.find((column) => column.id === "limit");
  if (limit !== undefined) {
    parts.push("", "Share of the limit (median rate / the limit's median rate):", "");
    for (const column of columns.filter((candidate) => candidate.id !== "limit")) {
      const shares = tests.map((test) => {
        const key = `${test.id}:rate`;
        const own = median((column.values[key] ?? []).filter((value): value is number => value !== undefined));
        const top = median((limit.values[key] ?? []).filter((value): value is number => value !== undefined));
        return `${test.id} ${Number.isFinite(own / top) ? `${((own / top) * 100).toFixed(0)} %` : "–"}`;
      });
      parts.push(`- ${column.label}: ${shares.join(", ")}`);
    }
  }
  return parts.join("\n");
}

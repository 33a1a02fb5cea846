// The outage benchmark's table (outage-to-running.ts): seconds from Headscale's return per case and
// marker, each entrypoint beside the bare baseline, and this image against both others.
import { compareColumns, renderFigureTable, seconds, type Column, type Row } from "../figure-table.ts";
import type { OutageCase, OutageFigures } from "./outage-run.ts";

const CASES = [
  { key: "firstLogin", title: "first login" },
  { key: "restart", title: "restart, logged in" },
] as const;

const MARKERS: ReadonlyArray<{ key: keyof OutageCase; title: string }> = [
  { key: "loginOkS", title: "server back → logged in (`login-state): ok`)" },
  { key: "runningS", title: "server back → Running" },
  { key: "runningAfterLoginS", title: "logged in → Running" },
  { key: "reachableAgainS", title: "server back → the supervisor's `control server reachable again`" },
];

const ROWS: Row[] = CASES.flatMap((which) => MARKERS.map((marker) => ({ key: `${which.key}.${marker.key}`, title: `${which.title}: ${marker.title}`, format: seconds })));

/** The table, then this image against the baseline and containerboot, for the Running rows. */
export function renderTable(subjects: ReadonlyArray<{ id: string; label: string; runs: readonly OutageFigures[] }>): string {
  const columns: Column[] = subjects.map((subject) => ({
    id: subject.id,
    label: subject.label,
    values: Object.fromEntries(CASES.flatMap((which) => MARKERS.map((marker) => [`${which.key}.${marker.key}`, subject.runs.map((run) => run[which.key][marker.key])]))),
  }));
  const image = columns.find((column) => column.id === "image");
  const others = columns.filter((column) => column.id !== "image");
  const compared = ROWS.filter((row) => row.key.endsWith(".runningS") || row.key.endsWith(".runningAfterLoginS"));
  const lines = image === undefined ? [] : others.flatMap((other) => compared.map((row) => `- ${compareColumns(image, other, row)}`));
  // No ratios: times from the server's return can be about zero, or below it by a probe's few ms.
  return `${renderFigureTable(columns, ROWS)}\n\n${lines.join("\n")}\n\nAim: the supervisor adds nothing measurable (Running is tailscaled's own line, passed on).`;
}

// What every benchmark reads and prints around its figures: its settings (environment variables
// with defaults) and one line saying what was measured, where, when and under what load.
import { execaSync } from "execa";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { BUNDLE, ROOT } from "../../support/qjs.ts";

/** A whole-number setting from the environment (unset or empty: `fallback`); a clear error otherwise. */
export function wholeNumber(name: string, fallback: number, check: (value: number) => boolean): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || !check(value)) throw new Error(`${name}=${raw}: give a whole number (default ${fallback})`);
  return value;
}

/** Progress goes to stderr; the figures alone to stdout. */
export const progress = (line: string): void => void process.stderr.write(`${line}\n`);

/** Stops with a clear message unless run as root (namespaces, podman, /proc of other processes). */
export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error("run it as root (network namespaces, podman)");
}

/** "2026-11-26T02:02Z, 2 cores x64, kernel 6.18.44, load 1.20 0.90 0.80, commit abc1234, bundle 148395 B sha256 0123456789ab" */
export function describeRun(): string {
  const commit = execaSync("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"], { reject: false }).stdout.trim() || "unknown";
  const changed = execaSync("git", ["-C", ROOT, "diff", "--quiet", "HEAD", "--", "bundle/supervisor.mjs"], { reject: false }).exitCode === 0 ? "" : " (differs from HEAD)";
  const bundle = readFileSync(BUNDLE);
  const sha = createHash("sha256").update(bundle).digest("hex").slice(0, 12);
  const load = loadavg().map((value) => value.toFixed(2)).join(" ");
  return `${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores ${process.arch}, kernel ${release()}, load ${load}, commit ${commit}, bundle ${bundle.length} B sha256 ${sha}${changed}`;
}

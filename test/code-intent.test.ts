// Code that says what it does: comments that a reader of this repository can follow, one rule in one
// place, probes that only look, reporting that only reports. A scan of src/ and its modules.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/qjs.ts";

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listSources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

const SOURCES = listSources(join(ROOT, "src")).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, "utf8") }));
const commentsOf = (text: string): string[] => [...text.matchAll(/\/\/.*$|\/\*[\s\S]*?\*\//gm)].map((match) => match[0]);

describe("code that says what it does", () => {
  it("no comment points at a file outside the repository or at an issue number", () => {
    // A public link (https://github.com/.../issues/N) is fine: anyone can follow it.
    const outside = /\.\.\/shared\/|\/work\/|\bissues?\s+#?\d|\(#\d+\)/i;
    const found = SOURCES.flatMap(({ path, text }) => commentsOf(text).filter((comment) => outside.test(comment)).map((comment) => `${path}: ${comment.trim()}`));
    expect(found).toEqual([]);
  });

  it("the rule from a child's exit status to an exit code is written once (process/exit-status.ts)", () => {
    const rule = /kind === "exited" \?|kind === "killed"|128 \+ /;
    const found = SOURCES.filter(({ path, text }) => rule.test(text.replace(/\/\/.*$/gm, "")) && !["src/core/process/exit-status.ts", "src/core/outcome.ts"].includes(path)).map(({ path }) => path);
    expect(found).toEqual([]);
  });

  it("probe modules only look: the fixes (sysctl writes, mknod, mkdir) live in fix modules", async () => {
    const probes = SOURCES.filter(({ path }) => /\/preflight\/probe-[\w-]+\.ts$/.test(path));
    expect(probes.length).toBeGreaterThan(5);
    for (const { path } of probes) {
      const module = (await import(join(ROOT, path))) as Record<string, unknown>;
      const fixes = Object.keys(module).filter((name) => /^(write|create|install|link|apply)[A-Z]/.test(name));
      expect([path, fixes]).toEqual([path, []]);
    }
  });

  it("reporting a state runs nothing: RUNNING_SCRIPT is run by the supervisor", () => {
    const reportState = SOURCES.find(({ path }) => path === "src/core/supervise/state/report-state.ts")?.text ?? "";
    expect(reportState).not.toMatch(/from "\.\/hooks\.ts"/);
    expect(SOURCES.find(({ path }) => path === "src/core/supervise/supervisor.ts")?.text).toMatch(/createRunningScript/);
  });
});

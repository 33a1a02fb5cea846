// The core must run on any JS runtime: no Node, no QuickJS modules, no runtime globals. Checked two ways:
// the core compiles with no ambient types at all, and a scan finds no runtime-specific names.
import { execa } from "execa";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/qjs.ts";

const FORBIDDEN: ReadonlyArray<[string, RegExp]> = [
  ["Node module", /from\s+["']node:|require\(/],
  ["QuickJS module", /from\s+["'](os|std)["']/],
  ["process global", /(?<![.\w])process\./],
  ["Buffer", /(?<![.\w])Buffer\b/],
  ["console", /(?<![.\w])console\./],
  ["timer global", /(?<![.\w])(setTimeout|setInterval|setImmediate|queueMicrotask)\((?!\s*\w+\s*:)/],
  ["QuickJS global", /(?<![.\w])(scriptArgs|std|os)\./],
];

/** Runtime-specific names found in a source text. */
function findForbidden(source: string): string[] {
  const code = source.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
  return FORBIDDEN.filter(([, pattern]) => pattern.test(code)).map(([name]) => name);
}

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listSources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

describe("src/core is runtime-agnostic", () => {
  it("the scan catches each forbidden name (control)", () => {
    expect(findForbidden('import x from "node:fs"; process.env.X; console.log(1); setTimeout(f, 1); import * as os from "os";')).toEqual([
      "Node module",
      "QuickJS module",
      "process global",
      "console",
      "timer global",
    ]);
    expect(findForbidden("host.clock.setTimeout(f, 1); // process.env in a comment")).toEqual([]);
  });

  it("no core file uses a runtime-specific name", () => {
    const findings = listSources(`${ROOT}src/core`).flatMap((file) => findForbidden(readFileSync(file, "utf8")).map((name) => `${relative(ROOT, file)}: ${name}`));
    expect(findings).toEqual([]);
  });

  it("the core compiles with no ambient types (tsconfig.core.json)", { timeout: 60_000 }, async () => {
    const result = await execa("npx", ["tsc", "-p", "tsconfig.core.json"], { cwd: ROOT, reject: false });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  });

  it("the core compile fails on a Node global (control)", { timeout: 60_000 }, async () => {
    // Not a dot-directory: tsc's include globs skip those.
    const dir = mkdtempSync(join(ROOT, "src/core/purity-control-"));
    try {
      writeFileSync(join(dir, "bad.ts"), "export const home = process.env['HOME'];\n");
      const result = await execa("npx", ["tsc", "-p", "tsconfig.core.json"], { cwd: ROOT, reject: false });
      expect(result.exitCode).not.toBe(0);
      expect(result.stdout).toContain("Cannot find name 'process'");
    } finally {
      await execa("rm", ["-rf", dir]);
    }
  });
});

describe("the whole project type-checks (strict)", () => {
  // Minutes, not seconds: the machines the test command runs on are shared (tsc took over 60 s at a load of 17 on 2 cores).
  it("tsc -p tsconfig.json", { timeout: 300_000 }, async () => {
    const result = await execa("npx", ["tsc", "-p", "tsconfig.json"], { cwd: ROOT, reject: false });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  });
});

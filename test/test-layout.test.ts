// Tests mirror sources: every module of src/core (and src/host/quickjs) with logic of its own has its
// unit test at the mirrored path, and every unit test under test/core mirrors a module; cross-module
// scenarios live in test/core/scenarios. The in-memory fakes stay apart from the lab.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/qjs.ts";

function listFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}

// A module with logic of its own exports a function (declared, or a const arrow such as a ValueParser).
const EXPORTS_FUNCTION = /^export (?:async )?function |^export const \w+(?:: [^=]+)? = (?:async )?(?:\(|\w+ =>)/m;

/**
 * Modules without a unit test at the mirrored path, each with why and what covers it. Keep it short:
 * a new module gets its unit test instead.
 */
const COVERED_ELSEWHERE: Readonly<Record<string, string>> = {
  // The port itself: types, signal numbers and the two one-line result constructors ok/fail, which
  // every fake (test/fakes) and every unit test use.
  "src/core/host.ts": "the Host port (types, SIGNAL, ok/fail)",
  // These import qjs's `os` and `std` modules, which Node cannot load: they are tested under the real
  // qjs by test/host/quickjs/quickjs-host.test.ts (host-probe.entry.ts bundles the whole host).
  "src/host/quickjs/early-signals.ts": "qjs only: quickjs-host.test.ts (a signal before its handler)",
  "src/host/quickjs/quickjs-spawn.ts": "qjs only: quickjs-host.test.ts (processes)",
};

const mirrorOf = (source: string): string => source.replace(/^src\//, "test/").replace(/\.ts$/, ".test.ts");
const sources = [...listFiles("src/core"), ...listFiles("src/host/quickjs")].filter((path) => path.endsWith(".ts") && !path.endsWith(".d.ts"));
const withLogic = sources.filter((path) => EXPORTS_FUNCTION.test(readFileSync(join(ROOT, path), "utf8")));
const tests = new Set(listFiles("test").filter((path) => path.endsWith(".test.ts")));

describe("tests mirror sources", () => {
  it("finds the modules with logic (the check looks at something)", () => {
    expect(withLogic.length).toBeGreaterThan(80);
    expect(withLogic).toContain("src/core/preflight/apply-fixes.ts");
    expect(withLogic).toContain("src/core/config/secrets/auth-key.ts");
    expect(withLogic).not.toContain("src/core/supervise/loop/events.ts");
  });

  it("every module that exports a function has its unit test at the mirrored path, or is listed with what covers it", () => {
    const missing = withLogic.filter((path) => !tests.has(mirrorOf(path)) && COVERED_ELSEWHERE[path] === undefined);
    expect(missing).toEqual([]);
  });

  it("the list of exceptions holds no module that has its test, or that is gone", () => {
    const stale = Object.keys(COVERED_ELSEWHERE).filter((path) => tests.has(mirrorOf(path)) || !sources.includes(path));
    expect(stale).toEqual([]);
  });

  it("every unit test under test/core and test/host mirrors a module; scenarios (several modules at once) are in test/core/scenarios", () => {
    const orphans = [...tests].filter((path) => /^test\/(core|host)\//.test(path) && !path.startsWith("test/core/scenarios/")).filter((path) => !sources.includes(path.replace(/^test\//, "src/").replace(/\.test\.ts$/, ".ts")));
    expect(orphans).toEqual([]);
  });
});

describe("fakes apart from the lab", () => {
  const importsOf = (path: string): string[] => [...readFileSync(join(ROOT, path), "utf8").matchAll(/^import [^;]*? from "([^"]+)";/gm)].map((match) => join(path, "..", match[1] ?? ""));
  const fakes = listFiles("test/fakes");
  const lab = listFiles("test/lab").filter((path) => /\.(ts|mjs)$/.test(path));

  it("test/fakes holds in-memory fakes only: they import the core and each other, nothing that runs anything", () => {
    expect(fakes.length).toBeGreaterThan(4);
    const outside = fakes.flatMap((path) => importsOf(path).filter((target) => !target.startsWith("src/core/") && !target.startsWith("test/fakes/")).map((target) => `${path} imports ${target}`));
    expect(outside).toEqual([]);
  });

  it("the lab does not use the fakes, and no unit test or fake uses the lab", () => {
    expect(lab.length).toBeGreaterThan(10);
    const labUsesFakes = lab.flatMap((path) => importsOf(path).filter((target) => target.startsWith("test/fakes/")).map((target) => `${path} imports ${target}`));
    const unitUsesLab = [...tests, ...fakes].filter((path) => path.startsWith("test/core/") || path.startsWith("test/fakes/")).flatMap((path) => importsOf(path).filter((target) => target.startsWith("test/lab/")).map((target) => `${path} imports ${target}`));
    expect([...labUsesFakes, ...unitUsesLab]).toEqual([]);
  });
});

// The committed bundle is what ships: rebuilt from src/ it must be identical, and within budget.
import { execa } from "execa";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLE, ROOT } from "../support/qjs.ts";

// 150 KB until issues 16-18 (issue 17: logs, health's checks, doctor's live section, +21 KB; issue 16:
// the LAN's rules; issue 18: the feature set, redaction where lines enter); qjs parses the bundle in
// ~20 ms of CPU either way (a `health` run: 19.4 ms at 140 KB, 20.2 ms at 160 KB, x86).
const BUNDLE_BUDGET_BYTES = 192 * 1024;

describe("bundle/supervisor.mjs", () => {
  it("is byte-for-byte what bundle/build.mjs makes from the sources (run `npm run build`)", async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), "bundle-")), "supervisor.mjs");
    await execa("node", [`${ROOT}bundle/build.mjs`, "--outfile", outfile]);
    expect(readFileSync(outfile).equals(readFileSync(BUNDLE))).toBe(true);
  });

  it(`is at most ${BUNDLE_BUDGET_BYTES} bytes`, () => {
    expect(statSync(BUNDLE).size).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
  });

  it("imports nothing but qjs's os and std", () => {
    const imports = [...readFileSync(BUNDLE, "utf8").matchAll(/\bimport\s*(?:\*\s*as\s*\w+|\{[^}]*\}|\w+)\s*from\s*"([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(imports)).toEqual(new Set(["os", "std"]));
  });

  it("is plain ASCII", () => {
    expect(readFileSync(BUNDLE, "utf8")).toMatch(/^[\x09\x0a\x0d\x20-\x7e]*$/);
  });
});

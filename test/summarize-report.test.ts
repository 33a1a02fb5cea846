// The closing line of the test command, from vitest's JSON report: a failed test counts once however
// deeply its describe blocks nest, and a file that failed without running a test counts as one.
import { execa } from "execa";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SCRIPT = join(import.meta.dirname, "setup/summarize-report.mjs");

async function summarize(report: unknown) {
  const path = join(mkdtempSync(join(tmpdir(), "summary-")), "report.json");
  writeFileSync(path, JSON.stringify(report));
  const { stdout, exitCode } = await execa("node", [SCRIPT, path], { reject: false });
  return { line: stdout.trim(), exitCode };
}

const passing = { status: "passed", assertionResults: [{ status: "passed" }, { status: "passed" }] };

describe("summarize-report", () => {
  it("counts a failed test in nested describe blocks once", async () => {
    const failing = { status: "failed", assertionResults: [{ status: "passed" }, { status: "failed" }] };
    // vitest counts the file and both describe blocks around the failed test as failed suites.
    const report = { numPassedTests: 3, numFailedTests: 1, numFailedTestSuites: 3, testResults: [passing, failing] };
    expect(await summarize(report)).toEqual({ line: "3 passed, 1 failed", exitCode: 1 });
  });

  it("counts a file that failed to load as one failure", async () => {
    const broken = { status: "failed", message: "SyntaxError", assertionResults: [] };
    const report = { numPassedTests: 2, numFailedTests: 0, numFailedTestSuites: 1, testResults: [passing, broken] };
    expect(await summarize(report)).toEqual({ line: "2 passed, 1 failed", exitCode: 1 });
  });

  it("passes only when something passed and nothing failed or was skipped", async () => {
    expect(await summarize({ numPassedTests: 2, numFailedTests: 0, testResults: [passing] })).toEqual({ line: "2 passed, 0 failed", exitCode: 0 });
    expect(await summarize({ numPassedTests: 2, numFailedTests: 0, numPendingTests: 1, testResults: [passing] })).toEqual({ line: "2 passed, 0 failed, 1 skipped", exitCode: 1 });
    expect((await summarize({ numPassedTests: 0, numFailedTests: 0, testResults: [] })).exitCode).toBe(1);
  });

  it("reports a missing report as a failure", async () => {
    const { stdout, exitCode } = await execa("node", [SCRIPT, "/nonexistent/report.json"], { reject: false });
    expect({ line: stdout.trim(), exitCode }).toEqual({ line: "0 passed, 1 failed", exitCode: 1 });
  });
});

// Prints the closing line "N passed, N failed" from vitest's JSON report; exits 1 if it is missing.
import { readFileSync } from "node:fs";

const path = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(path, "utf8"));
} catch (error) {
  console.log("0 passed, 1 failed");
  console.error(`no test report at ${path}: ${error.message}`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A test file that failed without a failed test (it did not load, or a hook failed) counts as one
// failure too. (numFailedTestSuites counts describe blocks as well, so it cannot be used here.)
const failed = (report.numFailedTests ?? 0) + countFilesFailedWithoutTests(report);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || skipped > 0 || passed === 0 ? 1 : 0);

function countFilesFailedWithoutTests(json) {
  return (json.testResults ?? []).filter((file) => file.status === "failed" && !(file.assertionResults ?? []).some((test) => test.status === "failed")).length;
}

// Prints the mutation score of a Stryker JSON report (mutation-testing-report-schema) and lists the
// surviving mutants, one line each: file:line:column mutator "replacement".
// Usage: node test/mutation/summarize.mjs reports/mutation/mutation.json [--survivors FILE]
import { readFileSync, writeFileSync } from "node:fs";

const [reportPath, flag, survivorsPath] = process.argv.slice(2);
const report = JSON.parse(readFileSync(reportPath, "utf8"));
const counts = {};
const survivors = [];
for (const [file, result] of Object.entries(report.files)) {
  for (const mutant of result.mutants) {
    counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
    if (mutant.status === "Survived" || mutant.status === "NoCoverage") {
      const { line, column } = mutant.location.start;
      survivors.push(`${mutant.status === "NoCoverage" ? "no coverage" : "survived"} ${file}:${line}:${column} ${mutant.mutatorName} ${JSON.stringify(mutant.replacement ?? "")}`);
    }
  }
}
const count = (status) => counts[status] ?? 0;
const detected = count("Killed") + count("Timeout");
const valid = detected + count("Survived") + count("NoCoverage");
const covered = detected + count("Survived");
const percent = (part, whole) => (whole === 0 ? "n/a" : `${((100 * part) / whole).toFixed(2)} %`);
console.log(`mutation score: ${percent(detected, valid)} (${detected} of ${valid} mutants detected); of covered code: ${percent(detected, covered)}`);
console.log(Object.entries(counts).sort().map(([status, n]) => `${status} ${n}`).join(", "));
if (flag === "--survivors" && survivorsPath !== undefined) {
  writeFileSync(survivorsPath, `${survivors.sort().join("\n")}\n`);
  console.log(`${survivors.length} surviving or uncovered mutants listed in ${survivorsPath}`);
}

// What differs inside a mutation run (test/mutation/run.sh sets MUTATION_RUN=1): each mutant reruns
// the tests that cover it, so property tests try fewer cases, and the parts that run the committed
// bundle under qjs are left out (a mutant of src/ never reaches the bundle). The test command runs
// everything in full.

/** True inside a mutation run. */
export const IN_MUTATION_RUN = process.env["MUTATION_RUN"] === "1";

/** How many cases a property test tries: all of them, or a tenth in a mutation run. */
export function propertyRuns(full: number): number {
  return IN_MUTATION_RUN ? Math.max(10, Math.ceil(full / 10)) : full;
}

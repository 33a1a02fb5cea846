// Vitest for the mutation run (test/mutation/run.sh): the core's tests only. They import src/core
// directly, so a mutant is seen by them; the integration tests run the committed bundle and the
// real binaries, which a mutant of the sources never reaches.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/core/**/*.test.ts"],
  },
});

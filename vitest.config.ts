// Vitest for `bash test/run.sh`: every *.test.ts, but not the copies a mutation run works in.
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    exclude: [...configDefaults.exclude, ".stryker-tmp/**", "reports/**"],
  },
});

// Runs a TypeScript tool (e.g. test/lab/measure-image.ts) under Node 20, which cannot run .ts itself:
// esbuild bundles it (npm packages stay external) into a temporary module that is then imported.
// Usage: node test/lab/run-ts.mjs FILE.ts [ARGS...]   (the tool sees its ARGS in process.argv.slice(2))
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) throw new Error("usage: run-ts.mjs FILE.ts [ARGS...]");
const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
// Inside the repository, so the bundle's bare imports resolve from its node_modules.
const dir = mkdtempSync(join(root, "node_modules", ".run-ts-"));
// Also when the tool ends with process.exit() (the sandbox does, after Ctrl-C), which skips `finally`.
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
try {
  const outfile = join(dir, "tool.mjs");
  await build({ entryPoints: [resolve(entry)], outfile, bundle: true, platform: "node", format: "esm", packages: "external", target: "node20", logLevel: "warning" });
  process.argv = [process.argv[0] ?? "node", resolve(entry), ...args];
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

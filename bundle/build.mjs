// Builds bundle/supervisor.mjs: one minified ES module for qjs, reproducible byte for byte.
// Usage: node bundle/build.mjs [--outfile PATH]
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const flag = process.argv.indexOf("--outfile");
const outfile = flag >= 0 ? process.argv[flag + 1] : join(root, "bundle", "supervisor.mjs");

await build({
  absWorkingDir: root,
  entryPoints: ["src/main.ts"],
  outfile,
  bundle: true,
  format: "esm",
  // qjs 2025-04-26 implements ES2023; "browser" resolves pino to its browser build (no Node APIs).
  platform: "browser",
  target: "es2023",
  external: ["os", "std"],
  minify: true,
  legalComments: "none",
  charset: "ascii",
  sourcemap: false,
  logLevel: "warning",
  banner: { js: "// Tailscale container supervisor for QuickJS. Built from src/ by bundle/build.mjs; do not edit." },
});

// The size command (`npm run image:size`): per architecture and variant, the RouterOS archive's bytes
// and the extracted bytes (docker/lib/image-sizes.mjs, what the build prints at its end);
// without --static also the amd64 figures measured on a running container (test/lab/measure-image.ts:
// tailscaled and supervisor RSS while Running, CPU of one `tailscale status --json`).
// Usage: node test/lab/image-size.mjs [--static] [--json] [DIST]
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { imageSizeRows } from "../../docker/lib/image-sizes.mjs";

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const args = process.argv.slice(2);
const staticOnly = args.includes("--static");
const asJson = args.includes("--json");
const dist = args.find((arg) => !arg.startsWith("--")) ?? join(root, "dist");

const rows = imageSizeRows(dist);
if (rows.length === 0) {
  console.error(`no archives in ${dist}/routeros: run npm run image first`);
  process.exit(1);
}

let measured = {};
if (!staticOnly) {
  // Runs each amd64 archive as a real container against a local Headscale (needs root and podman).
  const output = execFileSync("node", [join(root, "test", "lab", "run-ts.mjs"), join(root, "test", "lab", "measure-image.ts"), dist], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  measured = JSON.parse(output);
}

if (asJson) {
  console.log(JSON.stringify({ rows, measured }, null, 2));
} else {
  const number = (value) => (value === undefined ? "-" : value.toLocaleString("en-US"));
  const mb = (bytes) => (bytes === undefined ? "-" : `${(bytes / 1e6).toFixed(1)} MB`);
  const lines = ["| arch | variant | archive bytes | extracted bytes | tailscaled RSS (of it anonymous), Running | supervisor RSS (Running) | CPU of `tailscale status --json` |", "|---|---|---:|---:|---:|---:|---:|"];
  for (const row of rows) {
    const m = measured[`${row.variant}-${row.arch}`];
    lines.push(`| ${row.arch} | ${row.variant} | ${number(row.archiveBytes)} | ${number(row.extractedBytes)} | ${m ? `${mb(m.tailscaledRssBytes)} (${mb(m.tailscaledAnonBytes)})` : "-"} | ${m ? mb(m.supervisorRssBytes) : "-"} | ${m ? `${m.statusCpuSeconds.toFixed(3)} s` : "-"} |`);
  }
  console.log(lines.join("\n"));
  if (!staticOnly) console.log("\nRSS and CPU: measured on this machine (amd64), each variant as a podman container logged in to a local Headscale; other figures computed from the archives.");
}

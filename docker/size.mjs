// The size command (`npm run image:size`): per architecture and variant, the RouterOS archive's bytes
// and the extracted bytes (the sum of the regular files' sizes in the layer, what the rootfs holds);
// without --static also the amd64 figures measured on a running container (docker/measure-image.ts:
// tailscaled and supervisor RSS while Running, CPU of one `tailscale status --json`).
// Usage: node docker/size.mjs [--static] [--json] [DIST]
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const staticOnly = args.includes("--static");
const asJson = args.includes("--json");
const dist = args.find((arg) => !arg.startsWith("--")) ?? join(root, "dist");
const ARCHES = ["amd64", "arm64", "armv7"];
const VARIANTS = ["tiny", "standard"];

/** Sum of the sizes of the regular files in a tar (ustar/GNU headers). */
export function extractedBytes(tar) {
  let total = 0;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = Number.parseInt(header.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 0);
    if (type === "0" || type === "\0") total += size;
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return total;
}

/** The layer inside a docker-archive (manifest.json names it). */
function layerOfArchive(archive) {
  const entries = new Map();
  for (let offset = 0; offset + 512 <= archive.length; ) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const name = header.subarray(0, 100).toString("ascii").replace(/\0.*$/s, "");
    const size = Number.parseInt(header.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim() || "0", 8);
    entries.set(name, archive.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  const manifest = JSON.parse(entries.get("manifest.json")?.toString() ?? "[]");
  const layer = entries.get(manifest[0]?.Layers?.[0] ?? "");
  if (layer === undefined) throw new Error("no layer in the archive");
  return layer;
}

const rows = [];
for (const arch of ARCHES) {
  for (const variant of VARIANTS) {
    const path = join(dist, "routeros", `tailscale-${variant}-${arch}.tar`);
    if (!existsSync(path)) continue;
    const archive = readFileSync(path);
    rows.push({ arch, variant, archiveBytes: archive.length, extractedBytes: extractedBytes(layerOfArchive(archive)) });
  }
}
if (rows.length === 0) {
  console.error(`no archives in ${dist}/routeros: run npm run image first`);
  process.exit(1);
}

let measured = {};
if (!staticOnly) {
  // Runs each amd64 archive as a real container against a local Headscale (needs root and podman).
  const output = execFileSync("node", [join(root, "docker", "run-ts.mjs"), join(root, "docker", "measure-image.ts"), dist], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
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

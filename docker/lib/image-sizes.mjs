// The sizes of the archives a build wrote: per architecture and variant, the RouterOS archive's bytes
// and the extracted bytes (the sum of the regular files' sizes in its layer, what the rootfs holds on
// a router's flash). `npm run image:size` prints them with figures
// measured on a running container.
// Usage: node docker/lib/image-sizes.mjs DIST   (prints the table; exit 1 when DIST has no archives)
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readTarEntries, readTarEntry } from "./tar.mjs";

const ARCHES = ["amd64", "arm64", "armv7"];
const VARIANTS = ["tiny", "standard"];

/** Sum of the sizes of the regular files in a tar. */
export function extractedBytes(tar) {
  return readTarEntries(tar).filter((entry) => entry.type === "0").reduce((total, entry) => total + entry.size, 0);
}

/** The layer inside a docker-archive (manifest.json names it). */
function layerOfArchive(archive) {
  const manifest = JSON.parse(readTarEntry(archive, "manifest.json").toString());
  return readTarEntry(archive, manifest[0]?.Layers?.[0] ?? "");
}

/** One row per archive present in DIST/routeros: {arch, variant, archiveBytes, extractedBytes}. */
export function imageSizeRows(dist) {
  const rows = [];
  for (const arch of ARCHES) {
    for (const variant of VARIANTS) {
      const path = join(dist, "routeros", `tailscale-${variant}-${arch}.tar`);
      if (!existsSync(path)) continue;
      const archive = readFileSync(path);
      rows.push({ arch, variant, archiveBytes: archive.length, extractedBytes: extractedBytes(layerOfArchive(archive)) });
    }
  }
  return rows;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2];
  const rows = dist === undefined ? [] : imageSizeRows(dist);
  if (rows.length === 0) {
    console.error(`image-sizes: no archives in ${dist ?? "(no DIST given)"}/routeros`);
    process.exit(1);
  }
  const number = (value) => value.toLocaleString("en-US");
  console.log(["| arch | variant | archive bytes | extracted bytes |", "|---|---|---:|---:|", ...rows.map((row) => `| ${row.arch} | ${row.variant} | ${number(row.archiveBytes)} | ${number(row.extractedBytes)} |`)].join("\n"));
}
